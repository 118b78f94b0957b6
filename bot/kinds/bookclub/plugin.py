"""Book club on the Slack side: `/community bookclub`, its buttons and modal, periodic steps."""

from __future__ import annotations

from activities.kinds.bookclub import steps as steps_uc
from activities.kinds.bookclub import use_cases as club
from activities.kinds.bookclub.kind import KIND
from activities.text import escape_mrkdwn
from bot.blocks.common import Block
from bot.home import HomeRequest, Waiting
from bot.kinds.bookclub import actions, blocks, commands
from bot.kinds.bookclub.renderers import RENDERERS
from bot.listeners.actions.rsvp import rsvp_home
from bot.listeners.context import Sub
from bot.plugin import KindPlugin, run_dated_steps
from bot.scheduler import Periodic, read_due
from bot.services import Services


async def book_club_steps(services: Services) -> None:
    """Settle closed votes, post due milestones, walk meetings' steps (each claimed once)."""
    await run_dated_steps(
        services,
        "book club tick",
        {
            "settled": club.settle_votes,
            "milestones": steps_uc.post_milestones,
            "steps": steps_uc.meeting_steps,
        },
        counted=("steps",),
    )


async def book_club_home(home: HomeRequest) -> list[Block]:
    return blocks.home_section(await club.CLUBS.live(home.session, team_id=home.team_id))


async def book_club_waiting(home: HomeRequest) -> list[Waiting]:
    """Clubs between books with proposals: "Open the vote" among them."""
    return [
        Waiting(
            f"bookclub_{found.id}",
            f"Books proposed for *{escape_mrkdwn(found.title)}*",
            proposed,
            action=("Open the vote", blocks.OPEN_VOTE, str(found.id)),
        )
        for found, proposed in await club.waiting(home.session, team_id=home.team_id)
    ]


PLUGIN = KindPlugin(
    kind=KIND,
    renderers=RENDERERS,
    periodic=(Periodic(book_club_steps, read_due(steps_uc.next_due)),),
    home=(book_club_home, rsvp_home),
    waiting=(book_club_waiting,),
    listeners=(actions.register,),
    community={"bookclub": Sub(commands.handle)},
)
