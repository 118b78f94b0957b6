"""The community report's reads: who took part and how much, bucketed by month in SQL.

Each query aggregates in the database (DISTINCT person and month, COUNT per month), so
a year of a 2,000-member community comes back as a few thousand small rows. Months are
`YYYY-MM` keys of UTC time. `channel_id` narrows everything to one channel's activities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
    and_,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    union,
)
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.engagement import REACTION, Engagement
from storage.kinds.bookclub.models import BookProgress, BookRound
from storage.kinds.coffee.models import CoffeeCheckin, CoffeeGroup, CoffeeRound, CoffeeRoundStatus
from storage.kinds.poll.models import Poll, PollVote
from storage.kinds.talks.models import Talk, TalkStatus
from storage.models import Activity, OutboxMessage, Rsvp, RsvpEvent, Thanks, Win


def _table(model: Any) -> Any:
    return model.__table__


A, P, V, E, R = map(_table, (Activity, Poll, PollVote, RsvpEvent, Rsvp))
G, O, T, W = map(_table, (Engagement, OutboxMessage, Thanks, Win))  # noqa: E741
BP, BR, TK = map(_table, (BookProgress, BookRound, Talk))
CG, CR, CC = map(_table, (CoffeeGroup, CoffeeRound, CoffeeCheckin))


@dataclass(frozen=True, slots=True)
class Scope:
    """Whose records, which channel's activities (None: all), and up to when."""

    team_id: str
    channel_id: str | None
    until: datetime


Row = tuple[str, str, str]  # (source or metric, user id or "", month)
PAIRING_KINDS = ("coffee", "breakfast")


def _month(session: AsyncSession, column: Any) -> Any:
    """The `YYYY-MM` of a UTC datetime column, on either database."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.substr(cast(column, String), 1, 7)  # SQLite keeps naive UTC text


def _between(column: Any, since: datetime | None, until: datetime) -> Any:
    return column < until if since is None else and_(column >= since, column < until)


def _in_channel(column: Any, channel_id: str | None) -> Any:
    return literal(True) if channel_id is None else column == channel_id


async def _rows(session: AsyncSession, stmt: Any) -> list[Row]:
    return [(str(a), str(b), str(c)) for a, b, c in (await session.exec(stmt)).all()]


async def _counts(session: AsyncSession, stmt: Any) -> list[tuple[str, str, int]]:
    return [(str(a), str(b), int(c)) for a, b, c in (await session.exec(stmt)).all()]


# ------------------------------------------------------------------ who took part


async def poll_voters(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(polls, voter, month) for named polls only: an anonymous voter key is no person."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    month = _month(session, V.c.voted_at)
    stmt = (
        select(literal("polls"), V.c.voter_key, month)
        .join(P, P.c.id == V.c.poll_id)
        .where(
            V.c.team_id == team_id,
            P.c.anonymous == false(),
            P.c.deleted_at.is_(None),
            _in_channel(P.c.channel_id, channel_id),
            V.c.voted_at < until,
        )
        .distinct()
    )
    return await _rows(session, stmt)


def _rsvp_join(team_id: str, channel_id: str | None) -> Any:
    return and_(
        E.c.team_id == team_id,
        E.c.event_key == R.c.event_key,
        E.c.cancelled_at.is_(None),
        _in_channel(E.c.channel_id, channel_id),
    )


async def rsvpers(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(events, person, month of the event) for going and maybe answers."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    stmt = (
        select(literal("events"), R.c.user_id, _month(session, E.c.starts_at))
        .join(E, _rsvp_join(team_id, channel_id))
        .where(R.c.team_id == team_id, R.c.answer.in_(("going", "maybe")), E.c.starts_at < until)
        .distinct()
    )
    return await _rows(session, stmt)


def _posts(team_id: str, channel_id: str | None) -> Any:
    """Each bot post with engagement, once, with the kind of post it was (the first
    outbox row that recorded it: updates of a message share its channel and ts)."""
    posts = (
        select(G.c.channel_id, G.c.message_ts)
        .where(G.c.team_id == team_id, _in_channel(G.c.channel_id, channel_id))
        .distinct()
        .subquery()
    )
    intent = func.min(O.c.intent)
    source = case(
        (intent.like("advent.%"), "advent"),
        (intent.like("discussion.%"), "discussion"),
        else_="posts",
    )
    return (
        select(posts.c.channel_id, posts.c.message_ts, source.label("source"))
        .join(
            O,
            and_(
                O.c.channel_id == posts.c.channel_id,
                O.c.ts == posts.c.message_ts,
                O.c.team_id == team_id,
            ),
        )
        .group_by(posts.c.channel_id, posts.c.message_ts)
        .subquery()
    )


def _engagement(team_id: str, channel_id: str | None, until: datetime) -> tuple[Any, Any]:
    posts = _posts(team_id, channel_id)
    on = and_(
        G.c.team_id == team_id,
        G.c.channel_id == posts.c.channel_id,
        G.c.message_ts == posts.c.message_ts,
        G.c.present == True,  # noqa: E712
        G.c.updated_at < until,
    )
    return posts, on


async def engagers(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(advent|discussion|posts, person, month) for reactions and replies on bot posts."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    posts, on = _engagement(team_id, channel_id, until)
    stmt = (
        select(posts.c.source, G.c.user_id, _month(session, G.c.updated_at))
        .select_from(posts)
        .join(G, on)
        .distinct()
    )
    return await _rows(session, stmt)


def _thanks_in(channel_id: str | None) -> Any:
    # Only thanks shown in a channel belong to one; private thanks count community-wide.
    return _in_channel(T.c.channel_id, channel_id)


async def thankers(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(thanks, person, month) for those who gave and those who received thanks."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    month = _month(session, T.c.created_at)
    where = (T.c.team_id == team_id, T.c.created_at < until, _thanks_in(channel_id))
    stmt = union(
        select(literal("thanks"), T.c.giver_id, month).where(*where),
        select(literal("thanks"), T.c.receiver_id, month).where(*where),
    )
    return await _rows(session, stmt)


def _activity_join(column: Any, team_id: str, channel_id: str | None, *kinds: str) -> Any:
    clauses = [A.c.id == column, A.c.team_id == team_id, _in_channel(A.c.channel_id, channel_id)]
    if kinds:
        clauses.append(A.c.kind.in_(kinds))
    return and_(*clauses)


async def readers(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(bookclub, person, month) for those who marked progress on a milestone."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    stmt = (
        select(literal("bookclub"), BP.c.user_id, _month(session, BP.c.updated_at))
        .join(BR, BR.c.id == BP.c.round_id)
        .join(A, _activity_join(BR.c.activity_id, team_id, channel_id))
        .where(BP.c.team_id == team_id, BP.c.updated_at < until)
        .distinct()
    )
    return await _rows(session, stmt)


async def speakers(session: AsyncSession, *, scope: Scope) -> list[Row]:
    """(talks, speaker, month) for talks given."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    stmt = (
        select(literal("talks"), TK.c.speaker_id, _month(session, TK.c.slot_at))
        .join(A, _activity_join(TK.c.activity_id, team_id, channel_id))
        .where(TK.c.team_id == team_id, TK.c.status == TalkStatus.GIVEN, TK.c.slot_at < until)
        .distinct()
    )
    return await _rows(session, stmt)


def _wins_in(channel_id: str | None) -> Any:
    if channel_id is None:
        return literal(True)
    return or_(W.c.channel_id == channel_id, W.c.source_channel_id == channel_id)


async def wins(session: AsyncSession, *, scope: Scope) -> list[tuple[str, str, list[str]]]:
    """(month, author, credited) of every win shared before `until`."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    stmt = select(_month(session, W.c.created_at), W.c.author_id, W.c.credited).where(
        W.c.team_id == team_id, W.c.created_at < until, _wins_in(channel_id)
    )
    result = await session.exec(stmt)
    return [(str(m), str(a), [str(u) for u in credited or []]) for m, a, credited in result.all()]


def _of_started_rounds(stmt: Any, scope: Scope) -> Any:
    """`stmt` (over groups) narrowed to the groups of pairing rounds that started."""
    return (
        stmt.join(CR, CR.c.id == CG.c.round_id)
        .join(A, _activity_join(CR.c.activity_id, scope.team_id, scope.channel_id, *PAIRING_KINDS))
        .where(
            CG.c.team_id == scope.team_id,
            CR.c.status == CoffeeRoundStatus.STARTED,
            CR.c.started_at < scope.until,
        )
    )


async def groups(session: AsyncSession, *, scope: Scope) -> list[tuple[int, str, str, list[str]]]:
    """(group id, coffee|breakfast, month the round started, members) of started rounds."""
    columns = select(CG.c.id, A.c.kind, _month(session, CR.c.started_at), CG.c.members)
    result = await session.exec(_of_started_rounds(columns.select_from(CG), scope))
    return [
        (int(i), str(k), str(m), [str(u) for u in members or []])
        for i, k, m, members in result.all()
    ]


async def checkins(session: AsyncSession, *, scope: Scope) -> list[tuple[int, str, str]]:
    """(group id, person, answer) of every check-in answer of those groups."""
    columns = select(CC.c.group_id, CC.c.user_id, CC.c.answer)
    joined = columns.select_from(CC).join(CG, CG.c.id == CC.c.group_id)
    result = await session.exec(_of_started_rounds(joined, scope))
    return [(int(g), str(u), str(a)) for g, u, a in result.all()]


# ------------------------------------------------------------------ how much, per month


async def counts(
    session: AsyncSession,
    *,
    scope: Scope,
    since: datetime,
) -> list[tuple[str, str, int]]:
    """(metric, month, value) for every per-activity count the report shows."""
    team_id, channel_id, until = scope.team_id, scope.channel_id, scope.until
    # Rows a month of one table: (metric, table, when, which count, in the channel).
    plain = (
        (
            "polls.run",
            P,
            P.c.created_at,
            P.c.deleted_at.is_(None),
            _in_channel(P.c.channel_id, channel_id),
        ),
        (
            "events.held",
            E,
            E.c.starts_at,
            E.c.cancelled_at.is_(None),
            _in_channel(E.c.channel_id, channel_id),
        ),
        ("wins.shared", W, W.c.created_at, literal(True), _wins_in(channel_id)),
        ("thanks.given", T, T.c.created_at, literal(True), _thanks_in(channel_id)),
    )
    found: list[tuple[str, str, int]] = []
    for stmt in (
        *(
            _tally(
                session,
                metric,
                at,
                since,
                until,
                t.c.team_id == team_id,
                live,
                where,
            )
            for metric, t, at, live, where in plain
        ),
        _poll_responses(session, team_id, channel_id, since, until),
        _rsvp_answers(session, team_id, channel_id, since, until),
        _finishers(session, team_id, channel_id, since, until),
        _talks_given(session, team_id, channel_id, since, until),
        _engagement_counts(session, team_id, channel_id, since, until),
    ):
        found.extend(await _counts(session, stmt))
    return found


def _tally(
    session: AsyncSession,
    metric: str,
    at: Any,
    since: datetime,
    until: datetime,
    *where: Any,
    source: Any = None,
) -> Any:
    """How many rows of `source` (a table or a join) each month of `at`, as `metric`."""
    month = _month(session, at)
    stmt = select(literal(metric), month, func.count())
    if source is not None:
        stmt = stmt.select_from(source)
    return stmt.where(_between(at, since, until), *where).group_by(month)


def _poll_responses(
    session: AsyncSession, team_id: str, channel_id: str | None, since: datetime, until: datetime
) -> Any:
    """One response per voter per poll (a multi-choice voter holds several rows), anonymous
    polls included: counted, never named. Counted in the month the poll was created."""
    month = _month(session, P.c.created_at)
    voters = (
        select(V.c.poll_id, V.c.voter_key, month.label("month"))
        .join(P, P.c.id == V.c.poll_id)
        .where(
            V.c.team_id == team_id,
            P.c.deleted_at.is_(None),
            _in_channel(P.c.channel_id, channel_id),
            _between(P.c.created_at, since, until),
        )
        .distinct()
        .subquery()
    )
    return select(literal("polls.responses"), voters.c.month, func.count()).group_by(voters.c.month)


def _rsvp_answers(
    session: AsyncSession, team_id: str, channel_id: str | None, since: datetime, until: datetime
) -> Any:
    month = _month(session, E.c.starts_at)
    metric = func.concat("events.", R.c.answer) if _is_pg(session) else "events." + R.c.answer
    return (
        select(metric, month, func.count())
        .join(E, _rsvp_join(team_id, channel_id))
        .where(
            R.c.team_id == team_id,
            R.c.answer.in_(("going", "maybe")),
            _between(E.c.starts_at, since, until),
        )
        .group_by(R.c.answer, month)
    )


def _finishers(
    session: AsyncSession, team_id: str, channel_id: str | None, since: datetime, until: datetime
) -> Any:
    """Each reader who finished a round, once, in the month they first said so."""
    first = (
        select(BP.c.round_id, BP.c.user_id, func.min(BP.c.updated_at).label("at"))
        .join(BR, BR.c.id == BP.c.round_id)
        .join(A, _activity_join(BR.c.activity_id, team_id, channel_id))
        .where(BP.c.team_id == team_id, BP.c.answer == "finished")
        .group_by(BP.c.round_id, BP.c.user_id)
        .subquery()
    )
    month = _month(session, first.c.at)
    return (
        select(literal("bookclub.finishers"), month, func.count())
        .where(_between(first.c.at, since, until))
        .group_by(month)
    )


def _talks_given(
    session: AsyncSession, team_id: str, channel_id: str | None, since: datetime, until: datetime
) -> Any:
    given = (TK.c.team_id == team_id, TK.c.status == TalkStatus.GIVEN)
    source = TK.join(A, _activity_join(TK.c.activity_id, team_id, channel_id))
    return _tally(session, "talks.given", TK.c.slot_at, since, until, *given, source=source)


def _engagement_counts(
    session: AsyncSession, team_id: str, channel_id: str | None, since: datetime, until: datetime
) -> Any:
    posts, on = _engagement(team_id, channel_id, until)
    month = _month(session, G.c.updated_at)
    what = case((G.c.kind == REACTION, ".reactions"), else_=".replies")
    metric = func.concat(posts.c.source, what) if _is_pg(session) else posts.c.source + what
    return (
        select(metric, month, func.count())
        .select_from(posts)
        .join(G, and_(on, G.c.updated_at >= since))
        .group_by(posts.c.source, G.c.kind, month)
    )


def _is_pg(session: AsyncSession) -> bool:
    return session.bind is not None and session.bind.dialect.name == "postgresql"
