"""Actions the board agreed, their progress log ("we did") and their RAG history."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Self

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, new_id, utc_column
from models.escalation import EscalationRecord
from models.formatting import long_date
from models.partner import OwnerRef
from models.policy import end_of_day
from models.rag import HISTORICAL_CAUSE, Rag, RagFacts, RagSource, derive_rag
from models.text import CleanText
from models.timer import PendingTimerPublic


class ActionStatus(StrEnum):
    unassigned = "unassigned"
    awaiting_acknowledgement = "awaiting_acknowledgement"
    in_progress = "in_progress"
    done = "done"
    cannot_deliver = "cannot_deliver"
    withdrawn = "withdrawn"


STATUS_LABELS = {
    ActionStatus.unassigned: "No owner yet",
    ActionStatus.awaiting_acknowledgement: "Awaiting acknowledgement",
    ActionStatus.in_progress: "In progress",
    ActionStatus.done: "Done",
    ActionStatus.cannot_deliver: "Cannot be delivered",
    ActionStatus.withdrawn: "Withdrawn",
}


class RecordedStatus(StrEnum):
    """An imported action's status as its record gives it (the product did not track it)."""

    done = "done"
    in_progress = "in_progress"
    not_known = "not_known"


RECORDED_STATUS_LABELS = {
    RecordedStatus.done: "Done",
    RecordedStatus.in_progress: "In progress",
    RecordedStatus.not_known: "Not known",
}


class RecordedUpdate(SQLModel):
    """An entry of an action's log as this product's own export gives it."""

    at: datetime
    kind: str
    text: str
    author: str
    author_kind: str
    rag_at_time: str


class ActionAsRecorded(SQLModel):
    """What a past record says of an action: its status, when it was done, its comment."""

    status: RecordedStatus = RecordedStatus.not_known
    done_on: date | None = None
    comment: str | None = None
    closed_at: datetime | None = None  # this product's own export: the moment it closed
    closure_note: str | None = None
    updates: list[RecordedUpdate] = Field(default_factory=list)


OWNED = frozenset({ActionStatus.awaiting_acknowledgement, ActionStatus.in_progress})


class ActionCreate(CleanText, SQLModel):
    """An action as the board agreed it. The owner may not be named yet."""

    text: str = Field(min_length=3, max_length=5_000)
    owner_id: uuid.UUID | None = Field(
        default=None, description="A named person from the directory."
    )
    owner_as_written: str | None = Field(
        default=None, max_length=500, description="The owner as the minutes give it, if unnamed."
    )
    partner_id: uuid.UUID | None = None
    due_date: date | None = None
    due_at: datetime | None = Field(
        default=None,
        description="A precise deadline (demos and tests). Normally the end of due_date.",
    )

    @model_validator(mode="after")
    def _deadline_consistent(self) -> Self:
        if self.due_at is not None and self.due_at.tzinfo is None:
            raise ValueError("due_at: give a time zone, e.g. 2027-01-14T17:00:00+00:00")
        if self.due_at is not None and self.due_date is None:
            self.due_date = self.due_at.date()
        return self


class ActionRecord(SQLModel):
    """Every column of an action: the table, and the workflow's snapshot of it."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    seq: int = 1
    text: str
    status: ActionStatus = enum_column(ActionStatus, ActionStatus.unassigned, index=True)
    owner_id: uuid.UUID | None = Field(default=None, foreign_key="owner.id", index=True)
    owner_name: str | None = None
    owner_email: str | None = None
    owner_as_written: str | None = None
    partner_id: uuid.UUID | None = Field(default=None, foreign_key="partner.id", index=True)
    partner_name: str | None = None
    due_date: date | None = Field(default=None, index=True)
    due_at: datetime | None = utc_column()
    rag: Rag = enum_column(Rag, Rag.green, index=True)
    recorded_status: RecordedStatus | None = enum_column(RecordedStatus, None)
    recorded_done_on: date | None = None
    recorded_comment: str | None = None
    taken_on_at: datetime | None = utc_column()
    rag_cause: str = "On track"
    rag_source: RagSource = enum_column(RagSource, RagSource.derived)
    stated_rag: Rag | None = enum_column(Rag, None)
    override_rag: Rag | None = enum_column(Rag, None)
    override_reason: str | None = None
    assignment_no: int = 0
    linked_at: datetime | None = utc_column()
    acknowledged_at: datetime | None = utc_column()
    last_progress_at: datetime | None = utc_column()
    closed_at: datetime | None = utc_column()
    closed_on_time: bool | None = Field(
        default=None, description="Frozen when the action closes; None when it had no due date."
    )
    closure_note: str | None = None
    gaps: list[str] = json_column(list)
    created_at: datetime = utc_column(nullable=False, now=True)
    updated_at: datetime = utc_column(nullable=False, now=True)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_history(self) -> bool:
        """Imported from past records and not taken on: not rated, not chased."""
        return self.recorded_status is not None and self.taken_on_at is None

    @property
    def status_label(self) -> str:
        """The status in words: as recorded, for history (with the date done where known)."""
        if self.recorded_status is not None and self.taken_on_at is None:
            label = RECORDED_STATUS_LABELS[self.recorded_status]
            if self.recorded_status is RecordedStatus.done and self.recorded_done_on:
                label += f" ({long_date(self.recorded_done_on)})"
            return f"{label} — as recorded"
        return STATUS_LABELS[self.status]


#: Open actions only (the RAG board, the home counts): partial indexes on both databases.
_TIES = ("case_id", "seq", "id", "closed_at")
_OPEN: dict[str, Any] = {
    "sqlite_where": sa.text("closed_at IS NULL"),
    "postgresql_where": sa.text("closed_at IS NULL"),
}


class Action(ActionRecord, table=True):
    # The RAG board's counts (by rating) and every sort it offers, over open actions only;
    # each holds the sort's tie-breakers, the id and closed_at, so that the counts and a page's
    # ids come from the index alone (SQLite: "USING COVERING INDEX"). Rating and due date serve
    # the counts, the RAG and due-date sorts and the due months.
    __table_args__ = (
        sa.Index("ix_action_open_rag_due", "rag", "due_date", *_TIES, **_OPEN),
        sa.Index("ix_action_open_owner_name", "owner_name", *_TIES, **_OPEN),
        sa.Index("ix_action_open_partner_name", "partner_name", *_TIES, **_OPEN),
    )


def new_action_record(
    *,
    action_id: uuid.UUID,
    case_id: uuid.UUID,
    seq: int,
    text: str,
    at: datetime,
    owner: OwnerRef | None = None,
    owner_as_written: str | None = None,
    partner_id: uuid.UUID | None = None,
    partner_name: str | None = None,
    due_date: date | None = None,
    due_at: datetime | None = None,
    gaps: list[str] | None = None,
    recorded: ActionAsRecorded | None = None,
    meeting_date: date | None = None,
) -> ActionRecord:
    """A new action as agreed: awaiting its owner's acknowledgement, or with no owner yet.

    An action from a past record (``recorded``) keeps what the record says: done (closed when
    the record says, else at the meeting), or open and not rated, chased by no one."""
    if recorded is not None:
        return _as_recorded(
            new_action_record(
                action_id=action_id,
                case_id=case_id,
                seq=seq,
                text=text,
                at=at,
                owner=owner,
                owner_as_written=owner_as_written,
                partner_id=partner_id,
                partner_name=partner_name,
                due_date=due_date,
                due_at=due_at,
                gaps=gaps,
            ),
            recorded,
            meeting_date,
        )
    first = derive_rag(RagFacts(no_owner=owner is None, no_due_date=due_date is None), at)
    return ActionRecord(
        id=action_id,
        case_id=case_id,
        seq=seq,
        text=text,
        status=ActionStatus.awaiting_acknowledgement if owner else ActionStatus.unassigned,
        owner_id=owner.id if owner else None,
        owner_name=owner.name if owner else None,
        owner_email=owner.email if owner else None,
        owner_as_written=owner_as_written,
        partner_id=owner.partner_id if owner else partner_id,
        partner_name=owner.partner_name if owner else partner_name,
        due_date=due_date,
        due_at=due_at or (end_of_day(due_date) if due_date else None),
        rag=first.rag,
        rag_cause=first.cause,
        assignment_no=1 if owner else 0,
        linked_at=at if owner else None,
        gaps=list(gaps or []),
        created_at=at,
        updated_at=at,
    )


def _as_recorded(
    r: ActionRecord, recorded: ActionAsRecorded, meeting_date: date | None
) -> ActionRecord:
    r.recorded_status = recorded.status
    r.recorded_done_on = recorded.done_on
    r.recorded_comment = recorded.comment
    r.rag, r.rag_cause = Rag.not_rated, HISTORICAL_CAUSE
    r.linked_at = None
    if recorded.status is RecordedStatus.done:
        r.status = ActionStatus.done
        day = recorded.done_on or meeting_date  # done by the record, the day not known
        r.closed_at = recorded.closed_at or (end_of_day(day) if day else r.created_at)
        r.closure_note = recorded.closure_note or recorded.comment
    return r


class UpdateKind(StrEnum):
    progress = "progress"
    still_on_track = "still_on_track"
    done = "done"
    cannot_deliver = "cannot_deliver"
    declined = "declined"
    note = "note"
    presenter_feedback = "presenter_feedback"  # met / partly / not met, after it closed


class ActionUpdateRecord(SQLModel):
    """One entry in an action's log: who said what, when, and the RAG at that time."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    action_id: uuid.UUID = Field(foreign_key="action.id", index=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    at: datetime = utc_column(nullable=False, index=True)
    kind: UpdateKind = enum_column(UpdateKind)
    text: str
    author_name: str
    author_kind: str
    stated_rag: Rag | None = enum_column(Rag, None)
    rag_at_time: Rag = enum_column(Rag)
    public_text_approved: bool = Field(
        default=False, description="The Community Voice Lead approved this text for publication."
    )


class ActionUpdate(ActionUpdateRecord, table=True):
    __tablename__ = "action_update"


class RagChangeRecord(SQLModel):
    """A change of an action's shown RAG, with its cause (so reports can say why)."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    action_id: uuid.UUID = Field(foreign_key="action.id", index=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    at: datetime = utc_column(nullable=False, index=True)
    from_rag: Rag | None = enum_column(Rag, None)
    to_rag: Rag = enum_column(Rag)
    cause: str
    source: RagSource = enum_column(RagSource)


class RagChange(RagChangeRecord, table=True):
    __tablename__ = "rag_change"


class ActionDetail(ActionRecord):
    """An action with its log, RAG history, escalations and pending timers."""

    updates: list[ActionUpdateRecord] = Field(default_factory=list)
    rag_history: list[RagChangeRecord] = Field(default_factory=list)
    escalations: list[EscalationRecord] = Field(default_factory=list)
    timers: list[PendingTimerPublic] = Field(default_factory=list)
