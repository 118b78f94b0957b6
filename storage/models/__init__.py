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
    "Run",
    "Workspace",
]
