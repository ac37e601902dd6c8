"""Cases: one Community Voice session at one board meeting."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Self

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.action import ActionCreate, ActionRecord
from models.base import enum_column, json_column, new_id, utc_column
from models.escalation import EscalationRecord
from models.presenter import PresenterCreate, PresenterRecord
from models.text import CleanText
from models.timer import PendingTimerPublic


class CaseOutcome(StrEnum):
    held = "held"
    withdrawn = "withdrawn"  # late withdrawal of the planned presentation
    cancelled = "cancelled"  # meeting cancelled
    deferred = "deferred"  # moved to a later meeting
    no_action = "no_action"  # held, no specific action agreed


OUTCOME_LABELS = {
    CaseOutcome.held: "Held",
    CaseOutcome.withdrawn: "Withdrawn",
    CaseOutcome.cancelled: "Meeting cancelled",
    CaseOutcome.deferred: "Deferred to a later meeting",
    CaseOutcome.no_action: "Held, no specific action agreed",
}

#: Outcomes after which the engagement lead contacts the presenters (step 1).
CONTACT_OUTCOMES = frozenset({CaseOutcome.held, CaseOutcome.no_action})


class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"


class CaseCore(SQLModel):
    meeting_date: date = Field(index=True)
    outcome: CaseOutcome = enum_column(CaseOutcome, CaseOutcome.held)
    theme: str | None = Field(default=None, max_length=300)
    said: str | None = Field(
        default=None, max_length=20_000, description="What the presenters told the board."
    )


class CaseCreate(CleanText, CaseCore):
    """What the engagement lead records after a board meeting; starts the case."""

    board: str = Field(min_length=2, max_length=40, description="The board's slug, e.g. 'tht'.")
    presenters: list[PresenterCreate] = Field(default_factory=list, max_length=50)
    actions: list[ActionCreate] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.actions and self.outcome is not CaseOutcome.held:
            raise ValueError(
                f"actions: a session with outcome '{self.outcome}' has no agreed actions; "
                "use outcome 'held' or remove the actions"
            )
        for index, action in enumerate(self.actions):
            if action.due_date is not None and action.due_date < self.meeting_date:
                raise ValueError(
                    f"actions.{index}.due_date: {action.due_date.isoformat()} is before the "
                    f"meeting on {self.meeting_date.isoformat()}; give a date on or after it"
                )
        return self


class CaseRecord(CaseCore):
    """Every column of a case: the table, and the snapshot a workflow hands to its activity."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    board_id: uuid.UUID = Field(foreign_key="board.id", index=True)
    status: CaseStatus = enum_column(CaseStatus, CaseStatus.open, index=True)
    historical: bool = Field(
        default=False, description="Imported from past records: steps before import not chased."
    )
    source_ref: str | None = Field(default=None, max_length=100, index=True)
    meeting_month_only: bool = Field(
        default=False,
        description="Known only by its month (stored as the 1st): shown as 'April 2024'.",
    )
    noted: list[str] = json_column(list)
    gaps: list[str] = json_column(list)
    outcome_reflection: str | None = Field(default=None, max_length=20_000)
    presenter_contact_confirmed_at: datetime | None = utc_column()
    presenter_contact_by: str | None = Field(default=None, max_length=200)
    presenter_contact_note: str | None = Field(default=None, max_length=5_000)
    recorded_at: datetime = utc_column(nullable=False, now=True)
    recorded_by: str = Field(default="", max_length=200)
    closed_at: datetime | None = utc_column()


class Case(CaseRecord, table=True):
    # The list of sessions of one board, newest meeting first.
    __table_args__ = (sa.Index("ix_case_board_meeting", "board_id", "meeting_date"),)


class SaidSummaryRecord(SQLModel):
    """A summary of what was said, for the board's paper: the engagement lead writes it, the
    Community Voice Lead approves it; once approved, papers show it instead of ``said``."""

    case_id: uuid.UUID = Field(foreign_key="case.id", primary_key=True)
    text: str = Field(max_length=5_000)
    written_by: str = Field(max_length=200)
    written_at: datetime = utc_column(nullable=False)
    approved_by: str | None = Field(default=None, max_length=200)
    approved_at: datetime | None = utc_column()


class SaidSummary(SaidSummaryRecord, table=True):
    __tablename__ = "said_summary"


class SaidSummaryWrite(CleanText, SQLModel):
    text: str = Field(min_length=3, max_length=5_000)


class CaseSummary(CaseRecord):
    """A case in a list: its own columns plus the board it belongs to."""

    board_slug: str
    board_name: str
    actions_total: int = 0
    actions_open: int = 0


class CaseDetail(CaseSummary):
    """A case with its presenters, actions (RAG and cause), escalations and pending timers."""

    presenters: list[PresenterRecord] = Field(default_factory=list)
    actions: list[ActionRecord] = Field(default_factory=list)
    escalations: list[EscalationRecord] = Field(default_factory=list)
    timers: list[PendingTimerPublic] = Field(default_factory=list)
