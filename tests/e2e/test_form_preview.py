"""The form modal previews the next occurrences of what is typed, before saving."""

from __future__ import annotations

from bot.sandbox.driver import text_value
from tests.e2e.harness import ADMIN, Harness, reply_text


async def test_the_new_modal_previews_the_next_dates_before_saving(harness: Harness) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    await h.command("UORG", "/community", "new announcement", channel_id="C0COMMUNITY")
    await h.slack.wait_for("views.open")
    modal = h.slack.opened_views[-1]
    assert "Press *Preview dates*" in str(modal["blocks"])

    typed = {
        "schedule": {"schedule": text_value("every monday 09:00")},
        "text": {"text": text_value("Hello all")},
        "timezone": {"timezone": text_value("Europe/London")},
    }
    await h.say.click_view("UORG", modal, "form_preview", values=typed)
    await h.slack.wait_for("views.update")
    shown = h.slack.views[modal["id"]]
    preview = next(b for b in shown["blocks"] if b.get("block_id") == "form_preview_dates")
    assert str(preview).count("<!date^") == 5
    # What was typed is kept in the redrawn modal.
    assert "every monday 09:00" in str(shown["blocks"]) and "Hello all" in str(shown["blocks"])

    typed["schedule"] = {"schedule": text_value("every blursday")}
    await h.say.click_view("UORG", shown, "form_preview", values=typed)
    await h.slack.wait_for("views.update", count=2)
    shown = h.slack.views[modal["id"]]
    preview = next(b for b in shown["blocks"] if b.get("block_id") == "form_preview_dates")
    assert "⚠️" in str(preview) and "<!date^" not in str(preview)
    assert h.slack.calls_to("chat.postMessage") == []  # nothing was saved or announced
