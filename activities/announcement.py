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
    # Measured as it will be sent: & < > grow when escaped for Slack.
    sent_length = len(text) + 4 * text.count("&") + 3 * (text.count("<") + text.count(">"))
    if sent_length > MAX_TEXT:
        raise UserError(
            f"That text is {sent_length} characters as Slack counts them; "
            f"one post shows at most {MAX_TEXT}."
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
