from activities.matching.unionfind import DisjointSets


def test_joined_positions_share_a_name_and_the_kept_side_names_the_set() -> None:
    sets = DisjointSets(5)
    sets.join(0, 1)
    sets.join(3, 1)  # 1's set (with 0) goes under 3
    assert sets.find(0) == sets.find(1) == sets.find(3) == 3
    assert sets.find(2) == 2
    assert sets.find(4) == 4
