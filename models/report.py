"""Reports: the quarterly "You Said, We Did", the monthly ELG digest and the annual section.

A report belongs to one period of one board and exists at most once (unique on board, kind and
period). It is drafted by a report workflow, reviewed and approved by the Community Voice Lead
(approved reports are immutable and keep the exact rows they had), and published.
"""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from pydantic import Field as PayloadField
from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, new_id, utc_column
from models.text import CleanText

REPORT_NAMESPACE = uuid.UUID("1d3c3b9e-8a51-4f0e-9d5a-2b1f6f3f0c11")


class ReportKind(StrEnum):
    quarterly = "quarterly"  # "You Said, We Did" to the board
    elg_digest = "elg_digest"  # monthly update to the Engagement Leads Group
    annual = "annual"  # the section of the Community Voice Lead's annual report


KIND_LABELS = {
    ReportKind.quarterly: "You Said, We Did (quarterly)",
    ReportKind.elg_digest: "Engagement Leads Group digest",
    ReportKind.annual: "Annual report: You Said, We Did",
}


class ReportStatus(StrEnum):
    draft = "draft"
    approved = "approved"
    published = "published"


class ReportTrigger(StrEnum):
    schedule = "schedule"
    manual = "manual"


class RowSection(StrEnum):
    period = "period"  # a session held in the report's period
    carried_forward = "carried_forward"  # an earlier session with actions still open


#: The board's own column headings, in order.
QUARTERLY_COLUMNS = ("Board", "Community Voice", "Action", "RAG rating", "Comment")
ANNUAL_COLUMNS = ("Board", "Community Voice", "Action", "Outcome and reflection")


def report_id_for(board_id: uuid.UUID, kind: ReportKind, period_key: str) -> uuid.UUID:
    """The one id a board's report for a period can have: a second run finds the first."""
    return uuid.uuid5(REPORT_NAMESPACE, f"{board_id}:{kind.value}:{period_key}")


class ReportRecord(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    board_id: uuid.UUID = Field(foreign_key="board.id", index=True)
    kind: ReportKind = enum_column(ReportKind, index=True)
    period_key: str = Field(max_length=60)
    period_start: date
    period_end: date
    meeting_date: date | None = Field(
        default=None, description="The board or ELG meeting that receives it."
    )
    title: str = Field(max_length=300)
    scheduled_for: datetime = utc_column(nullable=False)
    generated_at: datetime = utc_column(nullable=False)
    late: bool = Field(default=False, description="Produced later than scheduled (caught up).")
    trigger: ReportTrigger = enum_column(ReportTrigger, ReportTrigger.schedule)
    workflow_id: str = Field(max_length=200)
    status: ReportStatus = enum_column(ReportStatus, ReportStatus.draft, index=True)
    approved_at: datetime | None = utc_column()
    approved_by: str | None = None
    published_at: datetime | None = utc_column()
    published_by: str | None = None
    content: dict[str, Any] = json_column()


class Report(ReportRecord, table=True):
    __table_args__ = (
        sa.UniqueConstraint("board_id", "kind", "period_key", name="uq_report_period"),
    )


class ReportRowRecord(SQLModel):
    """One row of a report's table, kept exactly as approved."""

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    report_id: uuid.UUID = Field(foreign_key="report.id", index=True)
    seq: int
    section: RowSection = enum_column(RowSection, RowSection.period)
    case_id: uuid.UUID | None = Field(default=None, foreign_key="case.id", index=True)
    meeting_date: date
    board_month: str = Field(description="Board: the meeting's month and year.")
    community_voice: str = Field(description="The theme and the presenters (public-safe).")
    action: str
    rag: str | None = Field(default=None, description="The row's overall RAG value, if any.")
    rag_text: str = Field(description="The RAG in words (never colour alone).")
    comment: str
    comment_draft: str = Field(default="", description="The comment as the workflow drafted it.")
    comment_edited_by: str | None = None
    comment_edited_at: datetime | None = utc_column()
    partner_text: bool = Field(
        default=False, description="The draft comment quotes text a partner wrote."
    )
    detail: dict[str, Any] = json_column()


class ReportRow(ReportRowRecord, table=True):
    __tablename__ = "report_row"


class ReportSummary(ReportRecord):
    board_slug: str
    board_name: str


class ReportDetail(ReportSummary):
    rows: list[ReportRowRecord] = Field(default_factory=list)


class CommentEdit(CleanText, BaseModel):
    comment: str = PayloadField(min_length=1, max_length=20_000)


class AnnualRequest(CleanText, BaseModel):
    board: str
    period_start: date | None = None
    period_end: date | None = None


class QuarterlyRequest(CleanText, BaseModel):
    board: str
    meeting_date: date = PayloadField(description="The board meeting that receives the report.")
    period_start: date | None = PayloadField(
        default=None,
        description="First day of the period (default: the last meeting that received the "
        "report; with none, the first day of the month three months before).",
    )
    period_end: date | None = PayloadField(
        default=None, description="Last day of the period (default: the day before the meeting)."
    )
    redraft: bool = PayloadField(
        default=False,
        description="Replace this meeting's draft, if there is one, with a new one from today's "
        "records. An approved report is never redrafted.",
    )


class RedraftRequest(CleanText, BaseModel):
    period_start: date | None = PayloadField(
        default=None, description="A new first day (default: the draft's own period)."
    )
    period_end: date | None = PayloadField(
        default=None, description="A new last day (default: the draft's own period)."
    )


class DigestRequest(CleanText, BaseModel):
    board: str
    meeting_date: date = PayloadField(description="The ELG meeting the digest is for.")


# --- Temporal payloads ------------------------------------------------------------------------


class ReportRunInput(BaseModel):
    """What a schedule (or a person) asks a report workflow for.

    A scheduled run gives only board and kind: its moment is the schedule's nominal time
    (``TemporalScheduledStartTime``), from which the period is found. A manual run names the
    meeting (quarterly, digest) or the period (annual).
    """

    board: str
    kind: ReportKind
    late_after_seconds: int = PayloadField(
        default=3600, description="Produced more than this after its moment: shown as late."
    )
    scheduled_for: datetime | None = None
    meeting_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    trigger: ReportTrigger = ReportTrigger.schedule
    requested_by: str = "Community Voice (automatic)"
    redraft: bool = PayloadField(
        default=False, description="Replace the period's draft (never an approved report)."
    )


class DraftReportInput(ReportRunInput):
    scheduled_for: datetime
    started_at: datetime
    workflow_id: str


class DraftReportResult(BaseModel):
    report_id: uuid.UUID | None
    created: bool
    late: bool = False
    period_key: str | None = None
    meeting_date: date | None = None
    update_targets: list[uuid.UUID] = PayloadField(
        default_factory=list, description="Open actions whose owners are asked for an update."
    )
    note: str = ""
    title: str | None = None
    kind: ReportKind | None = None
    status: ReportStatus | None = None
    period_start: date | None = None
    period_end: date | None = None
    period_note: str = PayloadField(default="", description="How the period was chosen.")
    rows: int = PayloadField(default=0, description="Sessions held in the period (one row each).")
    carried_forward: int = PayloadField(
        default=0, description="Earlier sessions with actions still open (quarterly)."
    )
    items: int = PayloadField(default=0, description="Lines of the ELG digest, every section.")
    redrafted: bool = False
    refused: bool = PayloadField(
        default=False, description="Asked to redraft a report that is approved: nothing changed."
    )


class UpdateRequest(BaseModel):
    """Sent to each open action's workflow at the quarterly cut-off: ask the owner for news."""

    key: str
    report_id: uuid.UUID
    meeting_date: date | None
    cutoff_at: datetime


class PublishInput(BaseModel):
    report_id: uuid.UUID
    by: str


class PublishResult(BaseModel):
    report_id: uuid.UUID
    published_at: datetime
    case_ids: list[uuid.UUID] = PayloadField(default_factory=list)
    signalled: int = 0
