"""The generic `/community new <kind>` and `/community edit <id>` flows, and their modal.

One flow for every kind, driven by the kind's form: a command's words become form
inputs (the channel first, then the positional fields, then `--flags`); no words
open the kind's modal; the modal's inputs come back through the same parse. Errors
name the field they are about, so the modal shows them under it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from slack_bolt.async_app import AsyncApp

from activities import manage, schedule
from activities.channels import check_target
from activities.errors import UserError
from activities.forms import SWITCH_ON, Draft, Form, FormContext, Inputs
from activities.kind import ActivityKind, KindCatalog
from activities.schedule import ScheduleError
from activities.text import escape_mrkdwn, truncate
from bot.blocks.activities import describe_schedule
from bot.blocks.common import slack_date
from bot.blocks.forms import PREVIEW_ACTION, form_modal, inputs_from_state
from bot.listeners.context import Caller, Reply, metadata_of, on_action
from bot.parsing import split_flags
from storage.models import Activity

MAX_TITLE = 150
COMMON_VALUED = {"tz", "title", "channel"}


def inputs_from_args(form: Form[Any], args: list[str], *, with_channel: bool) -> dict[str, str]:
    """Command words as form inputs: `#channel`, positional fields in order, then flags."""
    switches = {f.flag for f in form.fields if f.kind == "switch"}
    valued = {f.flag for f in form.fields if f.kind != "switch"} | COMMON_VALUED
    positional, flags = split_flags(args, flags_with_values=valued, boolean_flags=switches)
    inputs: dict[str, str] = {}
    if with_channel and positional:
        inputs["channel"] = positional.pop(0)
    for spec in (f for f in form.fields if f.positional):
        if not positional:
            break
        if spec.kind == "lines":
            inputs[spec.name] = "\n".join(positional)
            positional = []
        else:
            inputs[spec.name] = positional.pop(0)
    if positional:
        extra = escape_mrkdwn(truncate(positional[0], 40))
        raise UserError(
            f"I don't know what to do with `{extra}`: quote text that has spaces. "
            f"Example: `{form.example}`"
        )
    for name, value in flags.items():
        key = "timezone" if name == "tz" else name.replace("-", "_")
        inputs[key] = SWITCH_ON if value is True else str(value)
    return inputs


def _timezone(text: str) -> str:
    try:
        return schedule.validate_timezone(text)
    except UserError as exc:
        raise UserError(str(exc), field="timezone") from None


async def _draft(caller: Caller, kind: ActivityKind[Any], inputs: Inputs, zone: str) -> Draft[Any]:
    kind.form.check(inputs)
    draft = kind.form.parse(inputs, FormContext(kind=kind.name, timezone=zone, now=caller.now))
    title = inputs.text("title")
    if len(title) > MAX_TITLE:
        raise UserError(f"A title is at most {MAX_TITLE} characters.", field="title")
    return replace(draft, title=title) if title else draft


async def _channel(caller: Caller, token: str, example: str) -> str:
    """The channel named, if the person may schedule there (public, or private and theirs)."""
    if not token:
        raise UserError(f"Which channel? Example: `{example}`", field="channel")
    channel_id = await caller.resolve_channel(token, example)
    await _check_rights(caller, channel_id)
    return channel_id


async def _check_rights(caller: Caller, channel_id: str) -> None:
    directory = caller.services.directory
    check_target(
        await directory.channel_access(caller.team_id, channel_id, caller.user_id), channel_id
    )


async def create(caller: Caller, kind: ActivityKind[Any], raw: dict[str, str]) -> Reply:
    """Create an activity of `kind` from form inputs (a command's words or a modal's values)."""
    await caller.require_organiser()
    inputs = Inputs(raw)
    channel_id = await _channel(caller, inputs.text("channel"), kind.form.example)
    zone = _timezone(inputs.text("timezone") or await caller.timezone())
    draft = await _draft(caller, kind, inputs, zone)
    async with caller.services.db.session() as session:
        activity = await manage.create(
            session, caller.actor, kind=kind, channel_id=channel_id, draft=draft, timezone=zone
        )
        await caller.redraw_organisers(session)  # the organisers' list of activities
    return Reply(created_text(activity, kind, draft.summary), channel_id=channel_id)


async def edit(
    caller: Caller, kind: ActivityKind[Any], activity: Activity, changes: dict[str, str]
) -> Reply:
    """Apply `changes` (form inputs) on top of the activity's current values."""
    await caller.require_organiser()
    assert activity.id is not None
    inputs = Inputs(manage.current_inputs(kind, activity)).merged(changes)
    channel_id = activity.channel_id
    if "channel" in changes:
        channel_id = await _channel(caller, inputs.text("channel"), kind.form.example)
    else:
        await _check_rights(caller, channel_id)
    zone = _timezone(inputs.text("timezone") or activity.timezone)
    draft = await _draft(caller, kind, inputs, zone)
    async with caller.services.db.session() as session:
        fresh = await manage.load(session, team_id=caller.team_id, activity_id=activity.id)
        updated = await manage.update(
            session,
            caller.actor,
            kind=kind,
            activity=fresh,
            channel_id=channel_id,
            draft=draft,
            timezone=zone,
        )
        await caller.redraw_organisers(session)  # the organisers' list of activities
    nxt = slack_date(updated.next_run_at) if updated.next_run_at else "not scheduled"
    return Reply(
        f"✏️ Saved *#{updated.id}* ({kind.label} in <#{updated.channel_id}>, "
        f"{describe_schedule(updated)}). Next: {nxt}."
    )


async def open_new_modal(caller: Caller, kind: ActivityKind[Any]) -> None:
    await caller.require_organiser()
    inputs = {"timezone": await caller.timezone()}
    await caller.open_view(
        form_modal(kind.form, kind=kind.name, inputs=inputs, channel_id=caller.channel_id)
    )


async def open_edit_modal(caller: Caller, kind: ActivityKind[Any], activity: Activity) -> None:
    await caller.require_organiser()
    view = form_modal(
        kind.form,
        kind=kind.name,
        inputs=manage.current_inputs(kind, activity),
        channel_id=activity.channel_id,
        activity_id=activity.id,
    )
    await caller.open_view(view)


async def submitted(caller: Caller, catalog: KindCatalog, view: dict[str, Any]) -> Reply:
    """The form modal's submission: create, or edit when it was opened for an activity."""
    metadata = metadata_of(view)
    kind = catalog.require(str(metadata.get("kind", "")))
    raw = inputs_from_state(view["state"]["values"])
    activity_id = metadata.get("activity_id")
    try:
        if activity_id is None:
            return await create(caller, kind, raw)
        async with caller.services.db.session() as session:
            activity = await manage.load(
                session, team_id=caller.team_id, activity_id=int(activity_id)
            )
        return await edit(caller, kind, activity, raw)
    except UserError as exc:
        # A schedule error goes under the field the kind's "when" is typed in.
        if exc.field == "schedule" or (isinstance(exc, ScheduleError) and exc.field is None):
            exc.field = kind.form.schedule_field
        raise


def created_text(activity: Activity, kind: ActivityKind[Any], summary: str = "") -> str:
    """The confirmation every `/community new …` gives: what, where, when next."""
    nxt = activity.next_run_at
    when = slack_date(nxt) if nxt else "never"
    extra = f" {summary}" if summary else ""
    return (
        f"✅ {kind.label} *#{activity.id}* in <#{activity.channel_id}>, "
        f"{describe_schedule(activity)}. Next: {when}.{extra} "
        f"Preview with `/community preview {activity.id}`."
    )


async def on_preview(caller: Caller, clicked: dict[str, Any]) -> Reply | None:
    """The form modal's "Preview dates": the next occurrences of what is typed so far,
    shown in the modal before anything is saved (or what is wrong with it)."""
    view = caller.view
    metadata = metadata_of(view)
    kind = caller.services.catalog.require(str(metadata.get("kind", "")))
    raw = inputs_from_state(view["state"]["values"])
    try:
        zone = _timezone(raw.get("timezone") or await caller.timezone())
        draft = await _draft(caller, kind, Inputs(raw), zone)
        rule = schedule.parse_schedule(draft.schedule_text, zone, now=caller.now)
        times = schedule.preview(rule, caller.now, 5)
        text = "*Next dates:* " + (", ".join(slack_date(t) for t in times) or "none")
    except (UserError, ScheduleError) as exc:
        text = f"⚠️ {escape_mrkdwn(str(exc))}"
    channel = raw.get("channel") or str(metadata.get("channel") or "")
    activity_id = metadata.get("activity_id")
    fresh = form_modal(
        kind.form,
        kind=kind.name,
        inputs=raw,
        channel_id=channel,
        activity_id=int(activity_id) if activity_id is not None else None,
        preview=text,
    )
    await caller.update_view(fresh)
    return None


def register(app: AsyncApp) -> None:
    on_action(app, [PREVIEW_ACTION], on_preview, needs="organiser")
