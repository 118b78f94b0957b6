"""One folder per activity kind, each named the same way.

`kind.py` holds the kind's `ActivityKind` record (what bot/app.py lists),
`rules.py` what it decides (pure: settings, form, choices), `use_cases.py` what it
reads and writes, `intents.py` what it asks to be said. Its tables and queries are
in `storage/kinds/<kind>/`, its Slack side in `bot/kinds/<kind>/`. Announcement is
the smallest: copy it to start a kind.
"""
