"""How a kind is created and edited: its fields, and a pure parse from what was typed.

One description serves three ways in: `/community new <kind> #channel …` (positional
fields in order, then `--flags`), the kind's modal (one input per field, errors shown
under the field they are about) and `/community edit <id> --flag …` (the current
values, changed where a flag says so). The channel, time zone and title are common
to every kind and handled by the generic flow; a kind describes only its own fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypeVar

from activities.errors import UserError

FieldKind = Literal["text", "multiline", "lines", "choice", "time", "date", "switch"]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Field:
    """One setting: a modal input (block id = `name`) and a `--flag` (`name`, - for _)."""

    name: str
    label: str
    kind: FieldKind = "text"
    required: bool = False
    # Read from the command's positional arguments, in the order the fields are declared;
    # a `lines` field takes all the positional arguments left (poll options).
    positional: bool = False
    hint: str = ""
    placeholder: str = ""
    choices: tuple[tuple[str, str], ...] = ()  # (label, value) for `choice`
    default: str = ""
    max_length: int = 3000

    @property
    def flag(self) -> str:
        return self.name.replace("_", "-")


SWITCH_ON = "on"
_TRUE = {"on", "yes", "true", "1"}


class Inputs:
    """What was typed or picked, by field name; absent and blank are the same."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = {k: v for k, v in values.items() if v is not None}

    def text(self, name: str, default: str = "") -> str:
        value = self._values.get(name, "").strip()
        return value or default

    def lines(self, name: str) -> list[str]:
        return [line.strip() for line in self._values.get(name, "").splitlines() if line.strip()]

    def switch(self, name: str) -> bool:
        return self._values.get(name, "").strip().lower() in _TRUE

    def given(self, name: str) -> bool:
        return bool(self._values.get(name, "").strip())

    def as_dict(self) -> dict[str, str]:
        return dict(self._values)

    def merged(self, changes: Mapping[str, str]) -> Inputs:
        return Inputs({**self._values, **changes})


@dataclass(frozen=True, slots=True)
class FormContext:
    kind: str  # the kind's name: coffee and breakfast share one form
    timezone: str  # validated IANA name
    now: datetime


@dataclass(frozen=True, slots=True)
class Draft(Generic[T]):
    """A validated activity, ready to be stored."""

    title: str
    schedule_text: str
    settings: T
    summary: str = ""  # one extra line for the confirmation ("Groups of 2; …")


@dataclass(frozen=True, slots=True)
class Form(Generic[T]):
    title: str  # the modal's title, e.g. "New announcement"
    example: str  # a correct command, shown with every error
    settings: type[T]  # the kind's settings model, which `parse` fills
    fields: tuple[Field, ...]
    parse: Callable[[Inputs, FormContext], Draft[T]]
    # The current values as inputs (for the edit modal and `/community edit --flag`).
    inputs_of: Callable[[T, str], dict[str, str]]  # (settings, schedule text) -> inputs
    # The field a schedule error is shown under (where the kind's "when" is typed).
    schedule_field: str = "schedule"

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    def check(self, inputs: Inputs) -> None:
        """Required fields given, texts within their limits; errors name their field."""
        for spec in self.fields:
            value = inputs.text(spec.name)
            if spec.required and not value:
                raise UserError(
                    f"{spec.label} is missing. Example: `{self.example}`", field=spec.name
                )
            if len(value) > spec.max_length:
                raise UserError(
                    f"{spec.label} is {len(value)} characters; the limit is {spec.max_length}.",
                    field=spec.name,
                )
            if spec.kind == "choice" and value and value not in {v for _, v in spec.choices}:
                allowed = ", ".join(v for _, v in spec.choices)
                raise UserError(
                    f"`--{spec.flag}` is one of {allowed}. Example: `{self.example}`",
                    field=spec.name,
                )
