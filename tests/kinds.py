"""Test helpers: the kind catalogue, and creating an activity through its kind's form."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from activities import manage
from activities.actor import Actor
from activities.forms import FormContext, Inputs
from activities.kind import KindCatalog
from activities.kinds.advent.kind import KIND as ADVENT
from activities.kinds.announcement.kind import KIND as ANNOUNCEMENT
from activities.kinds.bookclub.kind import KIND as BOOKCLUB
from activities.kinds.coffee.kind import BREAKFAST, COFFEE
from activities.kinds.discussion.kind import KIND as DISCUSSION
from activities.kinds.poll.kind import KIND as POLL
from activities.kinds.talks.kind import KIND as TALKS
from storage.db import Database
from storage.models import Activity

CATALOG = KindCatalog([ANNOUNCEMENT, COFFEE, BREAKFAST, POLL, BOOKCLUB, TALKS, ADVENT, DISCUSSION])


async def create_activity(
    db: Database,
    *,
    kind: str,
    inputs: Mapping[str, str],
    team_id: str,
    actor_id: str,
    channel_id: str,
    now: datetime,
    timezone: str = "Europe/London",
) -> Activity:
    """What `/community new <kind>` does once the channel and time zone are known."""
    record = CATALOG.require(kind)
    form_inputs = Inputs(inputs)
    record.form.check(form_inputs)
    draft = record.form.parse(form_inputs, FormContext(kind=kind, timezone=timezone, now=now))
    async with db.session() as session:
        return await manage.create(
            session,
            Actor(team_id=team_id, user_id=actor_id, now=now),
            kind=record,
            channel_id=channel_id,
            draft=draft,
            timezone=timezone,
        )
