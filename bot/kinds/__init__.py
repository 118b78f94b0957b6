"""One folder per activity kind on the Slack side, each named the same way.

`plugin.py` holds the kind's `KindPlugin` record (what bot/app.py lists),
`renderers.py` how its intents are sent, `blocks.py` its Block Kit, and, where the
kind has them, `commands.py` (its own slash command), `actions.py` (buttons) and
`views.py` (modals beyond the generic form).
"""
