"""Human input: what staff, owners and presenters ask the process to do.

Each ``…Body`` is what a client sends; the command adds who sent it, when, and a unique id,
and travels through the inbox into the workflow that owns the record. ``refusal`` holds the
rules both the API (for a quick answer) and the workflow (the final word) apply.
"""

import uuid
from datetime import date, datetime
from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.action import OWNED, ActionCreate, ActionStatus
from models.audit import Actor
from models.partner import OwnerRef
from models.rag import Rag
from models.text import CleanText

Text = Annotated[str, Field(min_length=1, max_length=10_000)]
Reason = Annotated[
    str,
    Field(min_length=3, max_length=5_000, description="Why: kept in the history and shown."),
]


class Body(CleanText, BaseModel):
    model_config = ConfigDict(extra="forbid")


class CommandEnvelope(BaseModel):
    #: Its body was checked when it came in (models.text): a replayed history must still load.
    text_checked_on_entry: ClassVar[bool] = True

    command_id: uuid.UUID
    actor: Actor
    received_at: datetime
    for_assignment: int | None = Field(
        default=None,
        description="Set for an owner's signed link: refused if the action was reassigned since.",
    )


# --- action commands --------------------------------------------------------------------------


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


class AddNoteBody(Body):
    text: Text


class AddNote(AddNoteBody, CommandEnvelope):
    kind: Literal["add_note"] = "add_note"


class RaiseEscalationBody(Body):
    reason: Reason


class RaiseEscalation(RaiseEscalationBody, CommandEnvelope):
    kind: Literal["raise_escalation"] = "raise_escalation"


class ResolveEscalationBody(Body):
    note: Reason


class ResolveEscalation(ResolveEscalationBody, CommandEnvelope):
    kind: Literal["resolve_escalation"] = "resolve_escalation"
    escalation_id: uuid.UUID


class ReportUndeliverableBody(Body):
    """Delivery's report that a message was refused for good (a bounce)."""

    outbox_id: uuid.UUID
    recipient_role: str
    recipient_name: str
    address: str
    error: str = Field(max_length=1_000)


class ReportUndeliverable(ReportUndeliverableBody, CommandEnvelope):
    kind: Literal["report_undeliverable"] = "report_undeliverable"


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
    | AddNote
    | RaiseEscalation
    | ResolveEscalation
    | ReportUndeliverable,
    Field(discriminator="kind"),
]


class ActionCommandSignal(BaseModel):
    command: ActionCommand


# --- case commands ----------------------------------------------------------------------------


class ConfirmPresenterContactBody(Body):
    note: str | None = Field(
        default=None, max_length=5_000, description="What was agreed with the presenters."
    )


class ConfirmPresenterContact(ConfirmPresenterContactBody, CommandEnvelope):
    kind: Literal["confirm_presenter_contact"] = "confirm_presenter_contact"


class AddActionBody(ActionCreate):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class AddAction(CommandEnvelope):
    kind: Literal["add_action"] = "add_action"
    action_id: uuid.UUID
    text: str
    owner: OwnerRef | None = None
    owner_as_written: str | None = None
    partner_id: uuid.UUID | None = None
    partner_name: str | None = None
    due_date: date | None = None
    due_at: datetime | None = None


class PresenterConfirmBody(Body):
    """A presenter confirms the actions the board agreed, or says what is missing."""

    answer: Literal["confirmed", "missing"]
    comment: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _missing_says_what(self) -> Self:
        self.comment = (self.comment or "").strip() or None
        if self.answer == "missing" and not self.comment:
            raise ValueError("comment: tell us what is missing or not right")
        return self


class PresenterConfirm(PresenterConfirmBody, CommandEnvelope):
    kind: Literal["presenter_confirm"] = "presenter_confirm"
    presenter_id: uuid.UUID


class PresenterFeedbackBody(Body):
    """After an action closes: did what was done meet the presenter's concern?"""

    answer: Literal["met", "partly", "not_met"]
    comment: str | None = Field(default=None, max_length=5_000)

    @model_validator(mode="after")
    def _tidy(self) -> Self:
        self.comment = (self.comment or "").strip() or None
        return self


class PresenterFeedback(PresenterFeedbackBody, CommandEnvelope):
    kind: Literal["presenter_feedback"] = "presenter_feedback"
    presenter_id: uuid.UUID
    action_id: uuid.UUID


CaseCommand = Annotated[
    ConfirmPresenterContact
    | AddAction
    | AddNote
    | RaiseEscalation
    | ResolveEscalation
    | ReportUndeliverable
    | PresenterConfirm
    | PresenterFeedback,
    Field(discriminator="kind"),
]


class CaseCommandSignal(BaseModel):
    command: CaseCommand


# --- the rules --------------------------------------------------------------------------------

_OPEN = frozenset(
    {
        ActionStatus.unassigned,
        ActionStatus.awaiting_acknowledgement,
        ActionStatus.in_progress,
        ActionStatus.cannot_deliver,
    }
)
ALLOWED_FROM: dict[str, frozenset[ActionStatus]] = {
    "assign_owner": _OPEN,
    "acknowledge": frozenset({ActionStatus.awaiting_acknowledgement}),
    "post_update": OWNED,
    "mark_done": _OPEN,
    "cannot_deliver": OWNED,
    "decline": OWNED,
    "extend_due_date": _OPEN,
    "override_rag": _OPEN,
    "clear_rag_override": _OPEN,
    "withdraw_action": _OPEN,
    "close_action": frozenset({ActionStatus.cannot_deliver}),
    "add_note": _OPEN,
    "raise_escalation": _OPEN,
    "resolve_escalation": _OPEN,
    "report_undeliverable": _OPEN,
}

_WHY_NOT = {
    "acknowledge": "it is not waiting for acknowledgement",
    "post_update": "it has no owner working on it",
    "cannot_deliver": "it has no owner working on it",
    "decline": "it has no owner working on it",
    "close_action": "only an action its owner cannot deliver is closed this way",
}


def refusal(kind: str, status: ActionStatus, closed: bool) -> str | None:
    """Why a command cannot apply to an action in this state, in plain English; else None."""
    if closed:
        return "This action is closed, so it can no longer be changed."
    if status in ALLOWED_FROM[kind]:
        return None
    reason = _WHY_NOT.get(kind, "of its status")
    return f"This action is '{status.value.replace('_', ' ')}', so this cannot apply: {reason}."
