"""Report activities: draft a report for its period (at most once), publish a report.

Drafting reads SQL, freezes the rows, figures or digest sections into the report, and queues
its emails in the outbox, all in one transaction. The report's id comes from board, kind and
period, so a second run for the same period (a retry, a caught-up schedule run, a person asking
again) finds the first and writes nothing. A run asked to *redraft* replaces a draft (its rows
and period) in that same transaction; an approved report is never replaced.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.database import activity_session
from activities.report_draft import build_draft, drafted_event
from activities.report_period import NothingToDo, plan_period
from models.base import utcnow
from models.board import Board
from models.db import SessionFactory
from models.formatting import date_and_time, long_date
from models.report import (
    DraftReportInput,
    DraftReportResult,
    PublishInput,
    PublishResult,
    Report,
    ReportKind,
    ReportRow,
    ReportStatus,
    RowSection,
)


def outcome(
    report: Report, rows: list[ReportRow], *, created: bool, note: str = ""
) -> DraftReportResult:
    """What a run answers: the report, its period (and how it was chosen) and its size."""
    sections = report.content.get("sections", {})
    return DraftReportResult(
        report_id=report.id,
        created=created,
        late=report.late,
        period_key=report.period_key,
        meeting_date=report.meeting_date,
        note=note,
        title=report.title,
        kind=report.kind,
        status=report.status,
        period_start=report.period_start,
        period_end=report.period_end,
        period_note=report.content.get("period_note", ""),
        rows=sum(1 for r in rows if r.section is RowSection.period),
        carried_forward=sum(1 for r in rows if r.section is RowSection.carried_forward),
        items=sum(len(items) for items in sections.values()),
    )


def frozen_note(report: Report) -> str:
    when = report.approved_at or report.published_at
    return (
        f"This report was approved{f' on {date_and_time(when)}' if when else ''}"
        f"{f' by {report.approved_by}' if report.approved_by else ''}: its rows are kept "
        "exactly as approved, so it cannot be redrafted or discarded."
    )


class ReportActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="draft_report")
    def draft_report(self, input: DraftReportInput) -> DraftReportResult:
        with activity_session(self.sessions) as session:
            board = session.exec(select(Board).where(Board.slug == input.board)).first()
            if board is None:
                raise ApplicationError(
                    f"There is no board '{input.board}'.", type="NoBoard", non_retryable=True
                )
            try:
                plan = plan_period(session, board, input)
            except NothingToDo as nothing:
                return DraftReportResult(report_id=None, created=False, note=str(nothing))
            except (ValueError, OverflowError) as error:  # a date at the end of the calendar
                raise ApplicationError(
                    f"meeting_date: {input.meeting_date or input.period_start} is too near the "
                    "start or end of the calendar to have a period; give a real meeting date",
                    type="BadPeriod",
                    non_retryable=True,
                ) from error
            existing = session.get(Report, plan["id"])
            redraft = existing is not None and input.redraft
            if existing is not None:
                old_rows = self._rows(session, existing)
                if not input.redraft:
                    return outcome(existing, old_rows, created=False, note=_exists(existing))
                if existing.status is not ReportStatus.draft:
                    result = outcome(existing, old_rows, created=False, note=frozen_note(existing))
                    return result.model_copy(update={"refused": True})
                if existing.kind is ReportKind.elg_digest:
                    result = outcome(
                        existing,
                        old_rows,
                        created=False,
                        note="An ELG digest is sent as it is made: it is not redrafted.",
                    )
                    return result.model_copy(update={"refused": True})
                for row in old_rows:
                    session.delete(row)
                session.flush()  # the rows first: they refer to the report
                session.delete(existing)
                session.flush()
            report, rows, messages, targets = build_draft(session, board, input, plan)
            session.add(report)
            session.flush()
            for row in rows:
                session.add(row)
            for message in messages:
                session.add(message)
            session.add(drafted_event(report, input, redraft=redraft))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return DraftReportResult(
                    report_id=plan["id"], created=False, period_key=plan["key"]
                )
            result = outcome(report, rows, created=True, note=_made(report, redraft))
            return result.model_copy(update={"update_targets": targets, "redrafted": redraft})

    @staticmethod
    def _rows(session: Session, report: Report) -> list[ReportRow]:
        return list(
            session.exec(
                select(ReportRow)
                .where(ReportRow.report_id == report.id)
                .order_by(col(ReportRow.seq))
            ).all()
        )

    @activity.defn(name="publish_report")
    def publish_report(self, input: PublishInput) -> PublishResult:
        with activity_session(self.sessions) as session:
            report = session.get(Report, input.report_id)
            if report is None:
                raise ApplicationError(
                    f"No report {input.report_id}.", type="NoReport", non_retryable=True
                )
            if report.status is ReportStatus.draft:
                raise ApplicationError(
                    "Approve the report before publishing it.",
                    type="NotApproved",
                    non_retryable=True,
                )
            if report.status is ReportStatus.approved:
                report.status = ReportStatus.published
                report.published_at = utcnow()
                report.published_by = input.by
                session.add(report)
                session.commit()
            case_ids = [
                cid
                for cid in session.exec(
                    select(ReportRow.case_id)
                    .where(ReportRow.report_id == report.id)
                    .order_by(col(ReportRow.seq))
                ).all()
                if cid is not None
            ]
            if report.kind is not ReportKind.annual:
                case_ids = []  # only the annual report closes the loop on its cases
            assert report.published_at is not None
            return PublishResult(
                report_id=report.id, published_at=report.published_at, case_ids=case_ids
            )


def _exists(report: Report) -> str:
    made = f"made {date_and_time(report.generated_at)}"
    if report.status is ReportStatus.draft and report.kind is not ReportKind.elg_digest:
        return (
            f"A draft for this period exists already ({made}): nothing was changed. To draft it "
            "again from today's records, redraft it (or discard it)."
        )
    if report.kind is ReportKind.elg_digest:
        return f"The digest for this meeting exists already ({made}): nothing was changed."
    return f"A report for this period exists already ({made}, {report.status.value}): " + (
        "nothing was changed."
    )


def _made(report: Report, redraft: bool) -> str:
    verb = "Redrafted" if redraft else "Drafted"
    if report.kind is ReportKind.elg_digest:
        verb = "Made"
    return (
        f"{verb}: {report.title}, {long_date(report.period_start)} to "
        f"{long_date(report.period_end)}."
    )
