"""Pending timers: what each workflow will do next and when, as people read it."""

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utc_column


class PendingTimerRecord(SQLModel):
    key: str = Field(max_length=200)
    kind: str = Field(max_length=60)
    due_at: datetime = utc_column(nullable=False, index=True)
    description: str


class PendingTimerPublic(PendingTimerRecord):
    """A pending timer as the API shows it: which workflow, case and action it belongs to."""

    workflow_id: str
    case_id: uuid.UUID
    action_id: uuid.UUID | None = None


class PendingTimer(PendingTimerRecord, table=True):
    __tablename__ = "pending_timer"

    id: int | None = Field(default=None, primary_key=True)
    workflow_id: str = Field(max_length=100, index=True)
    case_id: uuid.UUID = Field(index=True)
    action_id: uuid.UUID | None = Field(default=None, index=True)


class RecordedStep(SQLModel, table=True):
    """Keys of workflow steps already written, so a retried activity writes nothing twice."""

    __tablename__ = "recorded_step"

    key: str = Field(primary_key=True, max_length=200)
    recorded_at: datetime = utc_column(nullable=False, now=True)
