"""Report periods: a calendar month or quarter, named by what organisers type."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from activities.errors import UserError
from activities.text import escape_mrkdwn

EXAMPLE = "/community report 2026-11"
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(\d{4})-?[qQ]([1-4])")
MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def shift(key: str, months: int) -> str:
    """The month key `months` later (earlier when negative)."""
    year, month = int(key[:4]), int(key[5:7])
    index = year * 12 + month - 1 + months
    return month_key(index // 12, index % 12 + 1)


def month_start(key: str) -> datetime:
    return datetime(int(key[:4]), int(key[5:7]), 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Period:
    """One month (`length` 1) or quarter (3), starting at month key `first`."""

    first: str
    length: int = 1

    @property
    def months(self) -> tuple[str, ...]:
        return tuple(shift(self.first, i) for i in range(self.length))

    @property
    def last(self) -> str:
        return shift(self.first, self.length - 1)

    @property
    def start(self) -> datetime:
        return month_start(self.first)

    @property
    def end(self) -> datetime:
        """Exclusive: the first instant after the period."""
        return month_start(shift(self.first, self.length))

    @property
    def key(self) -> str:
        """What names it in dedupe keys and files: `2026-11` or `2026-Q4`."""
        if self.length == 3:
            return f"{self.first[:4]}-Q{(int(self.first[5:7]) - 1) // 3 + 1}"
        return self.first

    @property
    def label(self) -> str:
        if self.length == 3:
            return f"Q{(int(self.first[5:7]) - 1) // 3 + 1} {self.first[:4]}"
        return f"{MONTH_NAMES[int(self.first[5:7]) - 1]} {self.first[:4]}"

    def previous(self) -> Period:
        return Period(shift(self.first, -self.length), self.length)


def this_month(today: date) -> str:
    return month_key(today.year, today.month)


def last_month(today: date) -> Period:
    return Period(shift(this_month(today), -1))


def last_quarter(today: date) -> Period:
    current_first = month_key(today.year, (today.month - 1) // 3 * 3 + 1)
    return Period(shift(current_first, -3), 3)


def parse(text: str, *, today: date) -> Period:
    """`month` or nothing (the last complete month), `quarter` (the last complete one),
    `2026-11` or `2026-Q3`; a period not over yet is refused, saying which is."""
    word = text.strip().lower()
    if word in ("", "month"):
        return last_month(today)
    if word == "quarter":
        return last_quarter(today)
    period: Period | None = None
    if m := _MONTH.fullmatch(word):
        if 1 <= int(m[2]) <= 12:
            period = Period(month_key(int(m[1]), int(m[2])))
    elif m := _QUARTER.fullmatch(word):
        period = Period(month_key(int(m[1]), (int(m[2]) - 1) * 3 + 1), 3)
    if period is None or not 2000 <= int(period.first[:4]) <= 2999:
        raise UserError(
            f"`{escape_mrkdwn(text[:40])}` isn't a period. Use `month` (the last complete "
            f"one), `quarter`, a month like `2026-11` or a quarter like `2026-Q3`. "
            f"Example: `{EXAMPLE}`"
        )
    if period.end > datetime(today.year, today.month, today.day, tzinfo=UTC):
        if period.start.date() > today:
            raise UserError(
                f"{period.label} is in the future: there is nothing to report yet. "
                f"The last complete month is {last_month(today).label} (`/community report`)."
            )
        raise UserError(
            f"{period.label} isn't over yet; a report covers a complete period. "
            f"The last complete month is {last_month(today).label} (`/community report`)."
        )
    return period
