"""Reports for the API, pages and CLI: read, review, approve, publish, and ask for a run.

A draft's comments can be edited; approval freezes every row (an approved report is never
changed again). Drafting and publishing the annual report run as workflows, so they happen
once, durably, and the annual report can tell its cases.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlmodel import Session, col, select
from temporalio.client import Client, WorkflowFailureError
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy

from models.base import utcnow
from models.board import Board
from models.formatting import date_and_time
from models.outbox import OutboxMessage, OutboxStatus
from models.report import (
    DraftReportResult,
    PublishInput,
    PublishResult,
    Report,
    ReportDetail,
    ReportKind,
    ReportRow,
    ReportRunInput,
    ReportStatus,
    ReportSummary,
)
from models.text import forbidden_character, problem
from services import names_check, public_rows
from services.errors import Conflict, FieldError, InvalidInput, NotFound
from services.report_view import ReportView, build_view

#: What the public may see: YSWD once approved, the annual section once published, never a
#: digest (it names owners who are not responding: for the ELG only).
PUBLIC = {
    ReportKind.quarterly: (ReportStatus.approved, ReportStatus.published),
    ReportKind.annual: (ReportStatus.published,),
}
RUN_TIMEOUT = timedelta(seconds=60)


def _summary(report: Report, board: Board) -> ReportSummary:
    return ReportSummary.model_validate(
        {**report.model_dump(), "board_slug": board.slug, "board_name": board.name}
    )


def list_reports(
    *,
    session: Session,
    board: str | None = None,
    kind: ReportKind | None = None,
    status: ReportStatus | None = None,
) -> list[ReportSummary]:
    query = select(Report, Board).join(Board, col(Board.id) == Report.board_id)
    if board:
        query = query.where(Board.slug == board)
    if kind:
        query = query.where(Report.kind == kind)
    if status:
        query = query.where(Report.status == status)
    query = query.order_by(col(Report.scheduled_for).desc())
    return [_summary(r, b) for r, b in session.exec(query).all()]


def public_reports(*, session: Session, board: Board) -> list[ReportSummary]:
    out = []
    for report in session.exec(
        select(Report)
        .where(Report.board_id == board.id)
        .order_by(col(Report.period_end).desc(), col(Report.kind))
    ).all():
        if report.status in PUBLIC.get(report.kind, ()):
            out.append(_summary(report, board))
    return out


def is_public(report: Report) -> bool:
    return report.status in PUBLIC.get(report.kind, ())


def get_report(*, session: Session, report_id: uuid.UUID) -> tuple[Report, list[ReportRow], Board]:
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"No report with id {report_id}.")
    board = session.get(Board, report.board_id)
    assert board is not None
    rows = list(
        session.exec(
            select(ReportRow).where(ReportRow.report_id == report_id).order_by(col(ReportRow.seq))
        ).all()
    )
    return report, rows, board


def detail(*, session: Session, report_id: uuid.UUID) -> ReportDetail:
    report, rows, board = get_report(session=session, report_id=report_id)
    return ReportDetail.model_validate(
        {**_summary(report, board).model_dump(), "rows": [r.model_dump() for r in rows]}
    )


def view(*, session: Session, report_id: uuid.UUID) -> ReportView:
    report, rows, board = get_report(session=session, report_id=report_id)
    return build_view(
        report, list(rows), board.name, delivery=digest_delivery(session, report), board=board
    )


def digest_delivery(session: Session, report: Report) -> str | None:
    """Whether a digest's emails went out, to whom and when (a digest has no approval)."""
    if report.kind is not ReportKind.elg_digest:
        return None
    mail = [
        m
        for m in session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == "elg_digest", OutboxMessage.created_at == report.generated_at
            )
        ).all()
        if m.facts.get("report_id") == str(report.id)
    ]
    if not mail:
        return None
    parts = []
    for m in sorted(mail, key=lambda m: m.recipient_name):
        if m.status is OutboxStatus.sent:
            parts.append(f"sent to {m.recipient_name} {date_and_time(m.sent_at)}")
        elif m.status in (OutboxStatus.pending, OutboxStatus.sending):
            parts.append(f"waiting to be sent to {m.recipient_name}")
        elif m.status is OutboxStatus.unconfirmed:
            parts.append(f"handed to the mail server for {m.recipient_name}, not confirmed")
        else:
            parts.append(f"not delivered to {m.recipient_name} ({m.status.value})")
    return "Emailed as it was made (a digest has no approval step): " + "; ".join(parts)


def public_view(*, session: Session, report_id: uuid.UUID) -> ReportView:
    """The report as the public sees it: its approved rows with the names check's decisions
    applied, and consent checked again now (``public_rows.public_rows``)."""
    report, rows, board = get_report(session=session, report_id=report_id)
    shown = public_rows.public_rows(session=session, report=report, rows=rows)
    return build_view(report, shown, board.name, board=board)


def edit_comment(
    *, session: Session, report_id: uuid.UUID, row_id: uuid.UUID, comment: str, by: str
) -> ReportRow:
    report, _, _ = get_report(session=session, report_id=report_id)
    if report.status is not ReportStatus.draft:
        raise Conflict(
            f"This report was {report.status.value} on "
            f"{(report.approved_at or report.published_at or utcnow()).date().isoformat()}: "
            "an approved report keeps the exact rows it had and cannot be edited."
        )
    row = session.get(ReportRow, row_id)
    if row is None or row.report_id != report_id:
        raise NotFound(f"No row {row_id} in report {report_id}.")
    text = comment.strip()
    if not text:
        raise InvalidInput(FieldError("comment", "write the comment, or keep the draft's"))
    if found := forbidden_character(text):
        raise InvalidInput(FieldError("comment", problem(found)))
    row.comment = text
    row.comment_edited_by = by
    row.comment_edited_at = utcnow()
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


def approve(*, session: Session, report_id: uuid.UUID, by: str) -> Report:
    report, _, _ = get_report(session=session, report_id=report_id)
    if report.kind is ReportKind.elg_digest:
        raise Conflict("An ELG digest is sent as it is made: it has no approval step.")
    if report.status is not ReportStatus.draft:
        raise Conflict(f"This report is {report.status.value} already.")
    names_check.before_approval(session=session, report=report, by=by)
    report.status = ReportStatus.approved
    report.approved_at = utcnow()
    report.approved_by = by
    session.add(report)
    session.commit()
    session.refresh(report)
    return report


def check_publishable(report: Report) -> None:
    if report.status is ReportStatus.draft:
        raise Conflict("Approve the report before publishing it.")


def publish_now(*, session: Session, report_id: uuid.UUID, by: str) -> Report:
    """Publish a quarterly report (the annual one is published by its workflow)."""
    report, _, _ = get_report(session=session, report_id=report_id)
    check_publishable(report)
    if report.status is ReportStatus.approved:
        report.status = ReportStatus.published
        report.published_at = utcnow()
        report.published_by = by
        session.add(report)
        session.commit()
        session.refresh(report)
    return report


def run_workflow_id(request: ReportRunInput) -> str:
    period = (
        request.meeting_date.isoformat()
        if request.meeting_date
        else f"{request.period_start}..{request.period_end}"
    )
    name = f"report-{request.board}-{request.kind.value.replace('_', '-')}-on-request-{period}"
    # A redraft is its own run (each replaces the draft once); a plain request joins a run
    # already going for the period.
    return f"{name}-redraft-{uuid.uuid4().hex[:12]}" if request.redraft else name


#: Failures a report run reports as bad input (the field comes first in the message).
BAD_INPUT = {"BadPeriod": "period_start", "NoBoard": "board"}


async def run_report(
    client: Client, request: ReportRunInput, *, task_queue: str
) -> DraftReportResult:
    """Draft a report now through its workflow (at most once per period) and wait for it.

    A period that cannot be, or a board that does not exist, is ``InvalidInput`` naming the
    field; a redraft of an approved report is answered with ``refused``."""
    try:
        result: DraftReportResult = await client.execute_workflow(
            "ReportWorkflow",
            request,
            id=run_workflow_id(request),
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            result_type=DraftReportResult,
            execution_timeout=RUN_TIMEOUT,
        )
    except WorkflowFailureError as failure:
        cause: BaseException | None = failure
        while cause is not None and getattr(cause, "type", None) not in BAD_INPUT:
            cause = cause.__cause__
        if cause is None:
            raise
        kind = str(getattr(cause, "type", ""))
        message = getattr(cause, "message", str(cause))
        field, sep, rest = message.partition(": ")
        if not sep or " " in field:
            field, rest = BAD_INPUT[kind], message
        raise InvalidInput(FieldError(field, rest)) from failure
    return result


async def publish_annual(
    client: Client, report_id: uuid.UUID, by: str, *, task_queue: str
) -> PublishResult:
    try:
        result: PublishResult = await client.execute_workflow(
            "PublishReportWorkflow",
            PublishInput(report_id=report_id, by=by),
            id=f"publish-report-{report_id}",
            task_queue=task_queue,
            id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE,
            result_type=PublishResult,
            execution_timeout=RUN_TIMEOUT,
        )
    except WorkflowFailureError as failure:
        cause: BaseException = failure
        while cause.__cause__ is not None:
            cause = cause.__cause__
        raise Conflict(getattr(cause, "message", str(cause))) from failure
    return result


def rows_of(*, session: Session, report_id: uuid.UUID) -> Sequence[ReportRow]:
    return session.exec(
        select(ReportRow).where(ReportRow.report_id == report_id).order_by(col(ReportRow.seq))
    ).all()
