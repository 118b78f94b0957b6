"""Pairing engine for "someone you don't know" coffees and breakfast switch-ups.

Pure domain code: no Slack, no storage, no clock reads, no global random state.
Everything a round needs comes in through :class:`MatchRequest`, and the same
request (same seed) always produces the same :class:`MatchResult`.

The package, one idea per module:

* ``request``    -- the contract: Participant, MatchRequest, Group, MatchResult.
* ``history``    -- who met whom, and how many rounds ago.
* ``hours``      -- time zones and working hours: availability, islands, suggest_slot.
* ``costs``      -- the cost model: avoid, schedule, repeats, teams, shared channels.
* ``designs``    -- known repeat-free schedules (round-robin, Kirkman, affine spaces).
* ``golfers``    -- the best known 8-4-10 social golfer schedule, as data.
* ``schedule``   -- follows such a design round after round for a stable group.
* ``roundrobin`` -- backtracking planner of repeat-free pair rounds (any history).
* ``greedy``     -- greedy construction and the team-spreading seed for large rounds.
* ``improve``    -- local search: swaps and rotations while the total cost drops.
* ``avoid``      -- the last line of defence: avoid lists, nobody alone, schedules.
* ``explain``    -- why a group was chosen, in words.
* ``engine``     -- ``match``: one round, end to end.

How a round is built
--------------------
1. Participants are de-duplicated and sorted by id (input order never
   matters); all randomness comes from ``random.Random(seed)``.
2. People are split into *islands* that share some available time (breakfast
   mornings are short, so time zones split a community); each island is
   matched on its own, and someone who shares a slot with nobody joins the
   best group -- never alone.
3. Rounds of pairs up to 64 people are *planned* from history (see
   ``roundrobin``): repeat-free until everyone has met everyone, strangers
   first, so same-team pairs wait for the last rounds -- better at mixing
   teams than a fixed design.
4. Otherwise a stable group that has so far followed a known design (the
   circle method for pairs, Kirkman's fifteen and affine spaces for threes
   and fours, the best known 8-4-10 for 32 in fours, see ``designs``) plays
   the design's cheapest unplayed round, so it stays repeat-free to the
   design's limit (N-1 rounds of pairs for even N).  The design is anchored
   on the group's oldest round in the history, so that first round is free
   to mix teams, channels and time zones.
5. Otherwise -- churn, larger rounds, no design -- groups are built
   greedily and improved by local search (``improve``), which also spreads
   doubled-up teams to the lower bound and, in large rounds, tries all swaps
   for groups still sharing channels.

Group sizes: for ``group_size`` k and n people, groups have k or k+1 members
(k-1 only when there are too few groups to absorb the remainder); nobody is
ever alone.  With pairs, an odd count gives exactly one trio.  Islands and
unsolvable avoid lists can make sizes deviate; nobody is ever alone.
"""

from activities.matching.costs import (
    CHANNEL_PENALTY,
    FORBIDDEN,
    SCHEDULE_PENALTY,
    TEAM_PENALTY,
    repeat_penalty,
)
from activities.matching.engine import group_sizes, match, same_team_bound
from activities.matching.explain import explain
from activities.matching.history import History, PastMeeting
from activities.matching.hours import suggest_slot
from activities.matching.request import (
    REASON_AVOID,
    REASON_NOT_ENOUGH,
    Group,
    LeftOut,
    MatchRequest,
    MatchResult,
    Mode,
    Participant,
)

__all__ = [
    "CHANNEL_PENALTY",
    "FORBIDDEN",
    "REASON_AVOID",
    "REASON_NOT_ENOUGH",
    "SCHEDULE_PENALTY",
    "TEAM_PENALTY",
    "Group",
    "History",
    "LeftOut",
    "MatchRequest",
    "MatchResult",
    "Mode",
    "Participant",
    "PastMeeting",
    "explain",
    "group_sizes",
    "match",
    "repeat_penalty",
    "same_team_bound",
    "suggest_slot",
]
