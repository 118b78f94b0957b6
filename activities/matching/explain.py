"""Why a group was chosen, in words people read ("first meeting", "different teams")."""

from __future__ import annotations

from collections.abc import Sequence

from activities.matching.costs import Context, GroupCost, build_context
from activities.matching.hours import FULL_MASK, describe_window, reference_day
from activities.matching.request import Group, MatchRequest, Mode, Participant, dedupe


def explain(group: Group | Sequence[str], request: MatchRequest) -> list[str]:
    """Human-readable reasons for a group, e.g. "first meeting", "different teams"."""
    ids = group.members if isinstance(group, Group) else tuple(group)
    by_id = {p.user_id: p for p in dedupe(request.participants)}
    people = [by_id.get(uid, Participant(uid)) for uid in ids]
    ctx = build_context(people, request.history, request.mode, reference_day(request))
    return list(describe(list(range(len(people))), ctx, request.mode)[0])


def describe(members: list[int], ctx: Context, mode: Mode) -> tuple[tuple[str, ...], int, int, int]:
    """Reasons plus (repeat pairs, same-team pairs, shared channels) for a group."""
    repeats: list[str] = []
    same_team = shared = 0
    for x, i in enumerate(members):
        stamps = ctx.met[i]
        for j in members[x + 1 :]:
            stamp = None if stamps is None else stamps.get(ctx.ids[j])
            if stamp is not None:
                ago = ctx.clock - stamp + 1
                unit = "round" if ago == 1 else "rounds"
                repeats.append(f"{ctx.ids[i]} and {ctx.ids[j]} met {ago} {unit} ago")
            if ctx.teams[i] and ctx.teams[i] == ctx.teams[j]:
                same_team += 1
            shared += (ctx.channels[i] & ctx.channels[j]).bit_count()
    reasons = [*repeats] if repeats else ["first meeting"]

    teams = [ctx.teams[i] for i in members]
    if all(teams):
        distinct = len(set(teams))
        if distinct == len(teams):
            reasons.append("different teams")
        else:
            reasons.append("same team" if distinct == 1 else "mixed teams")
    if any(ctx.channels[i] for i in members):
        reasons.append(
            "no shared channels" if shared == 0 else f"share {shared} channel{'s' * (shared != 1)}"
        )

    common = FULL_MASK
    for i in members:
        common &= ctx.masks[i]
    window = describe_window(common, ctx.day) if common else ""
    if mode == "breakfast":
        reasons.append(f"mornings overlap {window}" if common else "mornings don't overlap")
    else:
        reasons.append(f"working hours overlap {window}" if common else "no shared working hours")
    return tuple(reasons), len(repeats), same_team, shared


def make_group(members: list[int], ctx: Context, mode: Mode, group_cost: GroupCost) -> Group:
    reasons, repeats, same_team, shared = describe(members, ctx, mode)
    return Group(
        members=tuple(ctx.ids[i] for i in members),
        score=group_cost(members),
        repeat_pairs=repeats,
        same_team_pairs=same_team,
        shared_channels=shared,
        reasons=reasons,
    )
