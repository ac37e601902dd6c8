"""Report activities: draft a report for its period (at most once), publish a report.

Drafting reads SQL, freezes the rows, figures or digest sections into the report, and queues
its emails in the outbox, all in one transaction. The report's id comes from board, kind and
period, so a second run for the same period (a retry, a caught-up schedule run, a person asking
again) finds the first and writes nothing.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.database import activity_session
from activities.report_draft import build_draft, drafted_event
from activities.report_period import NothingToDo, plan_period
from models.base import utcnow
from models.board import Board
from models.db import SessionFactory
from models.report import (
    DraftReportInput,
    DraftReportResult,
    PublishInput,
    PublishResult,
    Report,
    ReportKind,
    ReportRow,
    ReportStatus,
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
            existing = session.get(Report, plan["id"])
            if existing is not None:
                return DraftReportResult(
                    report_id=existing.id,
                    created=False,
                    late=existing.late,
                    period_key=existing.period_key,
                    meeting_date=existing.meeting_date,
                    note="A report for this period exists already: nothing was changed.",
                )
            report, rows, messages, targets = build_draft(session, board, input, plan)
            session.add(report)
            session.flush()
            for row in rows:
                session.add(row)
            for message in messages:
                session.add(message)
            session.add(drafted_event(report, input))
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                return DraftReportResult(
                    report_id=plan["id"], created=False, period_key=plan["key"]
                )
            return DraftReportResult(
                report_id=report.id,
                created=True,
                late=report.late,
                period_key=report.period_key,
                meeting_date=report.meeting_date,
                update_targets=targets,
                note=f"{report.title}: {len(rows)} row(s).",
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
