"""The roadmap's pure rules: months in the poster's zone, a digest that changes exactly
when the content does, and when the view changes by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from activities.roadmap import digest, from_payload, plan, recheck_at, to_payload
from activities.timeline import TimelineEntry

NOW = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)


def entry(start: datetime, title: str = "Stand-up", **kw: object) -> TimelineEntry:
    return TimelineEntry(
        uid=f"u-{start.isoformat()}-{title}",
        activity_id=1,
        kind="announcement",
        title=title,
        channel_id="C1",
        start=start,
        timezone="UTC",
        last_modified=NOW,
        **kw,  # type: ignore[arg-type]
    )


def test_months_are_cut_in_the_posters_zone_and_lines_keep_their_order() -> None:
    late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already January in Paris
    months = plan([entry(late, "B"), entry(NOW, "A")], zone="Europe/Paris")
    assert [(m.label, [li.title for li in m.lines]) for m in months] == [
        ("November 2026", ["A"]),
        ("January 2027", ["B"]),
    ]
    assert [m.label for m in plan([entry(late)], zone="UTC")] == ["December 2026"]


def test_the_digest_changes_exactly_when_what_is_shown_does() -> None:
    base = [entry(NOW), entry(NOW + timedelta(days=7))]
    same = plan(list(reversed(base)), zone="UTC")
    assert digest(plan(base, zone="UTC")) == digest(same)
    assert digest(from_payload(to_payload(same))) == digest(same)
    for changed in (
        [entry(NOW, "Renamed"), base[1]],
        [entry(NOW, status="cancelled"), base[1]],
        [entry(NOW, message=("C1", "1.2")), base[1]],
        base[1:],
    ):
        assert digest(plan(changed, zone="UTC")) != digest(same)


def test_the_view_is_checked_again_when_its_first_entry_passes() -> None:
    months = plan([entry(NOW + timedelta(minutes=30))], zone="UTC")
    assert recheck_at(months, NOW) == NOW + timedelta(minutes=30, seconds=1)
    far = plan([entry(NOW + timedelta(days=3))], zone="UTC")
    assert recheck_at(far, NOW) == NOW + timedelta(hours=1)  # new entries enter at the end
    assert recheck_at((), NOW) == NOW + timedelta(hours=1)
