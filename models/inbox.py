"""The inbox: every human submission is stored here first, then handed to its workflow.

A submission is answered "received" once its row is committed, so a worker, API or Temporal
outage loses nothing: the relay keeps handing undelivered rows to Temporal, the workflow
ignores a command it has already seen, and its activity records the outcome on the row.

Every change of a row's status is a compare-and-set (``UPDATE … WHERE id = ? AND status IN
(what the writer expects)``): received → delivered or rejected (the API and the relay),
received or delivered → applied or rejected (the workflow's record step). Applied and rejected
are final; nothing overwrites them.
"""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, utc_column


class CommandStatus(StrEnum):
    received = "received"  # stored, not yet handed to Temporal
    delivered = "delivered"  # handed to its workflow, not yet applied
    applied = "applied"
    rejected = "rejected"


FINAL = (CommandStatus.applied, CommandStatus.rejected)


class InboxCommandBase(SQLModel):
    id: uuid.UUID = Field(primary_key=True)
    kind: str = Field(max_length=60)
    workflow_id: str = Field(max_length=100, index=True)
    case_id: uuid.UUID | None = Field(default=None, index=True)
    action_id: uuid.UUID | None = Field(default=None, index=True)
    actor_name: str
    received_at: datetime = utc_column(nullable=False, index=True)
    status: CommandStatus = enum_column(CommandStatus, CommandStatus.received, index=True)
    delivered_at: datetime | None = utc_column()
    attempts: int = 0
    last_delivery_error: str | None = None
    outcome_at: datetime | None = utc_column()
    outcome_message: str | None = None


class InboxCommand(InboxCommandBase, table=True):
    __tablename__ = "inbox_command"

    # The client's key scoped to (actor, operation, target) (``services/idempotency.py``), or
    # the command's own id when the client gave none.
    idempotency_key: str = Field(max_length=200, unique=True, index=True)
    # A hash of what was asked: the same key with a different request is refused.
    request_hash: str | None = Field(default=None, max_length=64)
    payload: dict[str, Any] = json_column()


class InboxCommandPublic(InboxCommandBase):
    pass


class CommandOutcome(SQLModel):
    """A workflow's answer to one command, recorded on its inbox row."""

    command_id: uuid.UUID
    status: CommandStatus
    message: str
