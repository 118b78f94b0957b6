"""The Home tab as the cockpit: 60 activities stay within Slack's 100 blocks, paged with
"More"; an organiser cancels one from it (behind a confirmation); what waits for
organisers, from every kind, in one section."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.sandbox import text_value
from storage.kinds.advent.models import AdventEntry, EntryStatus
from storage.kinds.bookclub.models import BookProposal, BookRound
from storage.kinds.discussion.models import DiscussionTopic
from storage.kinds.talks.models import Talk
from storage.models import Activity, OutboxMessage, OutboxStatus
from tests.e2e.harness import ADMIN, Harness, eventually, reply_text

MAX_BLOCKS = 100
TEAM = "T0001"
NEXT_MONDAY = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # the first Monday 09:00 London after START


async def add_weekly_notes(h: Harness, count: int) -> None:
    """`count` weekly announcements, all next due on the same Monday (an edit keeps
    that, so the order on the tab stays)."""
    async with h.bot.db.session() as session:
        for n in range(count):
            session.add(
                Activity(
                    team_id=TEAM,
                    kind="announcement",
                    channel_id="C0COMMUNITY",
                    title=f"Weekly note {n + 1}",
                    schedule_rule="cron:0 9 * * mon",
                    timezone="Europe/London",
                    created_by=ADMIN,
                    config={"text": "Hi"},
                    next_run_at=NEXT_MONDAY,
                )
            )


async def test_a_home_tab_with_60_activities_pages_within_the_block_limit(
    harness: Harness,
) -> None:
    h = harness
    await add_weekly_notes(h, 60)
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
    # The redraw after the change stays on the page the organiser was on.
    await h.slack.wait_for("views.publish", count=6)
    assert "page 5 of 5" in str(h.slack.home_views[ADMIN])


async def test_organisers_see_what_waits_for_them_in_one_section(harness: Harness) -> None:
    """Tips to review, volunteered talks, proposed books and topic backlogs: each a line
    with its count and a button; members see none of it."""
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    for words in (
        "new advent <#C0COMMUNITY|community> --from 2026-12-01 --to 2026-12-06",
        'new talks <#C0COMMUNITY|community> "every month on the first wednesday 13:00"',
        'new bookclub <#C0COMMUNITY|community> "every 4 weeks on thursday 12:30"',
        'new discussion <#C0COMMUNITY|community> --every "every other thursday 12:00"',
    ):
        assert reply_text(await h.command("UORG", "/community", words)).startswith("✅")
    async with h.bot.db.session() as session:
        ids = {a.kind: a.id or 0 for a in (await session.exec(select(Activity))).all()}
        session.add(
            AdventEntry(
                team_id=TEAM,
                activity_id=ids["advent"],
                author_id="UMEM",
                text="Read the error twice",
                status=EntryStatus.PENDING,
            )
        )
        session.add(
            Talk(
                team_id=TEAM,
                activity_id=ids["talks"],
                speaker_id="UMEM",
                title="Vim in anger",
                title_key="vim in anger",
            )
        )
        for title in ("Piranesi", "Dune"):
            session.add(
                BookProposal(
                    team_id=TEAM,
                    activity_id=ids["bookclub"],
                    title=title,
                    proposer_id="UMEM",
                    match_key=title.lower(),
                )
            )
        session.add(
            DiscussionTopic(
                team_id=TEAM,
                activity_id=ids["discussion"],
                text="Tabs or spaces?",
                proposer_id="UMEM",
                created_at=h.clock.now(),
            )
        )

    await h.say.app_home_opened("UMEM")
    await h.slack.wait_for("views.publish")
    assert "Waiting for you" not in str(h.slack.home_views["UMEM"])

    await h.say.app_home_opened("UORG")
    await h.slack.wait_for("views.publish", count=2)
    home = h.slack.home_views["UORG"]
    lines = [
        b["text"]["text"]
        for b in home["blocks"]
        if b["type"] == "section" and b.get("accessory", {}).get("type") == "button"
    ]
    for expected in (
        "Advent tips to review: *1*",
        "Volunteered talks to schedule: *1*",
        "Books proposed for *Book club*: *2*",
        "New topics in the backlog in <#C0COMMUNITY>: *1*",
    ):
        assert any(line.startswith(expected) for line in lines), (expected, lines)
    assert "Tabs or spaces?" not in str(home)

    # Review shows a kind's items under its line, on the same tab; Hide folds them.
    # The backlog's line counts topics added since the organiser last opened it: once
    # seen, it shows 0 while open and goes when folded, until a new topic comes in.
    await h.say.click_home("UORG", "home_waiting", value=f"topics_{ids['discussion']}")
    await h.slack.wait_for("views.publish", count=3)
    assert "Tabs or spaces?" in str(h.slack.home_views["UORG"])
    assert "Read the error twice" not in str(h.slack.home_views["UORG"])
    assert "New topics in the backlog in <#C0COMMUNITY>: *0*" in str(h.slack.home_views["UORG"])
    await h.say.click_home("UORG", "home_waiting", value=f"topics_{ids['discussion']}")
    await h.slack.wait_for("views.publish", count=4)
    assert "Tabs or spaces?" not in str(h.slack.home_views["UORG"])
    assert "New topics in the backlog" not in str(h.slack.home_views["UORG"])
    h.clock.advance(timedelta(minutes=5))
    added = reply_text(await h.command("UMEM", "/community", 'topics add "Monorepos?"'))
    assert "Added topic 2" in added, added
    # The member's topic redraws the organiser's open tab (the line is back).
    await h.slack.wait_for("views.publish", count=5)
    assert "New topics in the backlog in <#C0COMMUNITY>: *1*" in str(h.slack.home_views["UORG"])

    # A kind's own button acts at once: the vote opens, and the line goes.
    await h.say.click_home("UORG", "bookclub_vote", value=str(ids["bookclub"]))
    await h.slack.wait_for("views.publish", count=6)
    assert "Books proposed" not in str(h.slack.home_views["UORG"])
    async with h.bot.db.session() as session:
        assert (await session.exec(select(BookRound))).one().activity_id == ids["bookclub"]


async def test_saving_a_modal_opened_on_the_home_tab_redraws_it_where_it_was(
    harness: Harness,
) -> None:
    h = harness
    await add_weekly_notes(h, 14)
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish")
    await h.say.click_home(ADMIN, "home_more")
    await h.slack.wait_for("views.publish", count=2)
    assert "page 2 of 2" in str(h.slack.home_views[ADMIN])
    edit = next(
        e
        for b in h.slack.home_views[ADMIN]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "home_activity_edit"
    )
    await h.say.click_home(ADMIN, "home_activity_edit", value=edit["value"])
    await h.slack.wait_for("views.open")
    modal = h.slack.opened_views[-1]
    # "Preview dates" redraws the modal; it still knows the tab it came from.
    await h.say.click_view(ADMIN, modal, "form_preview")
    await h.slack.wait_for("views.update")
    saved = await h.say.submit_view(
        ADMIN, h.slack.views[modal["id"]], {"title": {"title": text_value("Renamed note")}}
    )
    assert saved.status == 200 and not saved.body, saved.body
    await eventually(lambda: "Renamed note" in str(h.slack.home_views[ADMIN]))
    assert "page 2 of 2" in str(h.slack.home_views[ADMIN])


async def test_organisers_see_the_last_delivery_failures_members_do_not(
    harness: Harness,
) -> None:
    h = harness
    async with h.bot.db.session() as session:
        for n in range(7):
            session.add(
                OutboxMessage(
                    team_id=TEAM,
                    intent="post_announcement",
                    dedupe_key=f"failed:{n}",
                    status=OutboxStatus.FAILED,
                    last_error=f"channel_not_found #{n}",
                )
            )
    await h.say.app_home_opened(ADMIN)
    await h.say.app_home_opened("UMEM")
    await h.slack.wait_for("views.publish", count=2)
    admin = str(h.slack.home_views[ADMIN])
    assert "Last delivery failures" in admin
    assert "channel_not_found #6" in admin and "channel_not_found #2" in admin
    assert "channel_not_found #1" not in admin  # the latest five
    assert "Last delivery failures" not in str(h.slack.home_views["UMEM"])


async def test_60_activities_of_several_kinds_with_a_list_opened_keep_the_pager(
    harness: Harness,
) -> None:
    """Kinds' sections and opened waiting items give way before the activities, their
    pager and the roles: the tab stays within Slack's limit."""
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    for words in (
        "new advent <#C0COMMUNITY|community> --from 2026-12-01 --to 2026-12-06",
        'new discussion <#C0COMMUNITY|community> --every "every other thursday 12:00"',
    ):
        assert reply_text(await h.command("UORG", "/community", words)).startswith("✅")
    async with h.bot.db.session() as session:
        made = list((await session.exec(select(Activity))).all())
        copies = {"advent": 14, "discussion": 44}  # 60 in all
        for original in made:
            for n in range(copies[original.kind]):
                copy = Activity.model_validate(original.model_dump(exclude={"id"}))
                copy.title = f"{original.title} {n + 2}"
                session.add(copy)
        await session.flush()
        everything = list((await session.exec(select(Activity))).all())
        advent = next(a for a in made if a.kind == "advent")
        for n in range(15):
            session.add(
                AdventEntry(
                    team_id=TEAM,
                    activity_id=advent.id or 0,
                    author_id="UMEM",
                    text=f"Tip number {n}",
                    status=EntryStatus.PENDING,
                )
            )
        for series in (a for a in everything if a.kind == "discussion"):
            session.add(
                DiscussionTopic(
                    team_id=TEAM, activity_id=series.id or 0, text="Tabs?", proposer_id="UMEM"
                )
            )
    assert len(everything) == 60
    await h.say.app_home_opened(ADMIN)
    await h.slack.wait_for("views.publish")
    # Nothing opened yet: everything fits, no note.
    assert "cut short to fit" not in str(h.slack.home_views[ADMIN])
    await h.say.click_home(ADMIN, "home_waiting", value="advent_tips")
    await h.slack.wait_for("views.publish", count=2)
    home = h.slack.home_views[ADMIN]
    text = str(home)
    assert len(home["blocks"]) <= MAX_BLOCKS
    # Opened, the list pushes the sections past the limit: hiding it is the way back.
    assert "Tip number 0" in text and "*Hide* an opened list to see the rest" in text
    assert "page 1 of 5" in text and "home_more" in text and "Roles and terms" in text


async def test_a_redraw_for_someone_elses_change_leaves_a_tab_on_its_page(
    harness: Harness,
) -> None:
    """An organiser on page 3 stays there when another organiser's click redraws their
    tab; opening the tab again starts on page 1."""
    h = harness
    reply_text(await h.command(ADMIN, "/community", "roles assign <@UORG> organiser"))
    await add_weekly_notes(h, 60)
    await h.settle()

    def on_page(user: str, page: int) -> bool:
        return f"page {page} of 5" in str(h.slack.home_views.get(user, ""))

    await h.say.app_home_opened("UORG")
    await eventually(lambda: on_page("UORG", 1))
    for page in (2, 3):
        await h.say.click_home("UORG", "home_more")
        await eventually(lambda: on_page("UORG", page))  # noqa: B023 (awaited at once)
    await h.say.app_home_opened(ADMIN)
    await eventually(lambda: on_page(ADMIN, 1))
    await h.settle()
    pause = next(
        e
        for b in h.slack.home_views[ADMIN]["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "home_activity_pause"
    )
    published = len(h.slack.calls_to("views.publish"))
    await h.say.click_home(ADMIN, "home_activity_pause", value=pause["value"])

    def redrawn_for(user: str) -> list[str]:
        return [
            str(c.args["view"])
            for c in h.slack.calls_to("views.publish")[published:]
            if c.args["user_id"] == user
        ]

    await eventually(lambda: bool(redrawn_for("UORG")))  # the other organiser's tab is redrawn
    await h.settle()
    assert all("page 3 of 5" in view for view in redrawn_for("UORG"))
    await h.say.app_home_opened("UORG")
    await eventually(lambda: on_page("UORG", 1))
