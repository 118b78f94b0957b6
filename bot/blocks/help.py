"""Help texts for the three commands."""

from __future__ import annotations

from collections.abc import Sequence


def community_help(kinds: Sequence[tuple[str, str]], extra: Sequence[str] = ()) -> str:
    """`/community help`: the core subcommands, one `new` line per kind (its label and a
    correct example, from its form) and the lines the kinds add for their own words."""
    news = "\n".join(f"• `{example}` — {label}" for label, example in kinds)
    added = "".join(f"\n• {line}" for line in extra)
    return f"""*`/community` — for organisers and admins*
• `/community activities` — what's scheduled, with ids and next runs
{news}
• `/community new <kind>` alone opens a form; `/community edit <id>` opens it with the current settings (or `edit <id> --time 10:30`, any of the flags)
• `/community preview <id>` — the next five occurrences
• `/community pause <id>` · `resume <id>` · `cancel <id>` · `run <id>` (run the next occurrence now)
• `/community roles` — current organisers and their term ends
• `/community calendar [weeks]` — everything dated in the next 4 (up to 12) weeks, for everyone · `calendar link` (the community's ICS feed) · `calendar link mine` (your coffee rounds) · `calendar reset-link` (organisers: the old link stops working)
• `/community roles assign @user organiser [until 2027-11-30]` · `roles end @user` (admins){added}
Schedules read like "every monday 09:00", "every 2 weeks on tuesday 10:30", "weekdays 08:45" or cron "0 9 * * 1", in your Slack time zone unless you add `--tz Europe/Paris`; `--title "…"` names an activity.
Tip: invite me to private channels (`/invite @Convene`) before scheduling there."""


POLL_HELP = """*`/poll` — a poll in this channel, for everyone*
• `/poll "Which event next?" "Book club" "Coffee roulette" "TED talk"`
• flags: `--multi` (several choices) · `--choices 2` · `--anonymous` · `--hide-results` (tally shown at close) · `--closes "fri 17:00"` (or `2d`, `2026-12-24`)
• `/poll --scale 1-10 "How would you rate our approach?"` — a rating scale
• `/poll --scale adjustment "How much would this change your work?"` — No / Low / Medium / High
• `/poll --template next-event` — "which event should we run next?" from the activities this community runs
• `/poll` on its own opens a form. Click an option to vote, click again to take it back; the ⋯ menu closes, exports (CSV) or deletes a poll."""

COFFEE_HELP = """*`/coffee` — "someone you don't know" pairings*
• `/coffee` or `/coffee status` — am I in, when's the next round, who's in my group now
• `/coffee join` · `/coffee leave`
• `/coffee pause 2w` · `/coffee pause until 2027-01-10` · `/coffee resume`
• `/coffee history` — your recent groups: who you've met and when
• `/coffee avoid @user` — never be paired with them (they aren't told)
• `/coffee unavoid @user` — they can be paired with you again
• `/coffee hours 8-16` — your working hours (in your own time zone): groups and suggested times follow them"""
