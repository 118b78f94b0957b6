"""One running count over what was printed: messages are (N), clickable things are [N]."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class MessageRef:
    channel_id: str
    ts: str
    ephemeral: bool = False
    user_id: str = ""  # who sees an ephemeral message


@dataclass(frozen=True)
class ViewRef:
    view_id: str
    user_id: str


Surface = MessageRef | ViewRef


@dataclass(frozen=True)
class Target:
    """Something `click N` can press: an element, and for option lists the option."""

    surface: Surface
    action_id: str
    kind: str
    label: str
    value: str | None = None
    needs_value: bool = False  # a picker: `click N <value>`
    context: str = ""  # the text next to it (a section's text for its accessory)


@dataclass
class Numbering:
    last: int = 0
    targets: dict[int, Target] = field(default_factory=dict)
    messages: dict[int, MessageRef] = field(default_factory=dict)
    message_numbers: dict[tuple[str, str], int] = field(default_factory=dict)

    def target(self, target: Target) -> int:
        self.last += 1
        self.targets[self.last] = target
        return self.last

    def find(self, words: str) -> int | None:
        """The newest clickable labelled `words`, else the newest next to text holding them."""
        wanted = words.strip().strip('"').casefold()
        newest_first = sorted(self.targets.items(), reverse=True)
        for n, target in newest_first:
            if target.label.casefold() == wanted:
                return n
        for n, target in newest_first:
            if wanted and wanted in target.label.casefold():
                return n
        for n, target in newest_first:
            if wanted and wanted in target.context.casefold():
                return n
        return None

    def message(self, ref: MessageRef) -> int:
        """The message's number: the same one again when it is shown again (updated)."""
        key = (ref.channel_id, ref.ts)
        known = self.message_numbers.get(key)
        if known is not None:
            return known
        self.last += 1
        self.messages[self.last] = ref
        self.message_numbers[key] = self.last
        return self.last
