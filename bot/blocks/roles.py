"""Role terms as Block Kit."""

from __future__ import annotations

from collections.abc import Mapping

from activities.text import escape_mrkdwn
from storage.models import RoleTerm


def term_line(term: RoleTerm, names: Mapping[str, str]) -> str:
    """`names`: each role's name by its key (a role admins made, or Organiser)."""
    name = escape_mrkdwn(names.get(term.role, term.role))
    return f"• <@{term.user_id}> — {name} until *{term.ends_on.isoformat()}*"
