"""Block Kit limit checks, as Slack enforces them on messages, modals and the Home tab.

Pure functions: they never raise, they return a list of human-readable problems, each
ending with a Slack-style ``[json-pointer:/blocks/3/text/text]`` locator. An empty
list means Slack would accept the payload (as far as these checks go). Also how an
element's options read, for the driver (which clicks them) and the shell (which lists them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Surface = Literal["message", "modal", "home"]


def options_of(element: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An element's options, option groups flattened."""
    options = [dict(o) for o in element.get("options") or [] if isinstance(o, Mapping)]
    for group in element.get("option_groups") or []:
        if isinstance(group, Mapping):
            options.extend(dict(o) for o in group.get("options") or [] if isinstance(o, Mapping))
    return options


MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}

BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "video",
    }
)

# Per-element limits.
SECTION_TEXT_MAX = 3000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2000
CONTEXT_ELEMENTS_MAX = 10
CONTEXT_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
MARKDOWN_BLOCK_TEXT_MAX = 12000
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
URL_MAX = 3000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTION_DESCRIPTION_MAX = 75
ID_MAX = 255  # action_id, block_id, callback_id, external_id
ACTIONS_ELEMENTS_MAX = 25
SELECT_OPTIONS_MAX = 100
SELECT_OPTION_GROUPS_MAX = 100
OVERFLOW_OPTIONS_MIN = 1
OVERFLOW_OPTIONS_MAX = 5
CHECKBOX_OPTIONS_MAX = 10
PLACEHOLDER_MAX = 150
INPUT_LABEL_MAX = 2000
INPUT_HINT_MAX = 2000
PLAIN_TEXT_INPUT_MAX_LENGTH = 3000
IMAGE_ALT_TEXT_MAX = 2000
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
PRIVATE_METADATA_MAX = 3000

_SELECT_WITH_OPTIONS = frozenset({"static_select", "multi_static_select"})
_OPTION_LIST_ELEMENTS = frozenset({"checkboxes", "radio_buttons"})
_INTERACTIVE_ELEMENTS = frozenset(
    {
        "button",
        "checkboxes",
        "channels_select",
        "conversations_select",
        "datepicker",
        "datetimepicker",
        "email_text_input",
        "external_select",
        "multi_channels_select",
        "multi_conversations_select",
        "multi_external_select",
        "multi_static_select",
        "multi_users_select",
        "number_input",
        "overflow",
        "plain_text_input",
        "radio_buttons",
        "rich_text_input",
        "static_select",
        "timepicker",
        "url_text_input",
        "users_select",
        "file_input",
        "workflow_button",
    }
)


def _ptr(path: str) -> str:
    return f" [json-pointer:{path}]"


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def add(self, message: str, path: str) -> None:
        self.problems.append(message + _ptr(path))

    def max_len(self, value: Any, limit: int, path: str) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(f"must be less than {limit + 1} characters (got {len(value)})", path)

    def text_obj(self, obj: Any, path: str, *, limit: int, plain_only: bool = False) -> None:
        if obj is None:
            self.add("missing required field: text object", path)
            return
        if not isinstance(obj, Mapping):
            self.add("must be a text object", path)
            return
        kind = obj.get("type")
        if kind not in ("plain_text", "mrkdwn"):
            self.add("must be a valid enum value: plain_text, mrkdwn", f"{path}/type")
        elif plain_only and kind != "plain_text":
            self.add("must be a plain_text text object", f"{path}/type")
        text = obj.get("text")
        if not isinstance(text, str):
            self.add("missing required field: text", f"{path}/text")
            return
        self.filled(text, limit, f"{path}/text")

    def text_in(
        self, obj: Mapping[str, Any], key: str, path: str, *, limit: int, plain_only: bool = False
    ) -> None:
        """The text object at `key` of `obj`, named in problems by its path."""
        self.text_obj(obj.get(key), f"{path}/{key}", limit=limit, plain_only=plain_only)

    def identifier(self, obj: Mapping[str, Any], key: str, path: str) -> None:
        value = obj.get(key)
        if value is None:
            return
        if not isinstance(value, str):
            self.add("must be a string", f"{path}/{key}")
            return
        self.filled(value, ID_MAX, f"{path}/{key}")

    def filled(self, value: str, limit: int, path: str) -> None:
        """A text or an id: one character at least, `limit` at the most."""
        if len(value) == 0:
            self.add("must be more than 0 characters", path)
        self.max_len(value, limit, path)

    def confirm(self, obj: Any, path: str) -> None:
        if obj is None:
            return
        if not isinstance(obj, Mapping):
            self.add("must be a confirmation object", path)
            return
        self.text_in(obj, "title", path, limit=CONFIRM_TITLE_MAX, plain_only=True)
        self.text_in(obj, "text", path, limit=CONFIRM_TEXT_MAX)
        self.text_in(obj, "confirm", path, limit=CONFIRM_BUTTON_MAX, plain_only=True)
        self.text_in(obj, "deny", path, limit=CONFIRM_BUTTON_MAX, plain_only=True)

    def option(self, obj: Any, path: str, *, plain_only: bool) -> None:
        if not isinstance(obj, Mapping):
            self.add("must be an option object", path)
            return
        self.text_in(obj, "text", path, limit=OPTION_TEXT_MAX, plain_only=plain_only)
        value = obj.get("value")
        if value is None:
            self.add("missing required field: value", f"{path}/value")
        elif not isinstance(value, str):
            self.add("must be a string", f"{path}/value")
        else:
            self.max_len(value, OPTION_VALUE_MAX, f"{path}/value")
        if "description" in obj:
            self.text_in(
                obj, "description", path, limit=OPTION_DESCRIPTION_MAX, plain_only=plain_only
            )

    def options(
        self,
        element: Mapping[str, Any],
        path: str,
        *,
        max_items: int,
        min_items: int = 1,
        plain_only: bool = True,
    ) -> list[Mapping[str, Any]]:
        """Check ``options`` (or ``option_groups``); return the flat option list."""
        flat: list[Mapping[str, Any]] = []
        options = element.get("options")
        groups = element.get("option_groups")
        if options is None and groups is None:
            if element.get("type") in _SELECT_WITH_OPTIONS | _OPTION_LIST_ELEMENTS | {"overflow"}:
                self.add("missing required field: options", f"{path}/options")
            return flat
        if options is not None:
            if not isinstance(options, list):
                self.add("must be an array", f"{path}/options")
                return flat
            if len(options) < min_items:
                self.add(f"must provide at least {min_items} items", f"{path}/options")
            if len(options) > max_items:
                self.add(f"must be less than {max_items + 1} items", f"{path}/options")
            for i, opt in enumerate(options):
                self.option(opt, f"{path}/options/{i}", plain_only=plain_only)
                if isinstance(opt, Mapping):
                    flat.append(opt)
        if groups is not None:
            if not isinstance(groups, list):
                self.add("must be an array", f"{path}/option_groups")
                return flat
            if len(groups) > SELECT_OPTION_GROUPS_MAX:
                self.add(
                    f"must be less than {SELECT_OPTION_GROUPS_MAX + 1} items",
                    f"{path}/option_groups",
                )
            for g, group in enumerate(groups):
                gpath = f"{path}/option_groups/{g}"
                if not isinstance(group, Mapping):
                    self.add("must be an option group object", gpath)
                    continue
                self.text_in(group, "label", gpath, limit=75, plain_only=True)
                gopts = group.get("options")
                if not isinstance(gopts, list):
                    self.add("must be an array", f"{gpath}/options")
                    continue
                if len(gopts) > SELECT_OPTIONS_MAX:
                    self.add(
                        f"must be less than {SELECT_OPTIONS_MAX + 1} items", f"{gpath}/options"
                    )
                for i, opt in enumerate(gopts):
                    self.option(opt, f"{gpath}/options/{i}", plain_only=True)
                    if isinstance(opt, Mapping):
                        flat.append(opt)
        return flat

    def initial_options(
        self, element: Mapping[str, Any], flat: list[Mapping[str, Any]], path: str
    ) -> None:
        """Slack rejects an initial_option(s) that is not exactly one of the options."""
        if not flat:
            return
        known = {(_option_key(o)) for o in flat}
        initial = element.get("initial_option")
        if isinstance(initial, Mapping) and _option_key(initial) not in known:
            self.add("initial_option must match one of the options", f"{path}/initial_option")
        initials = element.get("initial_options")
        if isinstance(initials, list):
            for i, opt in enumerate(initials):
                if not isinstance(opt, Mapping) or _option_key(opt) not in known:
                    self.add(
                        "initial_options must match the options",
                        f"{path}/initial_options/{i}",
                    )

    def kind_of(self, found: Any, what: str, path: str) -> str | None:
        """The `type` of a block or an element; None (the problem noted) if it has none."""
        if not isinstance(found, Mapping):
            self.add(f"must be {what} object", path)
            return None
        kind = found.get("type")
        if not isinstance(kind, str):
            self.add("missing required field: type", f"{path}/type")
            return None
        return kind

    def element(self, element: Any, path: str) -> None:
        kind = self.kind_of(element, "an element", path)
        if kind is None:
            return
        self.identifier(element, "action_id", path)
        if "placeholder" in element:
            self.text_in(element, "placeholder", path, limit=PLACEHOLDER_MAX, plain_only=True)
        self.confirm(element.get("confirm"), f"{path}/confirm")
        if kind == "button":
            self.text_in(element, "text", path, limit=BUTTON_TEXT_MAX, plain_only=True)
            value = element.get("value")
            if value is not None and not isinstance(value, str):
                self.add("must be a string", f"{path}/value")
            self.max_len(value, BUTTON_VALUE_MAX, f"{path}/value")
            self.max_len(element.get("url"), URL_MAX, f"{path}/url")
            style = element.get("style")
            if style is not None and style not in ("primary", "danger"):
                self.add("must be a valid enum value: primary, danger", f"{path}/style")
        elif kind in _SELECT_WITH_OPTIONS:
            flat = self.options(element, path, max_items=SELECT_OPTIONS_MAX)
            self.initial_options(element, flat, path)
        elif kind == "overflow":
            self.options(
                element,
                path,
                min_items=OVERFLOW_OPTIONS_MIN,
                max_items=OVERFLOW_OPTIONS_MAX,
            )
        elif kind in _OPTION_LIST_ELEMENTS:
            flat = self.options(element, path, max_items=CHECKBOX_OPTIONS_MAX, plain_only=False)
            self.initial_options(element, flat, path)
        elif kind == "plain_text_input":
            max_length = element.get("max_length")
            if isinstance(max_length, int) and max_length > PLAIN_TEXT_INPUT_MAX_LENGTH:
                self.add(f"must be at most {PLAIN_TEXT_INPUT_MAX_LENGTH}", f"{path}/max_length")
            self.max_len(
                element.get("initial_value"), PLAIN_TEXT_INPUT_MAX_LENGTH, f"{path}/initial_value"
            )
        elif kind == "image":
            self.max_len(element.get("image_url"), URL_MAX, f"{path}/image_url")
            alt = element.get("alt_text")
            if not isinstance(alt, str):
                self.add("missing required field: alt_text", f"{path}/alt_text")
            else:
                self.max_len(alt, IMAGE_ALT_TEXT_MAX, f"{path}/alt_text")

    def elements(self, block: Mapping[str, Any], path: str, most: int) -> list[Any]:
        """A context or actions block's elements: one at least, `most` at the most (none to
        check further when there are none)."""
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            self.add("must provide at least 1 items", f"{path}/elements")
            return []
        if len(elements) > most:
            self.add(f"must be less than {most + 1} items", f"{path}/elements")
        return elements

    def block(
        self,
        block: Any,
        path: str,
        seen_block_ids: set[str],
    ) -> None:
        kind = self.kind_of(block, "a block", path)
        if kind is None:
            return
        if kind not in BLOCK_TYPES:
            self.add(f"unsupported type: {kind}", f"{path}/type")
            return
        self.identifier(block, "block_id", path)
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if block_id in seen_block_ids:
                self.add(f"duplicate block_id: {block_id}", f"{path}/block_id")
            seen_block_ids.add(block_id)

        action_ids: set[str] = set()

        def element(el: Any, epath: str) -> None:
            self.element(el, epath)
            if isinstance(el, Mapping):
                aid = el.get("action_id")
                if isinstance(aid, str):
                    if aid in action_ids:
                        self.add(f"duplicate action_id: {aid}", f"{epath}/action_id")
                    action_ids.add(aid)

        if kind == "section":
            text = block.get("text")
            fields = block.get("fields")
            if text is None and fields is None:
                self.add("must provide either text or fields", path)
            if text is not None:
                self.text_obj(text, f"{path}/text", limit=SECTION_TEXT_MAX)
            if fields is not None:
                if not isinstance(fields, list):
                    self.add("must be an array", f"{path}/fields")
                else:
                    if len(fields) > SECTION_FIELDS_MAX:
                        self.add(
                            f"must be less than {SECTION_FIELDS_MAX + 1} items", f"{path}/fields"
                        )
                    for i, field in enumerate(fields):
                        self.text_obj(field, f"{path}/fields/{i}", limit=SECTION_FIELD_TEXT_MAX)
            if "accessory" in block:
                element(block.get("accessory"), f"{path}/accessory")
        elif kind == "context":
            for i, el in enumerate(self.elements(block, path, CONTEXT_ELEMENTS_MAX)):
                epath = f"{path}/elements/{i}"
                if isinstance(el, Mapping) and el.get("type") in ("plain_text", "mrkdwn"):
                    self.text_obj(el, epath, limit=CONTEXT_TEXT_MAX)
                else:
                    self.element(el, epath)
        elif kind == "header":
            self.text_in(block, "text", path, limit=HEADER_TEXT_MAX, plain_only=True)
        elif kind == "actions":
            for i, el in enumerate(self.elements(block, path, ACTIONS_ELEMENTS_MAX)):
                element(el, f"{path}/elements/{i}")
                if isinstance(el, Mapping) and el.get("type") not in _INTERACTIVE_ELEMENTS:
                    self.add(
                        f"unsupported type in actions block: {el.get('type')}",
                        f"{path}/elements/{i}/type",
                    )
        elif kind == "input":
            self.text_in(block, "label", path, limit=INPUT_LABEL_MAX, plain_only=True)
            if "hint" in block:
                self.text_in(block, "hint", path, limit=INPUT_HINT_MAX, plain_only=True)
            if "element" not in block:
                self.add("missing required field: element", f"{path}/element")
            else:
                element(block.get("element"), f"{path}/element")
        elif kind == "image":
            self.element(dict(block, type="image"), path)
            if "title" in block:
                self.text_in(block, "title", path, limit=IMAGE_ALT_TEXT_MAX, plain_only=True)
        elif kind == "markdown":
            text = block.get("text")
            if not isinstance(text, str):
                self.add("missing required field: text", f"{path}/text")
            else:
                self.max_len(text, MARKDOWN_BLOCK_TEXT_MAX, f"{path}/text")


def _option_key(option: Mapping[str, Any]) -> tuple[Any, Any]:
    text = option.get("text")
    label = text.get("text") if isinstance(text, Mapping) else text
    return option.get("value"), label


def check_blocks(blocks: Any, *, surface: Surface = "message", path: str = "/blocks") -> list[str]:
    """Return every Block Kit limit ``blocks`` breaks on ``surface`` (empty list = fine)."""
    checker = _Checker()
    _check_blocks_into(checker, blocks, surface=surface, path=path)
    return checker.problems


def _check_blocks_into(checker: _Checker, blocks: Any, *, surface: Surface, path: str) -> None:
    if not isinstance(blocks, list):
        checker.add("must be an array", path)
        return
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        checker.add(f"must be less than {limit + 1} items (got {len(blocks)})", path)
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        checker.block(block, f"{path}/{i}", seen)


def check_view(view: Any, *, path: str = "/view") -> list[str]:
    """Return every problem Slack would find in a modal or Home tab ``view``."""
    checker = _Checker()
    if not isinstance(view, Mapping):
        checker.add("must be a view object", path)
        return checker.problems
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.add("must be a valid enum value: modal, home", f"{path}/type")
        return checker.problems
    surface: Surface = "modal" if kind == "modal" else "home"
    blocks = view.get("blocks")
    if blocks is None:
        checker.add("missing required field: blocks", f"{path}/blocks")
    else:
        _check_blocks_into(checker, blocks, surface=surface, path=f"{path}/blocks")
    if kind == "modal":
        checker.text_in(view, "title", path, limit=VIEW_TITLE_MAX, plain_only=True)
        for key in ("submit", "close"):
            if view.get(key) is not None:
                checker.text_in(view, key, path, limit=VIEW_BUTTON_MAX, plain_only=True)
        has_input = isinstance(blocks, list) and any(
            isinstance(b, Mapping) and b.get("type") == "input" for b in blocks
        )
        if has_input and view.get("submit") is None:
            checker.add("submit is required when an input block is present", f"{path}/submit")
    checker.identifier(view, "callback_id", path)
    checker.identifier(view, "external_id", path)
    metadata = view.get("private_metadata")
    if metadata is not None and not isinstance(metadata, str):
        checker.add("must be a string", f"{path}/private_metadata")
    checker.max_len(metadata, PRIVATE_METADATA_MAX, f"{path}/private_metadata")
    return checker.problems
