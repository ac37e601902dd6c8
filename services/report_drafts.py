"""A draft until it is approved: discard it, or draft it again from today's records.

A quarterly or annual draft can be discarded (its rows go; the audit trail keeps that it was
there) or redrafted (replaced, in one transaction, by a new draft for the same meeting or period,
optionally with another period). An approved or published report keeps its rows for good, and
an ELG digest is sent as it is made: both are refused with a message that says why.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import Session, col, select
from temporalio.client import Client

from activities.report import frozen_note
from activities.report_period import quarterly_period
from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.board import Board, BoardMeeting, MeetingKind
from models.formatting import long_date
from models.report import (
    KIND_LABELS,
    DraftReportResult,
    Report,
    ReportKind,
    ReportRunInput,
    ReportStatus,
    ReportTrigger,
)
from services.errors import Conflict
from services.reports import get_report, run_report


def check_draft(report: Report) -> None:
    """Refuse, saying why, to change a report that is no longer a draft."""
    if report.kind is ReportKind.elg_digest:
        raise Conflict(
            "An ELG digest is sent as it is made: it cannot be discarded or redrafted. Ask for "
            "the next meeting's digest instead."
        )
    if report.status is not ReportStatus.draft:
        raise Conflict(frozen_note(report))


def discard(*, session: Session, report_id: uuid.UUID, by: str) -> Report:
    """Delete a draft and its rows; the audit trail says who discarded it and when."""
    report, rows, _ = get_report(session=session, report_id=report_id)
    check_draft(report)
    for row in rows:
        session.delete(row)
    session.flush()  # the rows first: they refer to the report
    session.delete(report)
    now = utcnow()
    session.add(
        AuditEvent(
            at=now,
            actor_kind=ActorKind.staff,
            actor_name=by,
            verb="report.discarded",
            summary=f"{KIND_LABELS[report.kind]} draft discarded: {report.title} "
            f"({long_date(report.period_start)} to {long_date(report.period_end)}, "
            f"{len(rows)} row(s))",
            detail={"report_id": str(report.id), "period_key": report.period_key},
        )
    )
    session.commit()
    return report


def redraft_request(
    *,
    session: Session,
    report_id: uuid.UUID,
    by: str,
    period_start: date | None = None,
    period_end: date | None = None,
) -> ReportRunInput:
    """The run that replaces a draft: same board, kind and meeting, its own period unless a new
    one is given. Refused (``Conflict``) for an approved report or a digest."""
    report, _, board = get_report(session=session, report_id=report_id)
    check_draft(report)
    if period_start is None and period_end is None and report.content.get("period_asked"):
        period_start, period_end = report.period_start, report.period_end
    if report.kind is ReportKind.annual:  # its period is what it is: keep it, or give both
        period_start = period_start or report.period_start
        period_end = period_end or report.period_end
    return ReportRunInput(
        board=board.slug,
        kind=report.kind,
        meeting_date=report.meeting_date,
        period_start=period_start,
        period_end=period_end,
        trigger=ReportTrigger.manual,
        requested_by=by,
        redraft=True,
    )


async def redraft(
    client: Client,
    *,
    session: Session,
    report_id: uuid.UUID,
    by: str,
    task_queue: str,
    period_start: date | None = None,
    period_end: date | None = None,
) -> DraftReportResult:
    """Draft again from today's records. An annual report asked for another period is a new
    report for that period: the old draft is discarded once the new one is made."""
    run = redraft_request(
        session=session,
        report_id=report_id,
        by=by,
        period_start=period_start,
        period_end=period_end,
    )
    result = await run_report(client, run, task_queue=task_queue)
    if result.created and result.report_id not in (None, report_id):
        session.expire_all()
        discard(session=session, report_id=report_id, by=by)
        result = result.model_copy(update={"redrafted": True})
    return result


def describe(result: DraftReportResult) -> list[str]:
    """What a run did, the period it used (and why) and how big the report is: what the CLI
    prints and the page shows."""
    if result.refused:
        return [f"Refused: {result.note}"]
    made = "Already there" if not result.created else "Drafted"
    if result.redrafted:
        made = "Redrafted"
    elif result.created and result.kind is ReportKind.elg_digest:
        made = "Made and emailed"
    lines = [f"{made}: {result.title or 'report'} (report {result.report_id})."]
    if result.note and not result.created:
        lines.append(result.note)
    if result.period_note:
        lines.append(result.period_note)
    elif result.period_start and result.period_end:
        lines.append(f"Period: {long_date(result.period_start)} to {long_date(result.period_end)}.")
    if result.kind is ReportKind.elg_digest:
        lines.append(f"Items: {result.items} (the email has the headline figures and a link).")
    else:
        lines.append(
            f"Rows: {result.rows} session(s) in the period"
            + (
                f", {result.carried_forward} earlier session(s) with actions still open."
                if result.carried_forward
                else "."
            )
        )
    if result.created and result.update_targets:
        lines.append(f"Owners of {len(result.update_targets)} open action(s) asked for an update.")
    return lines


def quarterly_choices(session: Session) -> list[tuple[str, str]]:
    """Every meeting that receives the quarterly report, as ``(value, label)`` for a form:
    ``slug:YYYY-MM-DD`` and the meeting with the period its report covers by default."""
    out = []
    boards = {b.id: b for b in session.exec(select(Board)).all()}
    meetings = session.exec(
        select(BoardMeeting)
        .where(BoardMeeting.kind == MeetingKind.board, col(BoardMeeting.receives_quarterly_report))
        .order_by(col(BoardMeeting.board_id), col(BoardMeeting.date))
    ).all()
    earlier: dict[uuid.UUID, list[date]] = {}
    for m in meetings:
        board = boards[m.board_id]
        start, end, _ = quarterly_period(m.date, earlier.get(m.board_id, []), None, None)
        earlier.setdefault(m.board_id, []).append(m.date)
        out.append(
            (
                f"{board.slug}:{m.date.isoformat()}",
                f"{board.name}, {long_date(m.date)} (covers {long_date(start)} to "
                f"{long_date(end)})",
            )
        )
    return out
