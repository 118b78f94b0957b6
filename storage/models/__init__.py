"""Every table, imported so that `SQLModel.metadata` knows them all."""

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
