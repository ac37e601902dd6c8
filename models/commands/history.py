"""What the Community Voice Lead (or the engagement lead) asks of an action imported from past
records: take it on for live follow-up, or close it with what was done."""

import uuid
from datetime import date, datetime
from typing import Literal, Self

from pydantic import Field, model_validator

from models.commands.envelope import Body, CommandEnvelope, Text
from models.partner import OwnerRef


class TakeOnBody(Body):
    owner_id: uuid.UUID = Field(description="The named person who will own it from now on.")
    due_date: date = Field(description="When it is now due.")
    due_at: datetime | None = Field(
        default=None, description="A precise deadline (demos and tests). Normally the due date."
    )
    note: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _aware(self) -> Self:
        if self.due_at is not None and self.due_at.tzinfo is None:
            raise ValueError("due_at: give a time zone, e.g. 2027-01-14T17:00:00+00:00")
        return self


class TakeOn(TakeOnBody, CommandEnvelope):
    """From this moment the action runs the normal rules: rated, reminded, escalated."""

    kind: Literal["take_on"] = "take_on"
    owner: OwnerRef


class CloseHistoryBody(Body):
    text: Text = Field(description="What was done, as the record or the people involved say.")
    done_on: date | None = Field(default=None, description="When it was done, where known.")


class CloseHistory(CloseHistoryBody, CommandEnvelope):
    kind: Literal["close_history"] = "close_history"
