"""The community report: read the rows, build the figures, send the parts by DM."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from activities import intents
from activities.errors import UserError
from activities.kind import Directory
from activities.report import export, figures
from activities.report import intents as report_intents
from activities.report import rows as r
from activities.report.periods import Period, last_month, month_start
from activities.roles import ORGANISER, SPONSOR
from storage import governance as governance_store
from storage import outbox
from storage import report as store

log = logging.getLogger(__name__)

# The monthly report goes out from this time (UTC) on the first working day.
SEND_AT = time(8, 0)


async def read_rows(
    session: AsyncSession, *, team_id: str, channel_id: str | None, period: Period
) -> r.Rows:
    """Everything the report for `period` reads, up to the period's end."""
    until = period.end
    scope = store.Scope(team_id=team_id, channel_id=channel_id, until=until)
    touches: list[r.Touch] = []
    for read in (
        store.poll_voters,
        store.rsvpers,
        store.engagers,
        store.thankers,
        store.readers,
        store.speakers,
    ):
        touches.extend(r.Touch(s, u, m) for s, u, m in await read(session, scope=scope))
    answers: dict[int, list[tuple[str, str]]] = {}
    for group_id, user_id, answer in await store.checkins(session, scope=scope):
        answers.setdefault(group_id, []).append((user_id, answer))
    groups = [
        r.GroupRow(
            source=kind,
            month=month,
            members=tuple(members),
            answered=tuple(sorted({u for u, _ in answers.get(group_id, [])})),
            met=any(a == "met" for _, a in answers.get(group_id, [])),
        )
        for group_id, kind, month, members in await store.groups(session, scope=scope)
    ]
    wins = [r.WinRow(m, a, tuple(c)) for m, a, c in await store.wins(session, scope=scope)]
    since = month_start(figures.window_start(period))
    counts = [
        r.Count(metric, month, value)
        for metric, month, value in await store.counts(session, scope=scope, since=since)
    ]
    return r.Rows(touches=touches, groups=groups, wins=wins, counts=counts)


async def audience_channel(session: AsyncSession, *, team_id: str, asked: str | None) -> str:
    """Whose members the share is of: the channel asked for, else the home channel."""
    if asked:
        return asked
    return (await governance_store.settings_of(session, team_id=team_id)).home_channel_id


async def compute(
    session: AsyncSession,
    *,
    team_id: str,
    period: Period,
    channel_id: str | None,
    members: list[str] | None,
) -> figures.Report:
    rows = await read_rows(session, team_id=team_id, channel_id=channel_id, period=period)
    return figures.build(rows, period=period, members=members)


def no_data(report: figures.Report, channel_id: str | None) -> str:
    where = f" in <#{channel_id}>" if channel_id else ""
    return (
        f"Nothing was recorded{where} in {report.label}: no pairings, votes, RSVPs, "
        "reactions, wins or thanks, so there is no report (and no chart). Try another "
        "period, e.g. `/community report quarter`."
    )


async def request(
    session: AsyncSession,
    *,
    team_id: str,
    user_id: str,
    report: figures.Report,
    request_id: str,
    now: datetime,
) -> None:
    """`/community report`: the chart and the CSV by DM (the figures are the reply)."""
    if not report.has_data:
        raise UserError(no_data(report, None))
    prefix = f"report:ask:{team_id}:{report.period}:{request_id}"
    payload = export.to_payload(report)
    for intent in report_intents.parts(prefix, user_id, payload, figures=False, asked=True):
        await intents.say(session, team_id=team_id, intent=intent, now=now)


# ---------------------------------------------------------------- the monthly report


def first_working_day(year: int, month: int) -> date:
    day = date(year, month, 1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def monthly_due(now: datetime) -> Period | None:
    """The month to report on when the monthly report is due now (from SEND_AT on the
    month's first working day, Monday to Friday), else None. Late is still on time: a
    bot that was down that day sends it when it is back."""
    today = now.date()
    first = first_working_day(today.year, today.month)
    if today < first or (today == first and now.time() < SEND_AT):
        return None
    return last_month(today)


async def send_monthly(session: AsyncSession, *, directory: Directory, now: datetime) -> int:
    """Send each community's monthly report to its organisers and sponsors, once a
    month (the team+month dedupe key); how many communities were sent one now."""
    period = monthly_due(now)
    if period is None:
        return 0
    holders = await governance_store.role_holders(
        session, roles=(ORGANISER, SPONSOR), today=now.date()
    )
    sent = 0
    for team_id, users in sorted(holders.items()):
        key = report_intents.monthly_key(team_id, period.key)
        if await outbox.get_by_key(session, dedupe_key=key) is not None:
            continue
        channel = await audience_channel(session, team_id=team_id, asked=None)
        members = await directory.channel_members(team_id, channel) if channel else None
        report = await compute(
            session, team_id=team_id, period=period, channel_id=None, members=members
        )
        for user_id in sorted(users):
            for intent in _monthly_parts(key, user_id, report):
                await intents.say(session, team_id=team_id, intent=intent, now=now)
        await intents.say(
            session,
            team_id=team_id,
            intent=report_intents.MONTHLY(key, recipients=len(users), period=period.key),
            now=now,
        )
        await session.commit()
        log.info(
            "monthly report sent",
            extra={"team_id": team_id, "period": period.key, "recipients": len(users)},
        )
        sent += 1
    return sent


def _monthly_parts(key: str, user_id: str, report: figures.Report) -> list[intents.Intent]:
    if not report.has_data:
        return [
            report_intents.EMPTY(
                f"{key}:{user_id}:empty", user_id=user_id, text=no_data(report, None)
            )
        ]
    return report_intents.parts(key, user_id, export.to_payload(report), figures=True)


def next_monthly_change(now: datetime) -> datetime:
    """The next moment `monthly_due`'s answer changes: SEND_AT on this or next month's
    first working day (UTC)."""
    this = now.date().replace(day=1)
    following = (this + timedelta(days=32)).replace(day=1)
    moments = [
        datetime.combine(first_working_day(m.year, m.month), SEND_AT, tzinfo=UTC)
        for m in (this, following)
    ]
    return min(m for m in moments if m > now)  # next month's is always ahead
