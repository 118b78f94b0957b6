"""A modal the bot opened, filled in at the prompt: fields asked one by one, submitted as a
view_submission, refused fields asked again, and the next view (update/push) followed."""

from __future__ import annotations

from typing import Any, Protocol

from bot.sandbox import FakeSlack, Response, SlackDriver
from bot.shell.errors import ModalCancelled, ShellError
from bot.shell.lines import Line
from bot.shell.modal import CANCEL, Field, ask_field, input_blocks
from bot.shell.render import Renderer
from bot.shell.style import Style
from bot.shell.watch import ViewEvent, Watcher

JsonDict = dict[str, Any]


class FormHost(Protocol):
    """What filling a modal needs from the session."""

    user: str
    channel: str
    slack: FakeSlack
    render: Renderer
    style: Style
    watcher: Watcher

    @property
    def driver(self) -> SlackDriver: ...
    def say(self, text: str = "") -> None: ...
    def show_view(self, event: ViewEvent) -> None: ...
    def check(self, response: Response, what: str) -> None: ...
    async def ask(self, prompt: str) -> Line | None: ...
    async def after(self) -> None: ...
    def user_id(self, name: str) -> str | None: ...
    def channel_id(self, name: str) -> str | None: ...
    def user_name(self, user_id: str) -> str: ...
    def channel_name(self, channel_id: str) -> str: ...


async def fill(host: FormHost, view: JsonDict) -> None:
    """Answer the modal's fields at the prompt, submit, and ask again where refused."""
    current: JsonDict | None = view
    while current is not None:
        current = await _fill_one(host, current)


async def _fill_one(host: FormHost, view: JsonDict) -> JsonDict | None:
    """Returns the view Slack would show next (response_action update/push), if any."""
    # The fields are asked for one by one below; the rest of the modal is shown first.
    others = [b for b in view.get("blocks") or [] if b.get("type") != "input"]
    host.show_view(ViewEvent("opened", {**view, "blocks": others}, host.user))
    host.say(host.style(f"  (answer each field; empty keeps the [value]; {CANCEL} closes)", "dim"))
    here = host.channel if not host.slack.channels[host.channel].is_im else None
    fields = [Field(b, host.render, host, here) for b in input_blocks(view)]
    values: dict[str, dict[str, JsonDict]] = {}
    pending = fields
    while True:
        try:
            for f in pending:
                state = await ask_field(f, host.ask, host.say)
                if state is None:
                    values.pop(f.block_id, None)
                else:
                    values[f.block_id] = {f.action_id: state}
        except ModalCancelled:
            if view.get("notify_on_close"):
                await host.driver.close_view(host.user, view)
            host.say("  Modal closed.")
            await host.after()
            return None
        submit = host.render.text(view.get("submit")) or "Submit"
        host.say(host.style(f"  → {submit}", "dim"))
        response = await host.driver.submit_view(host.user, view, values)
        host.check(response, "the modal")
        body = response.json if isinstance(response.json, dict) else {}
        if body.get("response_action") == "errors":
            errors = body.get("errors") or {}
            for f in fields:
                if f.block_id in errors:
                    host.say(host.style(f"  ✗ {f.label}: {errors[f.block_id]}", "red"))
            pending = [f for f in fields if f.block_id in errors]
            if not pending:
                raise ShellError(f"the bot refused the modal: {errors}")
            continue
        # response_action update/push: Slack shows the new view in place of this one.
        follow = host.slack.answer_view_submission(str(view["id"]), body)
        if follow is not None:
            host.watcher.mark_seen()
        await host.after()
        return follow
