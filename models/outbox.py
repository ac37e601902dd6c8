"""The outbox: every message the process sends, written in the same transaction as the change
that caused it, delivered later (and exactly once) by the email activities."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, new_id, utc_column


class RecipientRole(StrEnum):
    owner = "owner"
    presenter = "presenter"
    engagement_lead = "engagement_lead"
    cv_lead = "cv_lead"


class OutboxStatus(StrEnum):
    pending = "pending"  # waiting to be sent
    sending = "sending"  # claimed by a delivery attempt
    sent = "sent"
    failed = "failed"  # permanently refused by the receiving server
    manual = "manual"  # no email address: the engagement lead passes it on by another route
    cancelled = "cancelled"
    gathered = "gathered"  # a reminder sent inside a gathered reminder email (``gathered_into``)
    unconfirmed = "unconfirmed"  # the sender stopped mid-handover: maybe sent, never resent


class OutboxRecord(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    kind: str = Field(max_length=60, index=True, description="A notifications.MessageType.")
    case_id: uuid.UUID | None = Field(default=None, foreign_key="case.id", index=True)
    action_id: uuid.UUID | None = Field(default=None, foreign_key="action.id", index=True)
    recipient_role: RecipientRole = enum_column(RecipientRole)
    recipient_name: str
    recipient_email: str | None = None
    recipient_route: str | None = Field(
        default=None, description="How to pass it on when there is no email address."
    )
    reply_to: str | None = None
    facts: dict[str, Any] = json_column()
    created_at: datetime = utc_column(nullable=False, index=True)
    status: OutboxStatus = enum_column(OutboxStatus, OutboxStatus.pending, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = utc_column()
    sent_at: datetime | None = utc_column()
    last_error: str | None = None
    message_id: str | None = Field(default=None, max_length=300)
    claimed_by: str | None = Field(
        default=None, max_length=64, description="The delivery attempt that holds this row."
    )
    handed_over_at: datetime | None = utc_column()
    gathered_into: uuid.UUID | None = Field(
        default=None, index=True, description="The reminder email this reminder went out in."
    )


class OutboxMessage(OutboxRecord, table=True):
    __tablename__ = "outbox_message"
