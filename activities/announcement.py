"""The simplest scheduled kind: post an organiser's text to a channel on a schedule."""

from __future__ import annotations

from activities import intents, kinds
from activities.errors import UserError
from storage import outbox

MAX_TEXT = 3000
EXAMPLE = (
    '/community new announcement #general "every monday 09:00" "Stand-up notes are in the doc"'
)


def validate_text(text: str) -> str:
    text = text.strip()
    if not text:
        raise UserError(f"An announcement needs some text. Example: `{EXAMPLE}`")
    if len(text) > MAX_TEXT:
        raise UserError(
            f"That text is {len(text)} characters; Slack shows at most {MAX_TEXT} in one post."
        )
    return text


async def run(ctx: kinds.RunContext) -> None:
    assert ctx.activity.id is not None and ctx.run.id is not None
    await outbox.enqueue(
        ctx.session,
        team_id=ctx.activity.team_id,
        intent=intents.announcement_post(activity_id=ctx.activity.id, run_id=ctx.run.id),
        now=ctx.now,
    )


kinds.register(kinds.Kind(name="announcement", label="Announcement", run=run))
