"""Dedupe keys are stored in outbox rows and looked up again (a poll's posted message, a
club's board): an intent type declared once per id must keep making the same key."""

import pytest

from activities.intents import IdIntentType, IntentType
from activities.kinds.bookclub import intents as bookclub
from activities.kinds.coffee import intents as coffee
from activities.kinds.discussion import intents as discussion
from activities.kinds.poll import intents as poll
from activities.kinds.talks import intents as talks

# (type, its key for id 7, the payload field carrying the id): the keys as they were
# written before the types declared them, so a stored row is still found.
KEYS: list[tuple[IntentType, str, str]] = [
    (bookclub.BOARD, "bookclub:7:board", "activity_id"),
    (bookclub.BOARD_UPDATE, "bookclub:7:board:update", "activity_id"),
    (bookclub.WINNER, "bookclub:round:7:winner", "round_id"),
    (bookclub.MILESTONE, "bookclub:milestone:7", "milestone_id"),
    (bookclub.MILESTONE_UPDATE, "bookclub:milestone:7:update", "milestone_id"),
    (bookclub.MILESTONE_THREAD, "bookclub:milestone:7:thread", "milestone_id"),
    (bookclub.MEETING, "bookclub:round:7:meeting", "round_id"),
    (bookclub.MEETING_UPDATE, "bookclub:round:7:meeting:update", "round_id"),
    (bookclub.DISCUSSION, "bookclub:round:7:discussion", "round_id"),
    (bookclub.HISTORY, "bookclub:round:7:history", "round_id"),
    (coffee.INTRO, "coffee:group:7:intro", "group_id"),
    (coffee.CHECKIN, "coffee:group:7:checkin", "group_id"),
    (coffee.ROUND_STARTED, "coffee:round:7:start", "round_id"),
    (coffee.ROUND_ENDED, "coffee:round:7:end", "round_id"),
    (discussion.PROPOSER, "discussion:topic:7:proposer", "topic_id"),
    (discussion.BACKLOG, "discussion:7:backlog", "activity_id"),
    (discussion.BACKLOG_UPDATE, "discussion:7:backlog:update", "activity_id"),
    (discussion.DIGEST, "discussion:topic:7:digest", "topic_id"),
    (poll.POST, "poll:7:post", "poll_id"),
    (poll.UPDATE, "poll:7:update", "poll_id"),
    (poll.RESULTS, "poll:7:results", "poll_id"),
    (poll.REMINDER, "poll:7:reminder", "poll_id"),
    (talks.ACK, "talk:7:ack", "talk_id"),
    (talks.ANNOUNCE, "talk:7:announce", "talk_id"),
    (talks.ANNOUNCE_UPDATE, "talk:7:announce:update", "talk_id"),
    (talks.QA, "talk:7:qa", "talk_id"),
    (talks.THANKS, "talk:7:thanks", "talk_id"),
]
REFRESHABLE = {
    bookclub.BOARD_UPDATE,
    bookclub.MILESTONE_UPDATE,
    bookclub.MEETING_UPDATE,
    discussion.BACKLOG_UPDATE,
    poll.UPDATE,
    talks.ANNOUNCE_UPDATE,
}


@pytest.mark.parametrize(("kind", "key", "about"), KEYS, ids=[k.name for k, _, _ in KEYS])
def test_an_intent_per_id_keeps_its_stored_key_and_payload(
    kind: IntentType, key: str, about: str
) -> None:
    assert isinstance(kind, IdIntentType)
    intent = kind.of(7)
    assert (intent.kind, intent.dedupe_key, intent.payload) == (kind.name, key, {about: 7})
    assert kind.key_of(7) == key
    assert intent.refreshable == (kind in REFRESHABLE)


def test_every_intent_per_id_of_the_kinds_is_pinned() -> None:
    declared = {
        t
        for module in (bookclub, coffee, discussion, poll, talks)
        for t in module.INTENTS
        if isinstance(t, IdIntentType)
    }
    assert declared == {kind for kind, _, _ in KEYS}


def test_a_key_without_one_place_for_the_id_is_refused() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        IdIntentType("x.y", key="x:y", about="x_id")
