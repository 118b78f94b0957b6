"""Help texts for the three commands."""

from __future__ import annotations

from collections.abc import Sequence

from activities import quiet_hours, working_week

# The default working week, as `/coffee settings` shows it (one default: working_week).
_DEFAULT_WEEK = (
    f"{working_week.START:02d}:00–{working_week.END:02d}:00, "
    f"{quiet_hours.days_text(working_week.DAYS)}"
)


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
• `/community roles` — who holds which role until when, past holders, open roles
• `/community roles new "Book club host" [--activity 3] [--involves "…"] [--checklist "…"]` — a named role (admins); a call for volunteers goes out
• `/community roles assign @user organiser|"Book club host" [until 2027-11-30]` · `roles end @user [role]` (admins)
• `/community roles poll "Book club host" [--closes 3d]` — a poll among the role's volunteers in the home channel; admins get the result with an Appoint button (admins)
• Terms last a year: 30 and 7 days before the end the holder and admins choose renew / hand over / let it lapse; volunteers are called four weeks before, and admins appoint one from their Home tab
• `/community charter` — the charter; `/community charter edit` (organisers) · `/community settings channel #c` — the home channel (admins) · `/community audit [role|activity]` (admins)
• `/community calendar [weeks]` — everything dated in the next 4 (up to 12) weeks, for everyone · `calendar link` (the community's ICS feed) · `calendar link mine` (your coffee rounds) · `calendar reset-link` (organisers: the old link stops working)
• `/community roadmap [#channel]` (organisers) — posts the next quarter, by month, as one message I keep up to date; each channel keeps its own (asking again there redraws it), and a public channel's never lists private channels' entries
• `/community win "We shipped the guide with @ada!"` — share a success in the wins channel, crediting the people it @mentions (you, when it names nobody); for everyone · or "Share as a win" in any message's ⋮ menu (its author credited) · `/community settings wins #channel` — where wins go (organisers; the home channel until set); last month's wins are posted there as a digest on the first working day of each month
• `/community thanks @person "for …" [--public]` — a thank-you by DM, for everyone; the reason is optional; at most 5 a day, counted in your own time zone's day; `--public` also shares it in the wins channel unless they turned shout-outs off (`/community me shoutouts off`)
• `/community thanks leaderboard` — this month's most thanked, only when an organiser turned it on (`/community settings leaderboard on|off`; off by default, fresh each month)
• `/community me` — your own history (groups, RSVPs, talks, wins crediting you, thanks given and received); nobody can see anyone else's
• `/community report [month|quarter|2026-11|2026-Q3] [#channel]` (organisers and sponsors) — the community report for the last complete month (or quarter, or the one named) against the one before: members who took part, new and returning, retention, share of the channel, and per activity; aggregates only, nobody named. The figures come as the reply, the chart and a CSV by DM; the report also comes by DM on the first working day of each month{added}
Schedules read like "every monday 09:00", "every 2 weeks on tuesday 10:30", "weekdays 08:45" or cron "0 9 * * 1", in your Slack time zone unless you add `--tz Europe/Paris`; `--title "…"` names an activity.
Tip: invite me to private channels (`/invite @Convene`) before scheduling there."""


POLL_HELP = """*`/poll` — a poll in this channel, for everyone*
• `/poll "Which event next?" "Book club" "Coffee roulette" "TED talk"`
• flags: `--multi` (several choices) · `--choices 2` · `--anonymous` · `--hide-results` (tally shown at close) · `--closes "fri 17:00"` (or `2d`, `2026-12-24`)
• `/poll --scale 1-10 "How would you rate our approach?"` — a rating scale
• `/poll --scale adjustment "How much would this change your work?"` — No / Low / Medium / High
• `/poll --template next-event` — "which event should we run next?" from the activities this community runs
• `/poll` on its own opens a form. Click an option to vote, click again to take it back; the ⋯ menu closes, exports (CSV) or deletes a poll."""

COFFEE_HELP = f"""*`/coffee` — "someone you don't know" pairings*
• `/coffee` or `/coffee status` — am I in, when's the next round, who's in my group now
• `/coffee join` · `/coffee leave`
• `/coffee pause 2w` · `/coffee pause until 2027-01-10` · `/coffee resume`
• `/coffee history` — your recent groups: who you've met and when
• `/coffee avoid @user` — never be paired with them (they aren't told)
• `/coffee unavoid @user` — they can be paired with you again
• `/coffee hours 8-16` · `/coffee hours 9-17 mon-thu` — your working hours and days (in your own time zone): groups and suggested times follow them, and DMs, reminders and check-ins wait for them (until you set them: {_DEFAULT_WEEK})
• `/coffee settings` — your hours and days as the bot keeps them"""

BOOKCLUB_HELP = """*`/community bookclub` — book clubs*
• `/community new bookclub #channel "every 4 weeks on thursday 12:30" --tz Europe/London [--call-link https://…] [--prompts "…"]` — a club and its meeting cadence (`/community new bookclub` alone opens a form)
• `/community bookclub propose "Title" by Author [link] [--why "…"] [--club <id>]` — or the "Propose a book" button on the club's messages and the Home tab; the same title and author again counts as a +1
• "+1" on the proposals board (click again to take it back) · `/community bookclub withdraw <number>` — your own proposal
• `/community bookclub vote <club> [--closes 3d]` (organisers, or "Open the vote") — a poll among the ten most +1'd books; when it closes the winner is the current book, the runners-up keep their +1s
• `/community bookclub plan <club> --meeting 2027-01-14 [19:00] --sections "Ch 1-3; Ch 4-6; Ch 7-9"` (organisers) — one milestone a week before the meeting, each with a spoiler-safe thread and "I'm on track" / "Finished"
• The meeting's RSVP message (Going / Maybe / Can't) goes up a week ahead; those going are reminded a day and 15 minutes before; the discussion opens at the start
• `/community bookclub history [<club>]` — the books we read, with dates and how many finished"""

TALKS_HELP = """*`/community talks` — a talk series members fill*
• `/community new talks #channel "every month on the first wednesday 13:00" --booked-ahead 2 [--call-link https://…]` — a series, its usual slot and how many talks it wants booked ahead
• `/community talks volunteer [--series <id>]` — or "Volunteer a talk" on the series' messages and the Home tab: title, abstract (up to 1,000 characters), preferred months, whether it may be recorded
• `/community talks backlog` (organisers; also on your Home tab, with Schedule / Decline buttons)
• `/community talks schedule <talk> 2027-01-06 [17:00]` · `talks move <talk> <date>` · `talks decline <talk> [note]` · `talks cancel <talk>` (organisers) — the speaker is told; moving or cancelling tells those going
• A scheduled talk is announced a week ahead with Going / Maybe / Can't; the speaker checks in two days before; those going are reminded a day and 15 minutes before; a Q&A thread opens at the start and the speaker gets its questions, most-reacted first; then a thank-you
• When fewer talks are booked than the series wants for its next two slots, the channel gets a call for speakers (at most once a fortnight)
• `/community talks history [<series>]` — the talks given"""
