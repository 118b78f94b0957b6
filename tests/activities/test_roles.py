from __future__ import annotations

from datetime import date

import pytest

from activities.errors import UserError
from activities.roles import Standing, default_term_end, parse_role, parse_until


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 11, 27), date(2027, 11, 26)),
        (date(2028, 2, 29), date(2029, 2, 27)),  # no 29 Feb next year: falls back to the 28th
        (date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_a_term_lasts_one_year(start: date, end: date) -> None:
    assert default_term_end(start) == end


def test_role_names_and_dates_are_checked() -> None:
    assert parse_role("Organizer") == "organiser"
    with pytest.raises(UserError, match="Unknown role"):
        parse_role("overlord")
    today = date(2026, 11, 27)
    assert parse_until("2027-01-31", today=today) == date(2027, 1, 31)
    with pytest.raises(UserError, match="in the past"):
        parse_until("2026-11-26", today=today)
    with pytest.raises(UserError, match="YYYY-MM-DD"):
        parse_until("next tuesday", today=today)


def test_admins_may_do_what_organisers_may() -> None:
    assert Standing(is_admin=True, is_organiser=False).may_organise
    assert Standing(is_admin=False, is_organiser=True).may_organise
    assert not Standing(is_admin=False, is_organiser=False).may_organise
