"""`/community edit`: flags on top of the current settings, or the kind's modal prefilled."""

from __future__ import annotations

from sqlmodel import select

from bot.sandbox import select_value, text_value
from storage.models import Activity, AuditEntry
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0COMMUNITY"


async def organiser(h: Harness) -> None:
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))


async def only_activity(h: Harness) -> Activity:
    async with h.bot.db.session() as session:
        return (await session.exec(select(Activity))).one()


async def test_edit_with_flags_keeps_what_is_not_named(harness: Harness) -> None:
    h = harness
    await organiser(h)
    said = reply_text(
        await h.command("UORG", "/community", f"new coffee <#{CHANNEL}|community> --size 3")
    )
    assert "Groups of 3" in said, said
    before = await only_activity(h)
    said = reply_text(await h.command("UORG", "/community", "edit 1 --day thu --time 10:30"))
    assert said.startswith("✏️ Saved *#1*"), said
    after = await only_activity(h)
    assert after.schedule_rule == "cron:30 10 * * thu" and after.config["size"] == 3
    assert after.next_run_at != before.next_run_at and after.next_run_at is not None
    local = after.next_run_at.astimezone()
    assert local.weekday() == 3
    async with h.bot.db.session() as session:
        actions = [a.action for a in (await session.exec(select(AuditEntry))).all()]
    assert "activity.edit" in actions


async def test_edit_refusals_say_why(harness: Harness) -> None:
    h = harness
    await organiser(h)
    text = f'new announcement <#{CHANNEL}|community> "every monday 09:00" "Hi"'
    reply_text(await h.command("UORG", "/community", text))
    cases = [
        ("edit", "Which activity?"),
        ("edit 99999999999999999999999", "isn't an activity id"),
        ("edit 42", "no activity #42"),
        ("edit 1 --size 3", "Unknown option `--size`"),
        ("edit 1 --schedule <!channel>", "Couldn't read"),
    ]
    for words, expected in cases:
        said = reply_text(await h.command("UORG", "/community", words))
        assert said.startswith("⚠️") and expected in said, (words, said)
        assert "<!channel>" not in said
    assert "Only organisers" in reply_text(await h.command("UMEM", "/community", "edit 1"))
    reply_text(await h.command("UORG", "/community", "cancel 1"))
    said = reply_text(await h.command("UORG", "/community", "edit 1 --text Bye"))
    assert "cancelled" in said and "can't be edited" in said


async def test_the_edit_modal_starts_from_the_current_values(harness: Harness) -> None:
    h = harness
    await organiser(h)
    reply_text(await h.command("UORG", "/community", f"new breakfast <#{CHANNEL}|community>"))
    response = await h.command("UORG", "/community", "edit 1")
    assert response.status == 200
    await h.slack.wait_for("views.open")
    view = h.slack.opened_views[-1]
    blocks = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    assert blocks["size"]["initial_option"]["value"] == "3"
    assert blocks["channel"]["initial_conversation"] == CHANNEL
    bad = await h.say.submit_view(
        "UORG", view, {"timezone": {"timezone": text_value("Mars/Olympus")}}
    )
    assert bad.json["response_action"] == "errors" and "timezone" in bad.json["errors"]
    good = await h.say.submit_view("UORG", view, {"size": {"size": select_value("4")}})
    assert good.status == 200 and not good.body
    await h.slack.wait_for("chat.postEphemeral", where=lambda c: "Saved" in str(c.args))
    assert (await only_activity(h)).config["size"] == 4


async def test_a_new_kind_is_created_from_its_modal_alone(harness: Harness) -> None:
    h = harness
    await organiser(h)
    await h.command("UORG", "/community", "new poll", channel_id=CHANNEL)
    await h.slack.wait_for("views.open")
    view = h.slack.opened_views[-1]
    missing = await h.say.submit_view("UORG", view, {})
    assert missing.json["response_action"] == "errors", missing.json
    values = {
        "schedule": {"schedule": text_value("every friday 16:00")},
        "question": {"question": text_value("How was the week?")},
        "options": {"options": text_value("Great\nFine")},
    }
    good = await h.say.submit_view("UORG", view, values)
    assert good.status == 200 and not good.body, good.body
    activity = await only_activity(h)
    assert activity.kind == "poll" and activity.config["options"] == ["Great", "Fine"]
