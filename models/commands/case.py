"""What staff and presenters ask of a case: each ``…Body`` as a client sends it, and the command
(body and envelope) that the case's workflow applies."""

import uuid
from datetime import date, datetime
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.action import ActionCreate
from models.commands.envelope import Body, CommandEnvelope
from models.commands.shared import AddNote, RaiseEscalation, ReportUndeliverable, ResolveEscalation
from models.partner import OwnerRef


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
