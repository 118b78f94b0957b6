"""Advent use-cases: entries in, one post a day (once), gaps told ahead, a recap at the end."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import due, engagement, intents, manage
from activities.actor import Actor
from activities.errors import UserError
from activities.kind import RunContext, read_settings
from activities.kinds.advent import intents as advent_intents
from activities.kinds.advent import rules
from activities.kinds.advent.rules import AdventSettings
from activities.lookup import KindLookup
from activities.manage import LATE_AFTER
from activities.text import escape_mrkdwn, truncate
from activities.waiting import Backlog
from storage import activities as activity_store
from storage import outbox
from storage.kinds.advent import queries as store
from storage.kinds.advent.models import AdventDay, AdventEntry, EntryStatus
from storage.models import Activity, ActivityState, OutboxStatus, in_activity

log = logging.getLogger(__name__)

NOT_ADVENT = "That isn't an advent run. `/community activities` lists them."


def settings_of(activity: Activity) -> AdventSettings:
    return read_settings(AdventSettings, activity)


RUNS = KindLookup(store.KIND, missing=NOT_ADVENT)
load_run = RUNS.load


async def pick_run(
    session: AsyncSession,
    *,
    team_id: str,
    channel_id: str,
    activity_id: int | None,
    finished_too: bool = False,
) -> Activity:
    """The run a member means: the one named, else the newest in this channel, else the
    only one there is. `finished_too` (the recap) also looks at runs that have ended."""
    if activity_id is not None:
        return await load_run(session, team_id=team_id, activity_id=activity_id)
    states = [ActivityState.ACTIVE]
    if finished_too:
        states += [ActivityState.PAUSED, ActivityState.FINISHED]
    runs = await activity_store.list_activities(
        session, team_id=team_id, states=states, kinds=(store.KIND,)
    )
    here = [a for a in runs if a.channel_id == channel_id]
    if here:
        return here[-1]
    if len(runs) == 1 or (runs and finished_too):
        return runs[-1]
    if not runs:
        raise UserError("There is no advent run at the moment.")
    ids = ", ".join(f"{a.id} (<#{a.channel_id}>)" for a in runs)
    raise UserError(
        f"Which advent run? Add its id, e.g. `/community advent contribute {runs[0].id}`. "
        f"Runs: {ids}."
    )


# ---------------------------------------------------------------- entries


def require_running(activity: Activity) -> None:
    if activity.state not in (ActivityState.ACTIVE, ActivityState.PAUSED):
        raise UserError(f"That advent run is {activity.state}; it takes no more entries.")


def _entry(
    activity: Activity,
    actor: Actor,
    tip: str,
    link: str,
    *,
    anonymous: bool,
    approved: bool,
    pinned_on: date | None = None,
) -> AdventEntry:
    """A new entry of the run by `actor`: approved by them at once (an organiser's) or
    pending an organiser's decision (a member's)."""
    return AdventEntry(
        **in_activity(activity),
        author_id=actor.user_id,
        text=tip,
        link=link,
        anonymous=anonymous,
        status=EntryStatus.APPROVED if approved else EntryStatus.PENDING,
        pinned_on=pinned_on,
        decided_by=actor.user_id if approved else "",
        decided_at=actor.now if approved else None,
        created_at=actor.now,
    )


def _organisers_entries(
    activity: Activity,
    actor_id: str,
    parsed: list[tuple[str, str]],
    now: datetime,
    pinned_on: date | None,
) -> list[AdventEntry]:
    actor = Actor(activity.team_id, actor_id, now)
    # Organisers' entries are the run's own, not credited: anonymous.
    return [
        _entry(activity, actor, tip, link, anonymous=True, approved=True, pinned_on=pinned_on)
        for tip, link in parsed
    ]


async def add_entries(
    session: AsyncSession,
    *,
    activity: Activity,
    actor_id: str,
    text: str,
    now: datetime,
    pinned_on: date | None = None,
) -> int:
    """Organisers' entries (one per line), approved at once; any bad line saves none."""
    assert activity.id is not None
    require_running(activity)
    parsed = rules.parse_entry_lines(text)
    if pinned_on is not None and len(parsed) != 1:
        raise UserError("Add one entry for that day.", field="entries")
    rows = _organisers_entries(activity, actor_id, parsed, now, pinned_on)
    await store.add_entries(session, entries=rows)
    log.info("advent entries added", extra={"activity_id": activity.id, "count": len(rows)})
    return len(rows)


@dataclass(frozen=True, slots=True)
class Imported:
    added: int
    problems: list[str]


async def import_file(
    session: AsyncSession,
    *,
    activity: Activity,
    actor_id: str,
    text: str,
    as_csv: bool,
    now: datetime,
) -> Imported:
    """An organiser's uploaded CSV or text file: good rows queued, bad rows listed."""
    assert activity.id is not None
    require_running(activity)
    good, problems = rules.parse_entry_file(text, as_csv=as_csv)
    rows = _organisers_entries(activity, actor_id, good, now, None)
    await store.add_entries(session, entries=rows)
    return Imported(len(rows), problems)


async def contribute(
    session: AsyncSession, actor: Actor, *, activity: Activity, tip: str, link: str, anonymous: bool
) -> AdventEntry:
    """A member's tip, pending an organiser's decision (a few pending at most)."""
    assert activity.id is not None
    require_running(activity)
    settings = settings_of(activity)
    text = rules.check_tip(tip)
    url = rules.check_link(link)
    waiting = await store.count_pending(session, activity_id=activity.id, author_id=actor.user_id)
    rules.check_cap(waiting, settings.cap)
    entry = _entry(activity, actor, text, url, anonymous=anonymous, approved=False)
    await store.add_entries(session, entries=[entry])
    return entry


async def get_entry(session: AsyncSession, *, team_id: str, entry_id: int) -> AdventEntry:
    entry = await store.get_entry(session, team_id=team_id, entry_id=entry_id)
    if entry is None:
        raise UserError(f"There is no entry {entry_id}. `/community advent entries` lists them.")
    return entry


async def decide(
    session: AsyncSession, actor: Actor, *, entry_id: int, approve: bool, note: str
) -> AdventEntry:
    """Approve a pending tip (it joins the queue) or return it to its author with a note."""
    entry = await store.get_entry(session, team_id=actor.team_id, entry_id=entry_id)
    if entry is None:
        raise UserError("That entry no longer exists.")
    if entry.status != EntryStatus.PENDING:
        raise UserError(f"That entry was already {entry.status}; nothing was changed.")
    note = note.strip()
    if not approve and not note:
        raise UserError("Say what to change in a note, so the author can fix it.", field="note")
    entry.status = EntryStatus.APPROVED if approve else EntryStatus.RETURNED
    entry.note = truncate(note, 500)
    entry.decided_by = actor.user_id
    entry.decided_at = actor.now
    session.add(entry)
    await session.flush()
    if approve:
        quoted = escape_mrkdwn(truncate(entry.text, 200))
        text = f"🎉 Your advent tip was approved; it will be posted on a free day:\n>{quoted}"
    else:
        text = (
            f"↩️ Your advent tip was returned with a note: _{escape_mrkdwn(entry.note)}_\n"
            f">{escape_mrkdwn(truncate(entry.text, 200))}\n"
            "Send it again with `/community advent contribute` once it's ready."
        )
    await intents.say_for(
        session,
        actor,
        advent_intents.note(key=f"entry:{entry_id}", user_id=entry.author_id, text=text),
    )
    return entry


async def _queued_entry(session: AsyncSession, activity: Activity, entry_id: int) -> AdventEntry:
    assert activity.id is not None
    queue = await store.approved_queue(session, activity_id=activity.id)
    entry = next((e for e in queue if e.id == entry_id), None)
    if entry is None:
        raise UserError(
            f"Entry {entry_id} isn't waiting for a day in this run (pending, returned or "
            "already posted?). `/community advent entries` lists them."
        )
    return entry


async def pin(
    session: AsyncSession, *, activity: Activity, entry_id: int, day: date | None, now: datetime
) -> AdventEntry:
    """Pin an approved entry to one of the run's future days (None unpins it)."""
    require_running(activity)
    entry = await _queued_entry(session, activity, entry_id)
    if day is not None:
        settings = settings_of(activity)
        if day not in rules.days(settings):
            raise UserError(f"{day.isoformat()} isn't one of this run's days.")
        if rules.due_at(settings, activity.timezone, day) <= now:
            raise UserError(f"{day.isoformat()} has been posted already; pick a later day.")
    entry.pinned_on = day
    session.add(entry)
    await session.flush()
    return entry


async def move(session: AsyncSession, *, activity: Activity, entry_id: int, before_id: int) -> None:
    """Reorder the queue: `entry_id` goes just before `before_id`."""
    assert activity.id is not None
    require_running(activity)
    entry = await _queued_entry(session, activity, entry_id)
    target = await _queued_entry(session, activity, before_id)
    queue = [e for e in await store.approved_queue(session, activity_id=activity.id)]
    order = [e for e in queue if e.id != entry.id]
    order.insert(next(i for i, e in enumerate(order) if e.id == target.id), entry)
    positions = sorted(e.position for e in queue)
    for position, item in zip(positions, order, strict=True):
        item.position = position
        session.add(item)
    await session.flush()


@dataclass(frozen=True, slots=True)
class PlannedDay:
    number: int
    day: date
    entry: AdventEntry | None
    posted: bool


async def planned_days(session: AsyncSession, *, activity: Activity) -> list[PlannedDay]:
    """Every day of the run with the entry it has or will get (None: a gap)."""
    assert activity.id is not None
    plan = await schedule_plan(session, activity=activity)
    handled = {d.day for d in await store.handled_days(session, activity_id=activity.id)}
    ids = [i for i in plan.values() if i is not None]
    entries = await store.entries_by_id(session, activity_id=activity.id, ids=ids)
    return [
        PlannedDay(n, d, entries.get(plan.get(d) or 0), d in handled)
        for n, d in enumerate(rules.days(settings_of(activity)), start=1)
    ]


# ---------------------------------------------------------------- the days


async def schedule_plan(session: AsyncSession, *, activity: Activity) -> dict[date, int | None]:
    assert activity.id is not None
    handled = await store.handled_days(session, activity_id=activity.id)
    queue = await store.approved_queue(session, activity_id=activity.id)
    return rules.plan(
        rules.days(settings_of(activity)),
        {d.day: d.entry_id for d in handled},
        [rules.Candidate(e.id, e.pinned_on) for e in queue if e.id is not None],
    )


async def _yesterday(
    session: AsyncSession, activity: Activity, day: date
) -> dict[str, int | str] | None:
    assert activity.id is not None
    before = await store.last_posted_before(session, activity_id=activity.id, day=day)
    if before is None:
        return None
    sent = await outbox.get_by_key(
        session, dedupe_key=advent_intents.day_key(activity.id, before.day)
    )
    post = engagement.post_of(sent)
    if post is None:
        return None
    found = await engagement.stats(session, post)
    return {"reactions": found.reactions, "replies": found.replies, "day": before.day.isoformat()}


async def post_due_days(session: AsyncSession, *, activity: Activity, now: datetime) -> int:
    """Post every day whose time has come and that no tick handled yet; late ones say so."""
    assert activity.id is not None
    settings = settings_of(activity)
    posting = rules.days(settings)
    plan = await schedule_plan(session, activity=activity)
    handled = {d.day for d in await store.handled_days(session, activity_id=activity.id)}
    posted = 0
    for number, day in enumerate(posting, start=1):
        due = rules.due_at(settings, activity.timezone, day)
        if due > now or day in handled:
            continue
        entry_id = plan.get(day)
        late = now - due > LATE_AFTER
        row = AdventDay(
            **in_activity(activity),
            day=day,
            number=number,
            entry_id=entry_id,
            late=late,
            handled_at=now,
        )
        if not await store.claim_day(session, day=row):
            continue
        if entry_id is None:
            for user_id in await manage.organisers(session, activity=activity, today=now.date()):
                await intents.say(
                    session,
                    team_id=activity.team_id,
                    intent=advent_intents.note(
                        key=f"{activity.id}:skipped:{day.isoformat()}",
                        user_id=user_id,
                        text=(
                            f"📭 Day {number} of {len(posting)} in <#{activity.channel_id}> had "
                            "no entry, so nothing was posted today."
                        ),
                    ),
                    now=now,
                )
            continue
        await intents.say(
            session,
            team_id=activity.team_id,
            intent=advent_intents.day_post(
                activity_id=activity.id,
                day=day,
                number=number,
                total=len(posting),
                entry_id=entry_id,
                late_since=due.isoformat() if late else None,
                yesterday=await _yesterday(session, activity, day),
            ),
            now=now,
        )
        posted += 1
    return posted


async def warn_gaps(session: AsyncSession, *, activity: Activity, now: datetime) -> int:
    """Tell the organisers about a day without an entry two days before it (once each)."""
    assert activity.id is not None
    settings = settings_of(activity)
    posting = rules.days(settings)
    plan = await schedule_plan(session, activity=activity)
    warned = 0
    for number, day in enumerate(posting, start=1):
        due = rules.due_at(settings, activity.timezone, day)
        if not (now < due <= now + rules.GAP_NOTICE_AHEAD) or plan.get(day) is not None:
            continue
        for user_id in await manage.organisers(session, activity=activity, today=now.date()):
            await intents.say(
                session,
                team_id=activity.team_id,
                intent=advent_intents.gap(
                    activity_id=activity.id, day=day, number=number, user_id=user_id
                ),
                now=now,
            )
        warned += 1
    return warned


async def tick(session: AsyncSession, *, activity: Activity, now: datetime) -> None:
    await post_due_days(session, activity=activity, now=now)
    await warn_gaps(session, activity=activity, now=now)


async def run(ctx: RunContext) -> None:
    """The run's last slot: the last day (if no tick posted it yet), then the recap."""
    assert ctx.activity.id is not None and ctx.run.id is not None
    await post_due_days(ctx.session, activity=ctx.activity, now=ctx.now)
    await intents.say(
        ctx.session,
        team_id=ctx.activity.team_id,
        intent=advent_intents.recap(activity_id=ctx.activity.id, run_id=ctx.run.id),
        now=ctx.now,
    )


# ---------------------------------------------------------------- the recap


@dataclass(frozen=True, slots=True)
class RecapDay:
    number: int
    day: date
    text: str
    link: str
    author_id: str | None  # None when anonymous (or an organiser's own entry)
    channel_id: str
    ts: str
    reactions: int
    replies: int


async def recap_days(session: AsyncSession, *, activity: Activity) -> list[RecapDay]:
    """Every posted day so far, with where it is and how it did."""
    assert activity.id is not None
    handled = [d for d in await store.handled_days(session, activity_id=activity.id) if d.entry_id]
    entries = await store.entries_by_id(
        session, activity_id=activity.id, ids=[d.entry_id for d in handled if d.entry_id]
    )
    found = []
    for day in handled:
        entry = entries.get(day.entry_id or 0)
        sent = await outbox.get_by_key(
            session, dedupe_key=advent_intents.day_key(activity.id, day.day)
        )
        post = engagement.post_of(sent)
        if entry is None or post is None:
            continue
        stats = await engagement.stats(session, post)
        found.append(
            RecapDay(
                number=day.number,
                day=day.day,
                text=entry.text,
                link=entry.link,
                author_id=None if entry.anonymous else entry.author_id,
                channel_id=post.channel_id,
                ts=post.ts,
                reactions=stats.reactions,
                replies=stats.replies,
            )
        )
    return found


async def days_in_flight(session: AsyncSession, *, activity: Activity) -> int:
    """Day posts asked for but not sent yet (the recap waits for them, to link them)."""
    assert activity.id is not None
    waiting = 0
    for day in await store.handled_days(session, activity_id=activity.id):
        sent = await outbox.get_by_key(
            session, dedupe_key=advent_intents.day_key(activity.id, day.day)
        )
        if sent is not None and not sent.ts and sent.status != OutboxStatus.FAILED:
            waiting += 1
    return waiting


def most_reacted(days: list[RecapDay], count: int = 3) -> list[RecapDay]:
    """The days with the most reactions (earlier first on ties), none with zero."""
    ranked = sorted((d for d in days if d.reactions), key=lambda d: (-d.reactions, d.day))
    return ranked[:count]


async def next_due(session: AsyncSession, *, activity: Activity, now: datetime) -> datetime | None:
    """When `tick` next has a day to post or a gap to warn about for this run."""
    settings = settings_of(activity)
    moments: list[datetime | None] = []
    for day in rules.days(settings):
        at = rules.due_at(settings, activity.timezone, day)
        moments += [at, at - rules.GAP_NOTICE_AHEAD]
    return due.next_after(now, moments)


# Contributed tips waiting for an organiser's approval, the oldest first.
TIPS: Backlog[AdventEntry] = Backlog(store.WAITING)
