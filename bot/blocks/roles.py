"""Role terms as Block Kit."""

from __future__ import annotations

from storage.models import RoleTerm


def term_line(term: RoleTerm) -> str:
    return f"• <@{term.user_id}> — {term.role} until *{term.ends_on.isoformat()}*"
