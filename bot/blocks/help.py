"""Help texts for the three commands."""

from __future__ import annotations

COMMUNITY_HELP = """*`/community` — for organisers and admins*
• `/community activities` — what's scheduled, with ids and next runs
• `/community new announcement #channel "every monday 09:00" "text"` — a recurring post (`/community new announcement` alone opens a form)
• `/community new coffee #channel` — coffee pairings (`--every 2w --day tue --time 10:30 --size 2`)
• `/community new breakfast #channel` — breakfast switch-ups in groups of 3–4 (`/community new coffee` or `new breakfast` alone opens a form)
• `/community new poll #channel "every friday 16:00" "Question?" "A" "B" --closes-after 2d` — a recurring poll
• `/community new advent #channel [--from 2026-12-01] [--to 2026-12-24] [--time 09:00] [--weekdays] [--preset christmas]` — a tip a day, with a recap on the last day
• `/community advent add ["tip | https://link"]` — entries (no text: a form, one per line) (or share a CSV `tip,link` or a text file in the run's channel) · `advent entries` — the plan, day by day · `advent pin <entry> 2026-12-24` · `advent move <entry> before <entry>` · `advent contribute` — anyone sends a tip · `advent recap` — the run so far
• `/community new discussion #channel --every "every other thursday 12:00"` — the top-voted topic from the backlog, posted each slot
• `/community topics` — the backlog · `topics add "…"` · `topics vote <topic>` · `topics withdraw <topic>` · `topics archive`; organisers: `topics edit <topic> "…"` · `topics merge <topic> into <topic>` · `topics remove <topic>`
• `/community preview <id>` — the next five occurrences
• `/community pause <id>` · `resume <id>` · `cancel <id>` · `run <id>` (run the next occurrence now)
• `/community roles` — current organisers and their term ends
• `/community roles assign @user organiser [until 2027-11-30]` · `roles end @user` (admins)
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
• `/coffee unavoid @user` — they can be paired with you again"""
