"""A poll in the shell: created, voted on by three members (one by its number), closed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tests.shell.conftest import RunShell


async def test_poll_votes_counts_close_and_results(run_shell: RunShell) -> None:
    out: list[str] = []

    def lines() -> Iterator[str]:
        yield '/poll "Which event next?" "Book club" "Coffee roulette" "TED talk"'
        # `click N` with the number the shell printed next to "Book club".
        book_club = re.search(r"Book club\n.*\n\s+\[(\d+)\] Vote", "".join(out))
        assert book_club is not None, "".join(out)
        yield f"click {book_club.group(1)}"
        yield "as @bob"
        yield "click Coffee roulette"
        yield "as @carol"
        yield "click Coffee roulette"
        yield "as @alice"
        yield "click Close poll"

    t = await run_shell(lines(), out=out)
    assert t.status == 0, t.text
    assert "You voted for Book club." in t.text
    assert "@bob in #community] > click Coffee roulette\n" in t.text
    after_carol = t.after("[@carol in #community] > click Coffee roulette")
    assert "Coffee roulette\n  ▓▓▓▓▓▓▓░░░ 67% (2)\n  @bob @carol" in after_carol
    assert "3 voters" in after_carol
    closed = t.after("click Close poll")
    assert "Poll closed." in closed
    assert "(updated)" in closed and "Closed — final results" in closed
    assert "🏆 Coffee roulette" in closed
    assert "Winner: Coffee roulette with 2 votes" in closed  # the results DM to the creator
    assert "DM with @alice" in closed
    final_message = closed.split("(updated)")[1]
    assert "Close poll" not in final_message and "Export results" in final_message


async def test_only_the_creator_may_close_and_a_vote_comes_back(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            '/poll "Lunch?" "Pizza" "Sushi"',
            "as @bob",
            "click Close poll",
            "click Pizza",
            "click Pizza",
        ]
    )
    assert t.status == 0, t.text
    assert "Only the person who created this poll" in t.text
    assert "only @bob sees this" in t.text
    last = t.after("> click Pizza")
    assert "Pizza\n  ░░░░░░░░░░ 0% (0)" in last  # clicked again: the vote is taken back
