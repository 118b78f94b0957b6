"""A modal filled in at the prompt: defaults, a required field left empty, an inline error."""

from __future__ import annotations

from tests.shell.conftest import RunShell


async def test_announcement_form_with_an_error_corrected(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            "as admin",
            "/community roles assign @alice organiser",
            "as @alice",
            "/community new announcement",
            "",  # Channel: keep the current one
            "every blursday",  # When: refused by the bot, asked again below
            "",  # Text: required, so asked again
            "Stand-up notes are in the doc",
            "",  # Time zone (optional): empty
            "",  # Title (optional): empty
            "weekdays 08:45",  # When, again
        ]
    )
    assert t.status == 0, t.text
    form = t.after("> /community new announcement")
    assert "Modal “New announcement” for @alice" in form
    assert "  Channel [#community]: \n" in form
    assert "“Text” is required" in form
    assert '✗ When: Couldn\'t read "every blursday"' in form
    # Only the refused field is asked again, and its answer makes the bot accept.
    assert form.count("  When: ") == 2 and form.count("  Channel [#community]: ") == 1
    assert "  When: weekdays 08:45\n  → Create" in form
    assert "✅ Announcement #1 in #community" in form


async def test_a_choice_by_number_and_cancel(run_shell: RunShell) -> None:
    t = await run_shell(
        [
            "/poll",
            "Best day for drinks?",
            r"Thursday\nFriday",
            "#community",
            "7",  # not a choice: asked again
            "1",
            "",
            "",
            "/poll",
            "/cancel",
            "/coffee help",
        ]
    )
    assert t.status == 0, t.text
    assert "no choice '7'" in t.text
    assert "📊 Best day for drinks?" in t.text and "Thursday\n" in t.text
    assert "Modal closed." in t.text
    assert "/coffee` —" in t.after("> /coffee help")
