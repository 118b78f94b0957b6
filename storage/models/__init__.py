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
    RoleTerm,
    RoleTermBase,
    Run,
    Workspace,
)
from storage.models.rsvp import Rsvp, RsvpEvent

__all__ = [
    "Activity",
    "ActivityBase",
    "ActivityState",
    "AuditEntry",
    "Member",
    "MemberBase",
    "OutboxMessage",
    "OutboxStatus",
    "ProcessedEvent",
    "RoleTerm",
    "RoleTermBase",
    "Rsvp",
    "RsvpEvent",
    "Run",
    "Workspace",
]
