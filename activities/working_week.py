"""A member's working week: the local hours and days they meet and are pinged in.

Until a member chooses their own (`/coffee hours 9-17 mon-thu`) everyone has this one
default, kept here only: the matcher, the suggested times, quiet hours and what
`/coffee settings` shows all read it, so the screen never tells another story than the
decisions.
"""

from __future__ import annotations

START = 8
END = 19
DAYS = frozenset(range(5))  # Monday (0) to Friday
HOURS = (START, END)
