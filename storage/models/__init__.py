"""Every table, imported so that `SQLModel.metadata` knows them all."""

from storage.models import coffee as _coffee  # noqa: F401  (coffee tables)
from storage.models import polls as _polls  # noqa: F401  (poll tables)
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
    "ProcessedTrigger",
    "RoleTerm",
    "RoleTermBase",
    "Run",
    "Workspace",
]
