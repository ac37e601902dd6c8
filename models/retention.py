"""Retention: presenters' contact details are deleted a board-set time (``Policy.
contact_retention``, 12 months by default) after their case closes. The Temporal payloads of
the scheduled ``RetentionWorkflow`` and its activity."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

#: The presenter columns that are contact details.
CONTACT_FIELDS = ("email", "preferred_contact")


class RetentionInput(BaseModel):
    """``now`` is the workflow's time: retention counts from it, not the activity's clock."""

    now: datetime | None = None


class RetentionRemoved(BaseModel):
    case_id: uuid.UUID
    presenter_ids: list[uuid.UUID] = Field(default_factory=list)
    outbox_rows: int = 0


class RetentionResult(BaseModel):
    now: datetime | None = None
    removed: list[RetentionRemoved] = Field(default_factory=list)

    @property
    def presenters(self) -> int:
        return sum(len(r.presenter_ids) for r in self.removed)
