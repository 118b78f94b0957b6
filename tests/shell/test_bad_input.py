"""Bad input: one line saying what was wrong and what would work, and the session goes on;
in a script, the first failed step ends the run with its line number."""

from __future__ import annotations

import shutil
from pathlib import Path

from bot.shell.engine import Engine, EngineOptions
from bot.shell.lines import ScriptLines
from bot.shell.shell import Shell
from tests.shell.conftest import START, RunShell

MISTAKES = [
    ("/pol Lunch?", "! the bot has no command /pol: try /community, /poll or /coffee"),
    ("clik 3", "! unknown command 'clik': did you mean `click`?"),
    ("click 999", "! there is no [999]: click a number shown in brackets, like [3]"),
    ("click Nothing like this", "! click takes a number shown as [N]"),
    ("as @nobody", "! no member @nobody: type `users` to see who is here"),
    ("in #nowhere", "! no channel #nowhere: type `channels`"),
    ("clock +3x", "! cannot read '+3x': try +30m, +2h, +3d or +1w"),
    ("clock 2020-01-01 09:00", "! the clock only moves forward: it is Monday 30 November 2026"),
    ("reply 999 hi", "! there is no message (999)"),
    ("react 1", "! react needs a message number and more"),
]


async def test_each_mistake_gets_one_line_and_the_session_goes_on(run_shell: RunShell) -> None:
    t = await run_shell(
        [*(line for line, _ in MISTAKES), "/coffee help", "say clik 3"],
        stop_on_error=False,
    )
    assert t.status == 0, t.text
    for line, answer in MISTAKES:
        after = t.after(f"> {line}\n")
        said = after.split("\n")[1]
        assert said.startswith(answer), (line, said)
    assert "/coffee join" in t.after("> /coffee help")  # the bot still answers
    assert "@alice → #community: clik 3" in t.after("> say clik 3")


async def test_clicks_on_what_the_member_cannot_see(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            '/poll "Lunch?" "Pizza" "Sushi"',
            "click 1",  # (1) is the ephemeral confirmation: a message, not a button
            "as admin",
            "/community roles assign @alice organiser",
            "as @alice",
            "/community new coffee #community",
            "home",
            "as @bob",
            "click Pause 2 weeks",  # the newest such button is on Alice's Home tab
            "click Pizza",  # the poll is in #community, where Bob is: fine
        ],
        stop_on_error=False,
    )
    assert "! (1) is a message; click takes a button's [N]" in t.text
    assert "Home tab of @alice" in t.text
    assert "! that is @alice's; `as @alice` first" in t.after("> click Pause 2 weeks")
    assert "You voted for Pizza." in t.after("> click Pizza")


async def test_a_script_stops_at_its_first_failed_step(run_shell: RunShell) -> None:
    t = await run_shell(["/coffee help", "clock 2020-01-01", "/poll help"])
    assert t.status == 1
    assert t.shell.failed_line == 2
    assert "the clock only moves forward" in t.shell.failed_message
    assert "> /poll help" not in t.text  # nothing after the failure ran


async def test_a_required_field_left_empty_at_the_end_of_a_script(run_shell: RunShell) -> None:
    t = await run_shell(["/poll", ""])
    assert t.status == 1
    assert "“Question” is required: type text" in t.text
    assert "the input ended while the modal asked for “Question”" in t.shell.failed_message


async def test_moving_into_a_channel_joins_it_unless_private(
    tmp_path: Path, sqlite_template: Path
) -> None:
    database = tmp_path / "join.db"
    shutil.copy(sqlite_template, database)
    engine = Engine(EngineOptions(database_path=database, start=START))
    await engine.start()
    out: list[str] = []
    try:
        engine.slack.add_channel("C0BOOKS", "books", [])
        engine.slack.add_channel("C0SECRET", "secret", [], is_private=True)
        lines = ScriptLines(["in #secret", "in #books", "hello books"])
        shell = Shell(engine, lines, out.append, stop_on_error=False)
        assert await shell.run() == 0
    finally:
        await engine.stop()
    text = "".join(out)
    assert "! #secret is private and @alice is not in it" in text
    assert "@alice joined #books." in text
    assert "UALICE" in engine.slack.channel_members("C0BOOKS")
    assert "@alice → #books: hello books" in text
