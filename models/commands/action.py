"""What staff and owners ask of an action: each ``…Body`` as a client sends it, and the command
(body and envelope) that the action's workflow applies."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, model_validator

from models.commands.envelope import Body, CommandEnvelope, Reason, Text
from models.commands.history import CloseHistory, TakeOn
from models.commands.shared import AddNote, RaiseEscalation, ReportUndeliverable, ResolveEscalation
from models.partner import OwnerRef
from models.rag import Rag


class AssignOwnerBody(Body):
    owner_id: uuid.UUID
    note: str | None = Field(default=None, max_length=5_000)


class AssignOwner(AssignOwnerBody, CommandEnvelope):
    kind: Literal["assign_owner"] = "assign_owner"
    owner: OwnerRef


class AcknowledgeBody(Body):
    note: str | None = Field(default=None, max_length=5_000)


class Acknowledge(AcknowledgeBody, CommandEnvelope):
    kind: Literal["acknowledge"] = "acknowledge"


class PostUpdateBody(Body):
    text: str = Field(default="", max_length=10_000)
    rag: Rag | None = Field(default=None, description="The owner's own rating: green/amber/red.")
    still_on_track: bool = Field(default=False, description="One-step 'still on track' update.")

    @model_validator(mode="after")
    def _says_something(self) -> Self:
        if self.rag is Rag.blue:
            raise ValueError("rag: rate it green, amber or red; mark it done to complete it")
        if self.still_on_track:
            if self.rag not in (None, Rag.green):
                raise ValueError("rag: 'still on track' is a green rating; untick it to rate")
            self.rag = Rag.green
            self.text = self.text or "Still on track."
        if not self.text.strip():
            raise ValueError("text: say what has happened since the last update")
        return self


class PostUpdate(PostUpdateBody, CommandEnvelope):
    kind: Literal["post_update"] = "post_update"


class MarkDoneBody(Body):
    text: Text = Field(description="What was done: this is what the presenters are told.")


class MarkDone(MarkDoneBody, CommandEnvelope):
    kind: Literal["mark_done"] = "mark_done"


class CannotDeliverBody(Body):
    reason: Reason


class CannotDeliver(CannotDeliverBody, CommandEnvelope):
    kind: Literal["cannot_deliver"] = "cannot_deliver"


class DeclineBody(Body):
    reason: Reason
    suggested_owner: str | None = Field(
        default=None, max_length=500, description="Who it should go to, if the owner knows."
    )


class Decline(DeclineBody, CommandEnvelope):
    kind: Literal["decline"] = "decline"


class ExtendDueDateBody(Body):
    due_date: date
    due_at: datetime | None = None
    reason: Reason

    @model_validator(mode="after")
    def _aware(self) -> Self:
        if self.due_at is not None and self.due_at.tzinfo is None:
            raise ValueError("due_at: give a time zone, e.g. 2027-01-14T17:00:00+00:00")
        return self


class ExtendDueDate(ExtendDueDateBody, CommandEnvelope):
    kind: Literal["extend_due_date"] = "extend_due_date"


class OverrideRagBody(Body):
    rag: Literal[Rag.green, Rag.amber, Rag.red]
    reason: Reason


class OverrideRag(OverrideRagBody, CommandEnvelope):
    kind: Literal["override_rag"] = "override_rag"


class ClearRagOverrideBody(Body):
    reason: str | None = Field(default=None, max_length=5_000)


class ClearRagOverride(ClearRagOverrideBody, CommandEnvelope):
    kind: Literal["clear_rag_override"] = "clear_rag_override"


class WithdrawActionBody(Body):
    reason: Reason


class WithdrawAction(WithdrawActionBody, CommandEnvelope):
    kind: Literal["withdraw_action"] = "withdraw_action"


class CloseActionBody(Body):
    reason: Reason


class CloseAction(CloseActionBody, CommandEnvelope):
    """The Community Voice Lead closes an action that cannot be delivered."""

    kind: Literal["close_action"] = "close_action"


ActionCommand = Annotated[
    AssignOwner
    | Acknowledge
    | PostUpdate
    | MarkDone
    | CannotDeliver
    | Decline
    | ExtendDueDate
    | OverrideRag
    | ClearRagOverride
    | WithdrawAction
    | CloseAction
    | TakeOn
    | CloseHistory
    | AddNote
    | RaiseEscalation
    | ResolveEscalation
    | ReportUndeliverable,
    Field(discriminator="kind"),
]


class ActionCommandSignal(BaseModel):
    command: ActionCommand
