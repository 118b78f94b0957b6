"""One folder per activity kind, each named the same way.

`kind.py` holds the kind's `ActivityKind` record (what bot/app.py lists),
`rules.py` what it decides (pure: settings, form, choices), `use_cases.py` what it
reads and writes, `intents.py` what it asks to be said. Its tables and queries are
in `storage/kinds/<kind>/`, its Slack side in `bot/kinds/<kind>/`. Announcement is
the smallest: copy it to start a kind.

Dated things (the calendar, its ICS feeds, the Home tab's "coming up"): give the
kind's record `timeline=…`, an async function of a `TimelineRequest` (session,
activity, window, now) returning `TimelineEntry`s (activities/timeline.py). Start
from `slots(request)` (past runs, then the schedule's next occurrences; a paused or
cancelled activity's marked cancelled) and `entry(activity, slot, title=…)`, which
sets the uid, sequence and last-modified every client needs; add the kind's own
dated rows (a meeting, a deadline) with a uid named after that row, never a list
position. Set `people` for things that belong to some members only (their personal
feeds), and `rsvp_key` where the thing takes RSVPs. Never store entries: compute them.
A kind with no `timeline` shows each slot of its schedule, titled after the activity;
the shared RSVP model's events (storage/models/rsvp.py) join the timeline by
themselves, uid from their event key, and a person's "going" ones fill their feed.
"""
