"""The core tables (each kind's own are in storage/kinds/<kind>/models.py)."""

from storage.models.core import (
    Activity,
    ActivityBase,
    ActivityState,
    AuditEntry,
    Member,
    MemberBase,
    OutboxMessage,
    OutboxStatus,
    ProcessedEvent,
    ProcessedTrigger,
    RoleTerm,
    RoleTermBase,
    Run,
    Workspace,
)
from storage.models.governance import (
    CharterWelcome,
    CommunitySettings,
    Role,
    RolePoll,
    RotationDecision,
    Volunteer,
    VolunteerCall,
)
from storage.models.recognition import RecognitionSettings, ShoutoutOptOut, Thanks, Win
from storage.models.rsvp import Rsvp, RsvpEvent

__all__ = [
    "Activity",
    "ActivityBase",
    "ActivityState",
    "AuditEntry",
    "CharterWelcome",
    "CommunitySettings",
    "Member",
    "MemberBase",
    "OutboxMessage",
    "OutboxStatus",
    "ProcessedEvent",
    "ProcessedTrigger",
    "RecognitionSettings",
    "Role",
    "RolePoll",
    "RoleTerm",
    "RoleTermBase",
    "RotationDecision",
    "Rsvp",
    "RsvpEvent",
    "Run",
    "ShoutoutOptOut",
    "Thanks",
    "Volunteer",
    "VolunteerCall",
    "Win",
    "Workspace",
]
