"""Recognition's pure rules: credit, text checks, escaping, the daily cap in the giver's
own day, shout-out opt-in, leaderboard ranking and when the wins digest is due."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from activities import recognition as rules
from activities.errors import UserError
from activities.recognition import Month, Placing


def test_a_win_credits_the_people_it_names_once_each_else_its_author() -> None:
    text = "Thanks <@U1|ada> and <@W2>, and <@U1> again"
    assert rules.mentioned(text) == ["U1", "W2"]
    assert rules.credited("UAUTHOR", text) == ["U1", "W2"]
    assert rules.credited("UAUTHOR", "We did it <#C1|general>") == ["UAUTHOR"]


def test_win_text_is_required_and_limited_as_slack_counts_it() -> None:
    with pytest.raises(UserError, match="needs a few words"):
        rules.win_text("   ")
    assert rules.win_text("  shipped  ") == "shipped"
    rules.win_text("x" * rules.WIN_LIMIT)
    with pytest.raises(UserError, match="the limit is 1000"):
        rules.win_text("<" * 300)  # 300 typed, 1,200 once escaped
    assert rules.reason_text("") == ""  # a thanks without a reason is allowed
    with pytest.raises(UserError, match="the limit is 300"):
        rules.reason_text("y" * 301)


def test_only_user_mentions_stay_live() -> None:
    shown = rules.escape_keeping_mentions("<@U1|ada> & <!channel> <https://x.example|y>")
    assert shown == "<@U1> &amp; &lt;!channel&gt; &lt;https://x.example|y&gt;"


def test_the_daily_cap_counts_the_givers_own_day_and_says_when_to_come_back() -> None:
    now = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # already the 3rd in Tokyo, 07:30
    tokyo = rules.day_of(now, "Asia/Tokyo")
    assert tokyo.start == datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    assert tokyo.end == datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    london = rules.day_of(now, "Europe/London")
    assert london.start == datetime(2026, 12, 2, 0, 0, tzinfo=UTC)
    rules.check_daily_cap(rules.DAILY_THANKS - 1, london, now)
    with pytest.raises(UserError) as refused:
        rules.check_daily_cap(rules.DAILY_THANKS, london, now)
    assert "your day, Europe/London" in str(refused.value)
    assert "in 1 h 30 min" in str(refused.value)


def test_no_thanks_to_oneself_or_a_bot() -> None:
    with pytest.raises(UserError, match="yourself"):
        rules.check_receiver("U1", "U1", is_bot=False)
    with pytest.raises(UserError, match="Bots"):
        rules.check_receiver("U1", "UBOT", is_bot=True)
    rules.check_receiver("U1", "U2", is_bot=False)


def test_a_shout_out_needs_the_giver_to_ask_and_the_receiver_not_to_opt_out() -> None:
    assert rules.shout_out(True, False)
    assert not rules.shout_out(True, True)
    assert not rules.shout_out(False, False)


def test_the_giver_words_give_the_reason_and_public_wherever_the_flag_stands() -> None:
    assert rules.ThanksNote.parse(["for", "--PUBLIC", "the", "review"]) == rules.ThanksNote(
        "for the review", True
    )
    assert rules.ThanksNote.parse([]) == rules.ThanksNote("", False)


def test_a_thanks_asked_to_be_public_says_why_it_went_by_dm_only() -> None:
    assert rules.dm_only(False, True, "") is None  # not asked: nothing to explain
    assert rules.dm_only(True, True, "") is rules.DmOnly.OPTED_OUT
    assert rules.dm_only(True, False, "") is rules.DmOnly.NO_CHANNEL
    assert rules.dm_only(True, False, "CWINS") is None  # shared


def test_the_leaderboard_ranks_by_count_ties_share_a_rank() -> None:
    got = rules.ranking(["U3", "U1", "U2", "U1", "U3", "U4"], size=3)
    assert got == [Placing(1, "U1", 2), Placing(1, "U3", 2), Placing(3, "U2", 1)]
    assert rules.ranking([]) == []


def test_the_digest_is_due_from_the_first_working_day_for_a_week() -> None:
    # 1 May 2027 is a Saturday: the first working day is Monday the 3rd.
    assert rules.first_working_day(Month(2027, 5)) == date(2027, 5, 3)
    assert rules.digest_due(date(2027, 5, 1)) is None
    assert rules.digest_due(date(2027, 5, 3)) == Month(2027, 4)
    assert rules.digest_due(date(2027, 5, 9)) == Month(2027, 4)
    assert rules.digest_due(date(2027, 5, 10)) is None
    assert rules.digest_due(date(2027, 1, 1)) == Month(2026, 12)  # a Friday
    assert Month.parse("2026-12").window() == (
        datetime(2026, 12, 1, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    )
    assert Month(2026, 12).label == "December 2026"


def test_switches_read_on_and_off() -> None:
    assert rules.parse_switch(["ON"], "x") is True
    assert rules.parse_switch(["off"], "x") is False
    with pytest.raises(UserError, match="isn't on or off"):
        rules.parse_switch(["maybe"], "x")
    with pytest.raises(UserError, match="On or off"):
        rules.parse_switch([], "x")
