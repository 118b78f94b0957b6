"""Role terms as Block Kit."""

from __future__ import annotations

from collections.abc import Sequence

from bot.blocks.common import Block, context, section
from storage.models import RoleTerm


def term_line(term: RoleTerm) -> str:
    return f"• <@{term.user_id}> — {term.role} until *{term.ends_on.isoformat()}*"


def role_list(terms: Sequence[RoleTerm]) -> tuple[str, list[Block]]:
    if not terms:
        text = (
            "Nobody holds an organiser term right now. An admin can assign one: "
            "`/community roles assign @ada organiser`."
        )
        return text, [section(text)]
    lines = [term_line(t) for t in terms]
    text = "*Organisers*\n" + "\n".join(lines)
    return text, [section(text), context("Terms last a year unless an admin sets `until`.")]
