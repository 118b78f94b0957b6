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
    # 25 short lines per section keep each well under Slack's 3,000 characters.
    chunks = [lines[i : i + 25] for i in range(0, len(lines), 25)][:45]
    blocks = [section("*Organisers*")] + [section("\n".join(chunk)) for chunk in chunks]
    return text, [*blocks, context("Terms last a year unless an admin sets `until`.")]
