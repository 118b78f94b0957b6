"""Every kind is created and edited through its modal alone: `/community new <kind>`
opens it, "Preview dates" shows the next occurrences, a bad value comes back under its
field (nothing stored), good values are stored; `/community edit 1` opens it filled in,
refuses a bad value under its field and stores the change."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from sqlmodel import select

from bot.sandbox import select_value, text_value
from bot.sandbox.driver import date_value, time_value
from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, reply_text

CHANNEL = "C0COMMUNITY"
Values = Mapping[str, Mapping[str, Any]]


def typed(**fields: str) -> dict[str, dict[str, Any]]:
    return {name: {name: text_value(value)} for name, value in fields.items()}


@dataclass(frozen=True)
class Case:
    kind: str
    create: Values  # what is filled in on top of the defaults
    bad: Values  # one bad value, shown under the field of the same name
    edit: Values
    edited: Callable[[Activity], bool]  # the stored activity shows the edit


CASES = [
    Case(
        "coffee",
        {"size": {"size": select_value("3")}},
        {"size": {"size": select_value("9")}},
        {"time": {"time": time_value("10:30")}},
        lambda a: a.schedule_rule.startswith("cron:30 10 ") and a.config["size"] == 3,
    ),
    Case(
        "breakfast",
        {"day": {"day": select_value("wed")}},
        {"every": {"every": select_value("3d")}},
        {"size": {"size": select_value("4")}},
        lambda a: a.config["size"] == 4 and a.schedule_rule.endswith(" wed"),
    ),
    Case(
        "poll",
        typed(schedule="every friday 16:00", question="How was the week?", options="Great\nFine"),
        typed(scale="1-99"),
        typed(question="How is it going?"),
        lambda a: a.config["question"] == "How is it going?",
    ),
    Case(
        "announcement",
        typed(schedule="every monday 09:00", text="Hello all"),
        typed(schedule="every blursday"),
        typed(text="Bye all"),
        lambda a: a.config["text"] == "Bye all",
    ),
    Case(
        "bookclub",
        typed(schedule="every 4 weeks on thursday 12:30"),
        typed(call_link="not a link"),
        typed(call_link="https://meet.example.org/books", prompts="Who changed most?"),
        lambda a: (
            a.config["call_link"] == "https://meet.example.org/books"
            and a.config["prompts"] == ["Who changed most?"]
        ),
    ),
    Case(
        "talks",
        typed(schedule="every month on the first wednesday 13:00"),
        typed(booked_ahead="99"),
        typed(booked_ahead="4"),
        lambda a: a.config["booked_ahead"] == 4,
    ),
    Case(
        "advent",
        {
            "preset": {"preset": select_value("custom")},
            "from": {"from": date_value("2026-12-01")},
            "to": {"to": date_value("2026-12-06")},
        },
        {"to": {"to": date_value("2026-11-30")}},
        {"to": {"to": date_value("2026-12-10")}, "time": {"time": time_value("08:15")}},
        lambda a: a.config["end"] == "2026-12-10" and a.config["at"] == "08:15",
    ),
    Case(
        "discussion",
        typed(every="every other thursday 12:00"),
        typed(every="every blursday"),
        typed(every="every other tuesday 12:00"),
        lambda a: "tue" in a.schedule_rule,
    ),
]


async def activities(h: Harness) -> list[Activity]:
    async with h.bot.db.session() as session:
        return list((await session.exec(select(Activity))).all())


async def opened_modal(h: Harness, words: str) -> dict[str, Any]:
    before = len(h.slack.opened_views)
    response = await h.command("UORG", "/community", words, channel_id=CHANNEL)
    assert response.status == 200 and not response.body, response.body
    await h.slack.wait_for("views.open", count=before + 1)
    return h.slack.opened_views[-1]


async def refused_under(h: Harness, view: dict[str, Any], values: Values, field: str) -> None:
    refused = await h.say.submit_view("UORG", view, values)
    assert refused.json["response_action"] == "errors", refused.json
    assert list(refused.json["errors"]) == [field], refused.json


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
async def test_every_kind_is_created_and_edited_through_its_modal(
    harness: Harness, case: Case
) -> None:
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))

    view = await opened_modal(h, f"new {case.kind}")
    await h.say.click_view("UORG", view, "form_preview", values=case.create)
    await h.slack.wait_for("views.update")
    shown = h.slack.views[view["id"]]
    preview = next(b for b in shown["blocks"] if b.get("block_id") == "form_preview_dates")
    assert "<!date^" in str(preview), preview
    (bad_field,) = case.bad
    await refused_under(h, view, {**case.create, **case.bad}, bad_field)
    assert await activities(h) == []
    created = await h.say.submit_view("UORG", view, case.create)
    assert created.status == 200 and not created.body, created.body
    (activity,) = await activities(h)
    assert activity.kind == case.kind and activity.channel_id == CHANNEL
    assert not case.edited(activity)

    view = await opened_modal(h, f"edit {activity.id}")
    assert view["title"]["text"] == f"Edit #{activity.id}"
    await refused_under(h, view, case.bad, bad_field)
    (unchanged,) = await activities(h)
    assert unchanged.config == activity.config
    saved = await h.say.submit_view("UORG", view, case.edit)
    assert saved.status == 200 and not saved.body, saved.body
    (after,) = await activities(h)
    assert case.edited(after), (after.schedule_rule, after.config)
