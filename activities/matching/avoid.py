"""The last line of defence: avoid lists never violated, nobody alone, schedules kept.

Avoid lists are symmetric and never violated.  When swaps cannot separate a
conflict, the conflicting member moves into another group that accepts them
(it grows by one) or pairs with a member split off a group of three or more;
people nobody can take may pair up among themselves.  Only someone who still
fits nowhere is left out, with reason ``"avoid constraints"`` -- the truly
impossible case, e.g. two people who avoid each other and nobody else.
"""

from __future__ import annotations

from collections.abc import Iterable

from activities.matching.costs import REPEAT_BASE, SCHEDULE_PENALTY, Context, GroupCost


def conflicts(i: int, members: Iterable[int], ctx: Context) -> int:
    banned = ctx.avoid[i]
    if banned is None:
        return 0
    return sum(1 for j in members if j != i and ctx.ids[j] in banned)


def reschedule(
    groups: list[list[int]], group_size: int, ctx: Context, group_cost: GroupCost
) -> list[list[int]]:
    """Move people out of groups that cannot meet into groups where they fit.

    Overlap is not transitive (A and B share a morning, B and C too, A and C
    not), so parity inside an island can still force a group with no common
    slot.  Its members who cannot make the group's best slot -- everyone, if
    fewer than two would remain -- each join a different group that stays
    schedulable, repeat-free and conflict-free and is not above ``group_size``
    yet (so it ends at most one larger).  If anyone has no such home the group
    is left as it is; its reasons say the slot is missing.
    """
    masks = ctx.masks
    used: set[int] = set()
    for g, members in enumerate(groups):
        if len(members) < 2 or group_cost(members) < SCHEDULE_PENALTY:
            continue
        leaving = cannot_make_best_slot(members, masks)
        if len(members) - len(leaving) < 2:
            leaving = members.copy()
        moves: list[tuple[int, int]] = []
        for person in leaving:
            home = fitting_home(person, groups, group_size, used | {g}, ctx, group_cost)
            if home is None:
                break
            moves.append((person, home))
            used.add(home)
        if len(moves) < len(leaving):
            used.difference_update(home for _, home in moves)
            continue
        for person, home in moves:
            members.remove(person)
            groups[home].append(person)
        used.add(g)
    return [members for members in groups if members]


def cannot_make_best_slot(members: list[int], masks: list[int]) -> list[int]:
    """Members not free at the slot most of the group can make (earliest on ties)."""
    union = 0
    for i in members:
        union |= masks[i]
    best_bit, best_count = 0, 0
    while union:
        bit = union & -union
        count = sum(1 for i in members if masks[i] & bit)
        if count > best_count:
            best_bit, best_count = bit, count
        union ^= bit
    return [i for i in members if not masks[i] & best_bit]


def fitting_home(
    person: int,
    groups: list[list[int]],
    group_size: int,
    exclude: set[int],
    ctx: Context,
    group_cost: GroupCost,
) -> int | None:
    """The cheapest group ``person`` can join without a repeat, conflict or lost slot."""
    best: tuple[int, int] | None = None
    for h, members in enumerate(groups):
        if h in exclude or not 2 <= len(members) <= group_size:
            continue
        common = ctx.masks[person]
        for i in members:
            common &= ctx.masks[i]
        if not common or conflicts(person, members, ctx):
            continue
        delta = group_cost([*members, person]) - group_cost(members)
        if delta < REPEAT_BASE and (best is None or (delta, h) < best):
            best = (delta, h)
    return None if best is None else best[1]


def place(person: int, groups: list[list[int]], ctx: Context, group_cost: GroupCost) -> bool:
    """Put ``person`` in a group with nobody they avoid; False if no way was found.

    First choice: join the smallest (then cheapest) conflict-free group.
    Otherwise split a group of three or more: one member the person may meet
    leaves to pair with them, and the rest (still two or more) stays as it was.
    """
    join: tuple[int, int, int] | None = None
    split: tuple[int, int, int] | None = None
    for g, members in enumerate(groups):
        if len(members) < 2:
            continue
        if not conflicts(person, members, ctx):
            key = (len(members), group_cost([*members, person]) - group_cost(members), g)
            join = key if join is None or key < join else join
        elif len(members) >= 3:
            for x, member in enumerate(members):
                if not conflicts(person, [member], ctx):
                    rest = members[:x] + members[x + 1 :]
                    cost = group_cost([member, person]) + group_cost(rest) - group_cost(members)
                    key = (cost, g, x)
                    split = key if split is None or key < split else split
    if join is not None:
        groups[join[2]].append(person)
        return True
    if split is not None:
        _, g, x = split
        groups.append([groups[g].pop(x), person])
        return True
    return False


def resolve_avoid(
    groups: list[list[int]],
    stranded: list[int],
    ctx: Context,
    group_cost: GroupCost,
) -> tuple[list[list[int]], list[int]]:
    """Guarantee no group holds an avoid pair; returns (groups, left out).

    The swaps have already tried to separate conflicts without changing group
    sizes; here the most-conflicted member of a conflicted group is re-placed
    (see place), and a member left alone by that is re-placed too.  People
    nobody can take may still pair up among themselves; only the rest are
    left out -- the truly impossible case.
    """
    groups = [members.copy() for members in groups]
    homeless = stranded.copy()
    while True:
        bad = next(
            (g for g, ms in enumerate(groups) if any(conflicts(i, ms, ctx) for i in ms)), None
        )
        if bad is None:
            break
        members = groups[bad]
        worst = max(members, key=lambda i: (conflicts(i, members, ctx), ctx.ids[i]))
        members.remove(worst)
        moving = [worst]
        if len(members) == 1:  # never leave anyone alone
            moving.append(members.pop())
        homeless += [person for person in moving if not place(person, groups, ctx, group_cost)]
    groups = [members for members in groups if members]
    left: list[int] = []
    for person in sorted(homeless):
        partner = next((x for x in left if not conflicts(person, [x], ctx)), None)
        if partner is not None:
            left.remove(partner)
            groups.append([partner, person])
        elif not place(person, groups, ctx, group_cost):
            left.append(person)
    return groups, left
