"""Tests for activities.schedule: parsing, next-run maths, DST, deadlines, durations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from activities.schedule import (
    Schedule,
    ScheduleError,
    describe,
    next_run,
    parse_deadline,
    parse_duration,
    parse_schedule,
    preview,
    validate_timezone,
)

# Wednesday 25 November 2026, 12:00 UTC (= 12:00 in London, GMT).
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LONDON = "Europe/London"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("every monday 09:00", "cron:0 9 * * mon"),
        ("every monday at 9am", "cron:0 9 * * mon"),
        ("Every Monday at 9 AM", "cron:0 9 * * mon"),
        ("  every   MON   9:30 ", "cron:30 9 * * mon"),
        ("every mon 9:30pm", "cron:30 21 * * mon"),
        ("every tues 12am", "cron:0 0 * * tue"),
        ("every thursday 12pm", "cron:0 12 * * thu"),
        ("every day 08:00", "cron:0 8 * * *"),
        ("daily 08:00", "cron:0 8 * * *"),
        ("everyday at noon", "cron:0 12 * * *"),
        ("weekdays 08:45", "cron:45 8 * * mon-fri"),
        ("every weekday 8:45am", "cron:45 8 * * mon-fri"),
        ("weekends 10:00", "cron:0 10 * * sat,sun"),
        ("weekly on friday 16:00", "cron:0 16 * * fri"),
        ("every week on fri 16:00", "cron:0 16 * * fri"),
        ("mondays and thursdays 9am", "cron:0 9 * * mon,thu"),
        ("every mon, wed and fri 12:00", "cron:0 12 * * mon,wed,fri"),
        ("every mon-thu 12:00", "cron:0 12 * * mon-thu"),
        ("every 1 week on monday 09:00", "cron:0 9 * * mon"),
        # Every-N-weeks: the anchor is the first occurrence after NOW (a Wednesday).
        ("every 2 weeks on tuesday 10:30", "every:2w:tue:10:30:2026-12-01"),
        ("every 4 weeks on friday 16:00", "every:4w:fri:16:00:2026-11-27"),
        ("every other tuesday 10:30", "every:2w:tue:10:30:2026-12-01"),
        ("fortnightly on thursday 17:30", "every:2w:thu:17:30:2026-11-26"),
        ("every other week on wed 13:00", "every:2w:wed:13:00:2026-11-25"),
        ("every other week on wed 11:00", "every:2w:wed:11:00:2026-12-02"),
        ("every 2 weeks on mon and thu 9:00", "every:2w:mon,thu:09:00:2026-11-26"),
        # Monthly.
        ("every month on the 1st 10:00", "cron:0 10 1 * *"),
        ("monthly on the 15th 10:00", "cron:0 10 15 * *"),
        ("every month on the last day 10:00", "monthly:last:day:10:00"),
        ("first monday of the month 10:00", "monthly:1:mon:10:00"),
        ("every month on the third wednesday 18:00", "monthly:3:wed:18:00"),
        ("last friday of every month 16:00", "monthly:last:fri:16:00"),
        # One-offs.
        ("once 2026-12-01 10:00", "once:2026-12-01T10:00"),
        ("once on 2026-12-01 at 10am", "once:2026-12-01T10:00"),
        ("2026-12-01T10:00", "once:2026-12-01T10:00"),
        ("2026-12-01 10:00", "once:2026-12-01T10:00"),
        ("once friday 10:00", "once:2026-11-27T10:00"),
        # Cron: numeric day-of-week is standard cron (1 = Monday, 0 and 7 = Sunday).
        ("0 9 * * 1", "cron:0 9 * * mon"),
        ("cron 0 9 * * 1", "cron:0 9 * * mon"),
        ("cron: 0 9 * * 1", "cron:0 9 * * mon"),
        ("0 9 * * 0", "cron:0 9 * * sun"),
        ("0 9 * * 7", "cron:0 9 * * sun"),
        ("0 9 * * 1-5", "cron:0 9 * * mon-fri"),
        ("0 9 * * MON-FRI", "cron:0 9 * * mon-fri"),
        ("0 9 * * 0,6", "cron:0 9 * * sat,sun"),
        ("0 9 * * 5-7", "cron:0 9 * * fri,sat,sun"),
        ("0 9 * * */2", "cron:0 9 * * tue,thu,sat,sun"),
        ("0 9 * * 0-6", "cron:0 9 * * *"),
        ("30 17 1 * *", "cron:30 17 1 * *"),
        ("0 9,17 * * 1", "cron:0 9,17 * * mon"),
        # Stored rules round-trip.
        ("cron:0 9 * * mon", "cron:0 9 * * mon"),
        ("every:2w:tue:10:30:2026-12-01", "every:2w:tue:10:30:2026-12-01"),
        ("monthly:last:fri:16:00", "monthly:last:fri:16:00"),
        ("once:2026-12-01T10:00", "once:2026-12-01T10:00"),
    ],
)
def test_parse_schedule_rules(text: str, rule: str) -> None:
    assert parse_schedule(text, LONDON, now=NOW) == Schedule(rule, LONDON)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("every blursday", 'Couldn\'t read "every blursday". Try "every monday 09:00"'),
        ("", "Give a schedule"),
        ("every monday 25:00", '"25:00" isn\'t a valid time'),
        ("every monday 9:75", "isn't a valid time"),
        ("every monday 13pm", "isn't a valid time"),
        ("every monday", 'Add a time of day, e.g. "every monday 09:00"'),
        ("every monday 9:00 and 17:00", "just one time"),
        ("every 2 weeks 10:30", "Say which day"),
        ("weekly 10:30", "Say which day"),
        ("every 0 weeks on tue 9:00", "Repeat every 1 to 52 weeks"),
        ("every 53 weeks on tue 9:00", "Repeat every 1 to 52 weeks"),
        ("every month on the 32nd 10:00", "Days of the month run 1-31"),
        ("every month on the fifth monday 10:00", "first monday"),
        ("monday 09:00", "Couldn't read"),
        ("once 2020-01-01 10:00", "is in the past"),
        ("once 2026-02-30 10:00", "isn't a real date"),
        ("once 2026-12-01", "Add a time of day"),
        ("once whenever", "Couldn't read"),
        ("0 25 * * *", 'Couldn\'t read cron "0 25 * * *"'),
        ("0 9 * * 8", "out of range"),
        ("0 9 * * 1#2", "aren't supported"),
        ("0 9 * * 5L", "aren't supported"),
        ("0 9 * * 5-1", "runs backwards"),
        ("0 9 * * blursday", "Couldn't read day of week"),
        ("0 9 1 * 1", "both a day of the month and a day of the week"),
        ("cron 0 9 * *", "needs 5 fields"),
        ("* * * * *", "more than once an hour"),
        ("*/30 9 * * 1", "more than once an hour"),
        ("0 9 30 2 *", "never fires"),
        ("every:2w:xyz:10:30:2026-12-01", "Unrecognised schedule rule"),
    ],
)
def test_parse_schedule_errors(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_schedule(text, LONDON, now=NOW)
    assert message in str(info.value)
    # Every user-facing error carries an example to copy.
    assert '"' in str(info.value)


def test_schedule_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_schedule("every blursday", LONDON, now=NOW)


def test_generic_error_message_matches_the_brief() -> None:
    with pytest.raises(ScheduleError) as info:
        parse_schedule("every blursday", "UTC", now=NOW)
    assert str(info.value) == (
        'Couldn\'t read "every blursday". Try "every monday 09:00", '
        '"every 2 weeks on tuesday 10:30", "weekdays 08:45" or cron "0 9 * * 1".'
    )


def test_parse_schedule_requires_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_schedule("daily 09:00", "UTC", now=datetime(2026, 1, 1))


# --------------------------------------------------------------------------- time zones


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        (" America/New_York ", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
    ],
)
def test_validate_timezone(name: str, canonical: str) -> None:
    assert validate_timezone(name) == canonical


@pytest.mark.parametrize("name", ["Mars/Base", "PST", "", "localtime", "../etc/passwd", "Europe/"])
def test_unknown_timezone_rejected(name: str) -> None:
    with pytest.raises(ScheduleError, match=r"Unknown time zone .* Europe/London"):
        validate_timezone(name)
    with pytest.raises(ScheduleError, match="Unknown time zone"):
        parse_schedule("daily 09:00", name, now=NOW)
    with pytest.raises(ScheduleError, match="Unknown time zone"):
        parse_deadline("2d", now=NOW, timezone=name)


def test_parse_schedule_stores_canonical_zone() -> None:
    assert parse_schedule("daily 9:00", "europe/paris", now=NOW).timezone == "Europe/Paris"


# --------------------------------------------------------------------------- describe


@pytest.mark.parametrize(
    ("text", "zone", "expected"),
    [
        ("every monday 09:00", LONDON, "every Monday at 09:00 (Europe/London)"),
        (
            "every 2 weeks on tuesday 10:30",
            "Europe/Paris",
            "every 2 weeks on Tuesday at 10:30 (Europe/Paris)",
        ),
        ("weekdays 08:45", "UTC", "weekdays at 08:45 (UTC)"),
        ("weekends 10:00", "UTC", "weekends at 10:00 (UTC)"),
        ("daily 8am", "UTC", "every day at 08:00 (UTC)"),
        ("0 9 * * 1", "UTC", "every Monday at 09:00 (UTC)"),
        ("0 9,17 * * 1", "UTC", "cron 0 9,17 * * mon (UTC)"),
        ("15 10 * 1 *", "UTC", "cron 15 10 * 1 * (UTC)"),
        (
            "every mon, wed and fri 12:00",
            "UTC",
            "every Monday, Wednesday and Friday at 12:00 (UTC)",
        ),
        ("every month on the 1st 10:00", "UTC", "every month on the 1st at 10:00 (UTC)"),
        ("every month on the 22nd 10:00", "UTC", "every month on the 22nd at 10:00 (UTC)"),
        ("every month on the 11th 10:00", "UTC", "every month on the 11th at 10:00 (UTC)"),
        ("every month on the last day 10:00", "UTC", "every month on the last day at 10:00 (UTC)"),
        (
            "first monday of the month 10:00",
            "UTC",
            "every month on the first Monday at 10:00 (UTC)",
        ),
        ("once 2026-12-01 10:00", "UTC", "once on 2026-12-01 at 10:00 (UTC)"),
    ],
)
def test_describe(text: str, zone: str, expected: str) -> None:
    assert describe(parse_schedule(text, zone, now=NOW)) == expected


# --------------------------------------------------------------------------- next_run


def test_cron_monday_is_monday() -> None:
    schedule = parse_schedule("0 9 * * 1", "UTC", now=NOW)
    fire = next_run(schedule, NOW)
    assert fire == utc(2026, 11, 30, 9, 0)
    assert fire is not None and fire.weekday() == 0


def test_cron_sunday_both_numbers() -> None:
    for text in ("0 9 * * 0", "0 9 * * 7"):
        fire = next_run(parse_schedule(text, "UTC", now=NOW), NOW)
        assert fire is not None and fire.weekday() == 6


def test_next_run_is_strictly_after() -> None:
    schedule = parse_schedule("every monday 09:00", "UTC", now=NOW)
    exactly = utc(2026, 11, 30, 9, 0)
    assert next_run(schedule, exactly) == utc(2026, 12, 7, 9, 0)
    assert next_run(schedule, exactly - timedelta(microseconds=1)) == exactly


def test_next_run_accepts_any_aware_datetime_and_returns_utc() -> None:
    schedule = parse_schedule("every monday 09:00", "UTC", now=NOW)
    after = NOW.astimezone(ZoneInfo("Asia/Tokyo"))
    fire = next_run(schedule, after)
    assert fire == utc(2026, 11, 30, 9, 0)
    assert fire is not None and fire.tzinfo is UTC


def test_next_run_rejects_naive() -> None:
    schedule = parse_schedule("every monday 09:00", "UTC", now=NOW)
    with pytest.raises(ValueError, match="timezone-aware"):
        next_run(schedule, datetime(2026, 1, 1))


@pytest.mark.parametrize(
    ("after", "expected_utc"),
    [
        # Autumn 2026: clocks go back on Sunday 25 October.
        (utc(2026, 10, 13, 12), utc(2026, 10, 19, 8, 0)),  # BST: 09:00 local = 08:00 UTC
        (utc(2026, 10, 20, 12), utc(2026, 10, 26, 9, 0)),  # GMT: 09:00 local = 09:00 UTC
        # Spring 2027: clocks go forward on Sunday 28 March.
        (utc(2027, 3, 16, 12), utc(2027, 3, 22, 9, 0)),  # GMT
        (utc(2027, 3, 23, 12), utc(2027, 3, 29, 8, 0)),  # BST
    ],
)
def test_weekly_dst_london(after: datetime, expected_utc: datetime) -> None:
    schedule = Schedule("cron:0 9 * * mon", LONDON)
    fire = next_run(schedule, after)
    assert fire == expected_utc
    assert fire is not None and fire.astimezone(ZoneInfo(LONDON)).hour == 9


def test_weekly_dst_preview_keeps_local_time() -> None:
    schedule = parse_schedule("every monday 09:00", LONDON, now=NOW)
    fires = preview(schedule, utc(2026, 10, 1), count=30)
    zone = ZoneInfo(LONDON)
    assert all(f.astimezone(zone).strftime("%a %H:%M") == "Mon 09:00" for f in fires)
    assert {f.hour for f in fires} == {8, 9}  # both sides of both DST changes


def test_ambiguous_wall_time_fires_once() -> None:
    # 01:30 happens twice in London on 25 Oct 2026; fire on the first only.
    schedule = parse_schedule("every sunday 01:30", LONDON, now=NOW)
    fires = preview(schedule, utc(2026, 10, 24), count=2)
    assert fires == [utc(2026, 10, 25, 0, 30), utc(2026, 11, 1, 1, 30)]
    # Even asked from between the two passes, it doesn't fire again that night.
    assert next_run(schedule, utc(2026, 10, 25, 1, 0)) == utc(2026, 11, 1, 1, 30)


def test_nonexistent_wall_time_shifts_forward() -> None:
    # 01:30 doesn't exist in London on 28 Mar 2027; it runs once, at 02:30 BST.
    schedule = parse_schedule("every sunday 01:30", LONDON, now=NOW)
    fires = preview(schedule, utc(2027, 3, 27), count=2)
    assert fires == [utc(2027, 3, 28, 1, 30), utc(2027, 4, 4, 0, 30)]


def test_biweekly_parity_is_stable() -> None:
    schedule = parse_schedule("every 2 weeks on tuesday 10:30", "Europe/Paris", now=NOW)
    anchor = date(2026, 12, 1)
    assert schedule.rule.endswith(anchor.isoformat())
    zone = ZoneInfo("Europe/Paris")
    seen: set[date] = set()
    # Ask from every 13 hours over more than a year (crossing both DST changes).
    after = NOW
    while after < NOW + timedelta(days=400):
        fire = next_run(schedule, after)
        assert fire is not None and fire > after
        local = fire.astimezone(zone)
        assert (local.hour, local.minute) == (10, 30)
        assert (local.date() - anchor).days % 14 == 0
        seen.add(local.date())
        after += timedelta(hours=13)
    # Nothing skipped: every on-week between first and last was hit.
    ordered = sorted(seen)
    assert all((b - a).days == 14 for a, b in pairwise(ordered))


def test_biweekly_same_answer_from_different_parse_times() -> None:
    # Parsed on different days of the same "off" week, the anchor and so the rhythm agree.
    first = parse_schedule("every 2 weeks on tuesday 10:30", LONDON, now=NOW)
    later = parse_schedule("every 2 weeks on tuesday 10:30", LONDON, now=NOW + timedelta(days=2))
    assert first == later


def test_every_four_weeks_preview() -> None:
    schedule = parse_schedule("every 4 weeks on friday 16:00", "UTC", now=NOW)
    fires = preview(schedule, NOW, count=4)
    assert fires == [
        utc(2026, 11, 27, 16),
        utc(2026, 12, 25, 16),
        utc(2027, 1, 22, 16),
        utc(2027, 2, 19, 16),
    ]


def test_every_n_weeks_does_not_fire_before_anchor() -> None:
    schedule = Schedule("every:2w:tue:10:30:2026-12-01", "UTC")
    assert next_run(schedule, utc(2026, 1, 1)) == utc(2026, 12, 1, 10, 30)


def test_every_n_weeks_multiple_days() -> None:
    schedule = parse_schedule("every 2 weeks on mon and thu 9:00", "UTC", now=NOW)
    assert preview(schedule, NOW, count=4) == [
        utc(2026, 11, 26, 9),  # anchor week: Thursday only (Monday was before it)
        utc(2026, 12, 7, 9),
        utc(2026, 12, 10, 9),
        utc(2026, 12, 21, 9),
    ]


def test_monthly_rules() -> None:
    first_monday = parse_schedule("first monday of the month 10:00", "UTC", now=NOW)
    assert preview(first_monday, NOW, count=3) == [
        utc(2026, 12, 7, 10),
        utc(2027, 1, 4, 10),
        utc(2027, 2, 1, 10),
    ]
    last_day = parse_schedule("every month on the last day 10:00", "UTC", now=NOW)
    assert preview(last_day, NOW, count=4) == [
        utc(2026, 11, 30, 10),
        utc(2026, 12, 31, 10),
        utc(2027, 1, 31, 10),
        utc(2027, 2, 28, 10),
    ]
    the_31st = parse_schedule("monthly on the 31st 10:00", "UTC", now=NOW)
    assert [f.month for f in preview(the_31st, NOW, count=3)] == [12, 1, 3]


def test_once_returns_none_after_it_passed() -> None:
    schedule = parse_schedule("once 2026-12-01 10:00", LONDON, now=NOW)
    fire = utc(2026, 12, 1, 10, 0)
    assert next_run(schedule, NOW) == fire
    assert next_run(schedule, fire) is None
    assert next_run(schedule, fire + timedelta(days=1)) is None
    assert preview(schedule, NOW) == [fire]


def test_once_in_summer_time_is_local() -> None:
    schedule = parse_schedule("once 2027-07-01 10:00", LONDON, now=NOW)
    assert next_run(schedule, NOW) == utc(2027, 7, 1, 9, 0)


def test_once_with_offset_is_converted_to_schedule_zone() -> None:
    schedule = parse_schedule("2026-12-01T10:00+01:00", LONDON, now=NOW)
    assert schedule.rule == "once:2026-12-01T09:00"


@pytest.mark.parametrize(
    "rule",
    [
        "nonsense",
        "cron:0 9 * *",
        "every:0w:tue:10:30:2026-12-01",
        "every:2w:tue:25:30:2026-12-01",
        "every:2w:tue:10:30:2026-13-01",
        "monthly:5:mon:10:00",
        "monthly:1:day:10:00",
        "once:tomorrow",
    ],
)
def test_malformed_stored_rule(rule: str) -> None:
    with pytest.raises(ScheduleError):
        next_run(Schedule(rule, "UTC"), NOW)


def test_preview_count() -> None:
    schedule = parse_schedule("daily 09:00", "UTC", now=NOW)
    assert preview(schedule, NOW, count=0) == []
    fires = preview(schedule, NOW, count=7)
    assert len(fires) == 7
    assert fires[0] == utc(2026, 11, 26, 9)
    assert all(b - a == timedelta(days=1) for a, b in pairwise(fires))


# --------------------------------------------------------------------------- properties

PROPERTY_TEXTS = [
    "every monday 09:00",
    "every sunday 01:30",
    "every sunday 02:30",
    "daily 00:00",
    "daily 00:30",
    "weekdays 23:59",
    "every 2 weeks on tuesday 10:30",
    "every 3 weeks on sunday 00:00",
    "every 2 weeks on sat and sun 01:30",
    "first sunday of the month 02:00",
    "every month on the last day 00:00",
    "every month on the 31st 12:00",
    "0 1,2,3 * * *",
    "30 0 * * 0",
    "once 2027-03-28 01:30",
]
PROPERTY_ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Santiago",  # DST changes at midnight
    "Australia/Lord_Howe",  # 30-minute DST shift
    "Pacific/Apia",  # skipped a whole day in 2011
    "Asia/Kolkata",
    "America/St_Johns",
]


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    return parse_schedule(
        draw(st.sampled_from(PROPERTY_TEXTS)),
        draw(st.sampled_from(PROPERTY_ZONES)),
        now=datetime(2026, 1, 1, tzinfo=UTC),
    )


aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2080, 12, 31), timezones=st.just(UTC)
)


@settings(max_examples=300, deadline=None)
@given(schedule=schedules(), after=aware_times)
def test_next_run_is_after_and_preview_increases(schedule: Schedule, after: datetime) -> None:
    fire = next_run(schedule, after)
    if fire is not None:
        assert fire > after
        assert fire.tzinfo is UTC
    fires = preview(schedule, after, count=5)
    assert all(a < b for a, b in pairwise(fires))
    assert fires[:1] == ([fire] if fire is not None else [])


@settings(max_examples=100, deadline=None)
@given(after=aware_times, zone=st.sampled_from(PROPERTY_ZONES))
def test_biweekly_parity_property(after: datetime, zone: str) -> None:
    schedule = Schedule("every:2w:wed:00:00:2026-01-07", zone)
    fire = next_run(schedule, after)
    assert fire is not None
    local_day = fire.astimezone(ZoneInfo(zone)).date()
    assert local_day.weekday() == 2
    assert (local_day - date(2026, 1, 7)).days % 14 == 0


# --------------------------------------------------------------------------- deadlines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2d", utc(2026, 11, 27, 12)),
        ("3h", utc(2026, 11, 25, 15)),
        ("90m", utc(2026, 11, 25, 13, 30)),
        ("1w", utc(2026, 12, 2, 12)),
        ("in 2 days", utc(2026, 11, 27, 12)),
        ("1d 12h", utc(2026, 11, 27, 0)),
        ("friday 17:00", utc(2026, 11, 27, 17)),
        ("fri 17:00", utc(2026, 11, 27, 17)),
        ("Fri 5pm", utc(2026, 11, 27, 17)),
        ("friday at 17:00", utc(2026, 11, 27, 17)),
        ("wed 17:00", utc(2026, 11, 25, 17)),  # today, still ahead
        ("wed 11:00", utc(2026, 12, 2, 11)),  # today but passed: next week
        ("by friday", utc(2026, 11, 27, 23, 59)),
        ("tomorrow 9:00", utc(2026, 11, 26, 9)),
        ("tomorrow", utc(2026, 11, 26, 23, 59)),
        ("today 18:00", utc(2026, 11, 25, 18)),
        ("17:00", utc(2026, 11, 25, 17)),  # later today
        ("11:00", utc(2026, 11, 26, 11)),  # passed: tomorrow
        ("2026-12-24", utc(2026, 12, 24, 23, 59)),  # a bare date means end of day
        ("2026-12-24T17:00", utc(2026, 12, 24, 17)),
        ("2026-12-24 17:00", utc(2026, 12, 24, 17)),
        ("2026-12-24 5pm", utc(2026, 12, 24, 17)),
        ("2026-12-24T17:00+01:00", utc(2026, 12, 24, 16)),
    ],
)
def test_parse_deadline_london(text: str, expected: datetime) -> None:
    result = parse_deadline(text, now=NOW, timezone=LONDON)
    assert result == expected
    assert result.tzinfo is UTC


def test_parse_deadline_uses_zone() -> None:
    # 12:00 UTC is 07:00 in New York: "17:00" is today, 22:00 UTC.
    assert parse_deadline("17:00", now=NOW, timezone="America/New_York") == utc(2026, 11, 25, 22)
    # In Tokyo it's already 21:00, so "17:00" means tomorrow (08:00 UTC).
    assert parse_deadline("17:00", now=NOW, timezone="Asia/Tokyo") == utc(2026, 11, 26, 8)
    # A summer date in London is BST.
    assert parse_deadline("2027-07-01 17:00", now=NOW, timezone=LONDON) == utc(2027, 7, 1, 16)


@pytest.mark.parametrize("text", ["2020-01-01", "2026-11-25 09:00", "today 09:00", "2026-11-24"])
def test_parse_deadline_in_the_past(text: str) -> None:
    with pytest.raises(ScheduleError, match="That deadline is in the past"):
        parse_deadline(text, now=NOW, timezone=LONDON)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("blah", "Couldn't read the deadline"),
        ("", "Give a deadline"),
        ("next blursday", "Couldn't read the deadline"),
        ("0d", "longer than zero"),
        ("2026-02-30", "isn't a real date"),
        ("friday 25:00", "isn't a valid time"),
        ("5", "Couldn't read the deadline"),
    ],
)
def test_parse_deadline_errors(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_deadline(text, now=NOW, timezone=LONDON)
    assert message in str(info.value)
    assert '"' in str(info.value)


def test_parse_deadline_requires_aware_now() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_deadline("2d", now=datetime(2026, 1, 1), timezone="UTC")


# --------------------------------------------------------------------------- durations


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2w", timedelta(weeks=2)),
        ("10d", timedelta(days=10)),
        ("3 weeks", timedelta(weeks=3)),
        ("1 week", timedelta(weeks=1)),
        ("1 WEEK", timedelta(weeks=1)),
        ("1w 2d", timedelta(days=9)),
        ("1 week and 2 days", timedelta(days=9)),
        ("36h", timedelta(hours=36)),
        ("45 min", timedelta(minutes=45)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("two weeks", "Couldn't read the duration"),
        ("2", "Couldn't read the duration"),
        ("2 fortnights", "Couldn't read the duration"),
        ("", "Couldn't read the duration"),
        ("0w", "longer than zero"),
        ("99999999w", "too long"),
        ("600w", "too long"),
    ],
)
def test_parse_duration_errors(text: str, message: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_duration(text)
    assert message in str(info.value)
    assert '"2w"' in str(info.value)
