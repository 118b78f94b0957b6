"""An announcement's settings and form: a schedule and the text to post."""

from __future__ import annotations

from activities.forms import Draft, Field, Form, FormContext, Inputs
from activities.kind import KindSettings
from activities.schedule import SCHEDULE_HINT
from activities.text import check_length, truncate

MAX_TEXT = 3000
EXAMPLE = (
    '/community new announcement #general "every monday 09:00" "Stand-up notes are in the doc"'
)


class AnnouncementSettings(KindSettings):
    text: str


def parse(inputs: Inputs, ctx: FormContext) -> Draft[AnnouncementSettings]:
    text = check_length(inputs.text("text"), MAX_TEXT, what="That text", field="text")
    return Draft(
        title=truncate(text, 60),
        schedule_text=inputs.text("schedule"),
        settings=AnnouncementSettings(text=text),
    )


def inputs_of(settings: AnnouncementSettings, schedule_text: str) -> dict[str, str]:
    return {"schedule": schedule_text, "text": settings.text}


FORM = Form(
    title="New announcement",
    example=EXAMPLE,
    settings=AnnouncementSettings,
    fields=(
        Field(
            "schedule",
            "When",
            required=True,
            positional=True,
            placeholder="every monday 09:00",
            hint=SCHEDULE_HINT,
        ),
        Field(
            "text",
            "Text",
            kind="multiline",
            required=True,
            positional=True,
            placeholder="What should be posted?",
            max_length=MAX_TEXT,
        ),
    ),
    parse=parse,
    inputs_of=inputs_of,
)
