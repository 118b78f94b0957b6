"""The Home tab as the cockpit: 60 activities stay within Slack's 100 blocks, paged with
"More"; an organiser cancels one from it (behind a confirmation)."""

from __future__ import annotations

from storage.models import Activity
from tests.e2e.harness import ADMIN, Harness, eventually

MAX_BLOCKS = 100


async def test_a_home_tab_with_60_activities_pages_within_the_block_limit(
    harness: Harness,
) -> None:
    h = harness
    async with h.bot.db.session() as session:
        for n in range(60):
            session.add(
                Activity(
                    team_id="T0001",
                    kind="announcement",
                    channel_id="C0COMMUNITY",
                    title=f"Weekly note {n + 1}",
                    schedule_rule="every monday 09:00",
                    timezone="Europe/London",
                    created_by=ADMIN,
                    config={"text": "Hi"},
                )
            )
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish")
    home = h.slack.home_views[ADMIN]
    assert len(home["blocks"]) <= MAX_BLOCKS
    text = str(home)
    assert "page 1 of 5" in text and "Weekly note 12 ·" in text and "Weekly note 13 ·" not in text
    for page in range(2, 6):
        await h.say.click_home(ADMIN, "home_more")
        await h.slack.wait_for("views.publish", count=page)
        home = h.slack.home_views[ADMIN]
        assert len(home["blocks"]) <= MAX_BLOCKS
        assert f"page {page} of 5" in str(home)
    assert "Weekly note 60 ·" in str(home) and "More" not in str(home["blocks"][-8:])

    cancel = next(
        e
        for b in home["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "home_activity_cancel"
    )
    assert cancel["confirm"]["confirm"]["text"] == "Cancel it"
    await h.say.click_home(ADMIN, "home_activity_cancel", value=cancel["value"])

    async def cancelled() -> bool:
        async with h.bot.db.session() as session:
            found = await session.get(Activity, int(cancel["value"]))
            return found is not None and found.state == "cancelled"

    await eventually(cancelled)
