"""A small community in the local workspace: #community, a dozen members, an admin."""

from __future__ import annotations

from dataclasses import dataclass

from bot.sandbox import FakeSlack

COMMUNITY_CHANNEL_ID = "C0COMMUNITY"
ADMIN_ID = "UADMIN"

# name, real name, team (profile title), time zone: several zones, so schedules and
# `<!date>` rendering show each person their own local time.
MEMBERS: tuple[tuple[str, str, str, str], ...] = (
    ("alice", "Alice Martin", "Platform", "Europe/London"),
    ("bob", "Bob Okafor", "Payments", "Europe/Berlin"),
    ("carol", "Carol Diaz", "Design", "America/New_York"),
    ("dan", "Dan Kowalski", "Platform", "Europe/Warsaw"),
    ("erin", "Erin Walsh", "Data", "Europe/Dublin"),
    ("farid", "Farid Haddad", "Payments", "Asia/Dubai"),
    ("grace", "Grace Liu", "Mobile", "Asia/Singapore"),
    ("hugo", "Hugo Petit", "Design", "Europe/Paris"),
    ("ines", "Inês Costa", "Data", "Europe/Lisbon"),
    ("jamal", "Jamal Reed", "Mobile", "America/Chicago"),
    ("kenji", "Kenji Sato", "Platform", "Asia/Tokyo"),
    ("lena", "Lena Berg", "Payments", "Europe/Stockholm"),
)
TEAMS = ("Platform", "Payments", "Design", "Data", "Mobile")
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo")


@dataclass(frozen=True)
class Community:
    """What was seeded: the ids the shell starts with."""

    channel_id: str
    admin_id: str
    member_ids: tuple[str, ...]


def member_id(name: str) -> str:
    # Fixed ids, so a kept database (--db) still matches the workspace next session.
    return "U" + name.upper()


def seed_community(slack: FakeSlack, *, members: int = len(MEMBERS)) -> Community:
    """Add the members (named ones first, then member13…), the admin and #community."""
    ids: list[str] = []
    for i in range(members):
        if i < len(MEMBERS):
            name, real_name, team, tz = MEMBERS[i]
        else:
            name = f"member{i + 1}"
            real_name, team, tz = f"Member {i + 1}", TEAMS[i % len(TEAMS)], ZONES[i % len(ZONES)]
        uid = member_id(name)
        slack.add_user(uid, name, real_name=real_name, title=team, tz=tz)
        ids.append(uid)
    slack.add_user(ADMIN_ID, "admin", real_name="Ada Admin", title="Community lead", is_admin=True)
    slack.add_channel(
        COMMUNITY_CHANNEL_ID,
        "community",
        [*ids, ADMIN_ID],
        purpose="Our community of practice",
    )
    return Community(channel_id=COMMUNITY_CHANNEL_ID, admin_id=ADMIN_ID, member_ids=tuple(ids))
