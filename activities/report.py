"""Report activities: draft a report for its period (at most once), publish a report.

Drafting reads SQL, freezes the rows, figures or digest sections into the report, and queues
its emails in the outbox, all in one transaction. The report's id comes from board, kind and
period, so a second run for the same period (a retry, a caught-up schedule run, a person asking
again) finds the first and writes nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.database import activity_session
from activities.report_figures import DIGEST_HEADINGS, annual_figures, digest_sections, end_of
from activities.report_rows import (
    build_rows,
    cases_between,
    cases_with_open_actions_before,
    load_sessions,
)
from models.action import OWNED, Action
from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.board import Board, BoardMeeting, MeetingKind
from models.case import Case
from models.db import SessionFactory
from models.formatting import long_date, month_year
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.policy import LONDON
from models.report import (
    KIND_LABELS,
    DraftReportInput,
    DraftReportResult,
    PublishInput,
    PublishResult,
    Report,
    ReportKind,
    ReportRow,
    ReportStatus,
    ReportTrigger,
    RowSection,
    report_id_for,
)
from models.report_timing import (
    annual_period,
    digest_moment,
    months_before,
    quarterly_moment,
)
from notifications.types import ElgDigest, ElgDigestItem, Facts, MessageType, ReportDraftReady

#: A scheduled moment matches a meeting's moment within this much (clock skew, rounding).
MATCH_TOLERANCE = timedelta(seconds=60)


class NothingToDo(Exception):
    """No meeting or period answers this run (the calendar changed): nothing is drafted."""


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
                plan = _plan(session, board, input)
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
            report, rows, messages, targets = _draft(session, board, input, plan)
            session.add(report)
            session.flush()
            for row in rows:
                session.add(row)
            for message in messages:
                session.add(message)
            session.add(_audit(report, input))
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


# --- which period ----------------------------------------------------------------------------


def _meetings(session: Session, board: Board, kind: ReportKind) -> list[BoardMeeting]:
    query = select(BoardMeeting).where(BoardMeeting.board_id == board.id)
    if kind is ReportKind.quarterly:
        query = query.where(
            BoardMeeting.kind == MeetingKind.board, col(BoardMeeting.receives_quarterly_report)
        )
    else:
        query = query.where(BoardMeeting.kind == MeetingKind.elg)
    return list(session.exec(query.order_by(col(BoardMeeting.date))).all())


def _find_meeting(
    meetings: list[BoardMeeting], input: DraftReportInput, moment_of: Any, what: str
) -> date:
    if input.meeting_date is not None:
        return input.meeting_date
    for m in meetings:
        if abs(moment_of(m.date) - input.scheduled_for) <= MATCH_TOLERANCE:
            return m.date
    raise NothingToDo(
        f"No {what} is due at {input.scheduled_for.isoformat()}: the meeting calendar may have "
        "changed since the schedule was set."
    )


def _plan(session: Session, board: Board, input: DraftReportInput) -> dict[str, Any]:
    policy = board.policy
    kind = input.kind
    plan: dict[str, Any] = {"meeting": None}
    if kind is ReportKind.quarterly:
        meetings = _meetings(session, board, kind)
        meeting = _find_meeting(
            meetings, input, lambda d: quarterly_moment(policy, d), "quarterly report"
        )
        earlier = [m.date for m in meetings if m.date < meeting]
        plan.update(
            meeting=meeting,
            start=earlier[-1] if earlier else months_before(meeting, 3),
            end=meeting - timedelta(days=1),
            key=meeting.isoformat(),
            moment=quarterly_moment(policy, meeting),
            title=f"You Said, We Did: report to the {board.name} on {long_date(meeting)}",
        )
    elif kind is ReportKind.elg_digest:
        meetings = _meetings(session, board, kind)
        meeting = _find_meeting(meetings, input, lambda d: digest_moment(policy, d), "ELG digest")
        moment = digest_moment(policy, meeting)
        earlier = [m.date for m in meetings if m.date < meeting]
        after = (
            digest_moment(policy, earlier[-1])
            if earlier
            else datetime.combine(
                months_before(moment.astimezone(LONDON).date(), 1), moment.timetz()
            )
        )
        plan.update(
            meeting=meeting,
            after=after,
            until=moment,
            start=after.astimezone(LONDON).date(),
            end=moment.astimezone(LONDON).date(),
            key=meeting.isoformat(),
            moment=moment,
            title=f"Engagement Leads Group digest for the meeting on {long_date(meeting)}",
        )
    else:
        if input.period_start and input.period_end:
            start, end = input.period_start, input.period_end
        else:
            start, end = annual_period(policy, input.scheduled_for.astimezone(LONDON).year)
        if end < start:
            raise ApplicationError(
                "The period ends before it starts.", type="BadPeriod", non_retryable=True
            )
        plan.update(
            start=start,
            end=end,
            key=f"{start.isoformat()}..{end.isoformat()}",
            moment=input.scheduled_for,
            title=f"Annual report: You Said, We Did, {month_year(start)} to {month_year(end)}",
        )
    plan["id"] = report_id_for(board.id, kind, plan["key"])
    return plan


# --- drafting ---------------------------------------------------------------------------------


def _draft(
    session: Session, board: Board, input: DraftReportInput, plan: dict[str, Any]
) -> tuple[Report, list[ReportRow], list[OutboxMessage], list[uuid.UUID]]:
    report_id: uuid.UUID = plan["id"]
    now = input.started_at
    late = input.trigger is ReportTrigger.schedule and (
        now - input.scheduled_for > timedelta(seconds=input.late_after_seconds)
    )
    content: dict[str, Any] = {
        "moment": plan["moment"].isoformat(),
        "columns": [],
    }
    rows = []
    targets: list[uuid.UUID] = []
    kind = input.kind
    if kind is ReportKind.quarterly:
        period = load_sessions(
            session, cases_between(session, board.id, plan["start"], plan["end"])
        )
        earlier = load_sessions(
            session, cases_with_open_actions_before(session, board.id, plan["start"])
        )
        rows = build_rows(report_id, period)
        rows += build_rows(
            report_id, earlier, section=RowSection.carried_forward, start_seq=len(rows) + 1
        )
        targets = list(
            session.exec(
                select(Action.id)
                .join(Case, col(Case.id) == Action.case_id)
                .where(
                    Case.board_id == board.id,
                    col(Action.closed_at).is_(None),
                    col(Action.status).in_(OWNED),
                )
                .order_by(col(Case.meeting_date), col(Action.seq))
            ).all()
        )
        content["update_requests"] = len(targets)
    elif kind is ReportKind.annual:
        period = load_sessions(
            session, cases_between(session, board.id, plan["start"], plan["end"])
        )
        rows = build_rows(report_id, period, annual=True)
        as_of = min(end_of(plan["end"]), now)
        content["figures"] = annual_figures(
            session, period, start=plan["start"], end=plan["end"], as_of=as_of
        )
    else:
        content["after"] = plan["after"].isoformat()
        content["until"] = plan["until"].isoformat()
        content["sections"] = digest_sections(
            session, board.id, after=plan["after"], until=plan["until"]
        )
    report = Report(
        id=report_id,
        board_id=board.id,
        kind=kind,
        period_key=plan["key"],
        period_start=plan["start"],
        period_end=plan["end"],
        meeting_date=plan["meeting"],
        title=plan["title"],
        scheduled_for=input.scheduled_for,
        generated_at=now,
        late=late,
        trigger=input.trigger,
        workflow_id=input.workflow_id,
        content=content,
    )
    table_rows = [ReportRow.model_validate(r.model_dump()) for r in rows]
    return report, table_rows, _messages(board, report, len(rows)), targets


def _message(
    report: Report, role: RecipientRole, name: str, email: str, kind: MessageType, facts: Facts
) -> OutboxMessage:
    return OutboxMessage(
        id=uuid.uuid5(report.id, f"message:{kind.value}:{role.value}"),
        kind=kind.value,
        recipient_role=role,
        recipient_name=name,
        recipient_email=email,
        facts=facts.model_dump(mode="json"),
        created_at=report.generated_at,
        status=OutboxStatus.pending,
    )


def _messages(board: Board, report: Report, rows: int) -> list[OutboxMessage]:
    if report.kind is ReportKind.elg_digest:
        assert report.meeting_date is not None
        facts = ElgDigest(
            report_id=report.id,
            board_name=board.name,
            meeting_date=report.meeting_date,
            period_start=report.period_start,
            period_end=report.period_end,
            late=report.late,
            sections={
                key: [ElgDigestItem(text=item["text"]) for item in report.content["sections"][key]]
                for key in DIGEST_HEADINGS
            },
        )
        return [
            _message(
                report,
                RecipientRole.engagement_lead,
                board.engagement_lead_name,
                board.engagement_lead_email,
                MessageType.elg_digest,
                facts,
            ),
            _message(
                report,
                RecipientRole.cv_lead,
                board.cv_lead_name,
                board.cv_lead_email,
                MessageType.elg_digest,
                facts,
            ),
        ]
    ready = ReportDraftReady(
        report_id=report.id,
        board_name=board.name,
        kind=report.kind.value,
        title=report.title,
        rows=rows,
        late=report.late,
    )
    return [
        _message(
            report,
            RecipientRole.cv_lead,
            board.cv_lead_name,
            board.cv_lead_email,
            MessageType.report_draft_ready,
            ready,
        )
    ]


def _audit(report: Report, input: DraftReportInput) -> AuditEvent:
    late = " (late: caught up after a missed run)" if report.late else ""
    return AuditEvent(
        id=uuid.uuid5(report.id, "audit:drafted"),
        at=report.generated_at,
        actor_kind=ActorKind.system if input.trigger is ReportTrigger.schedule else ActorKind.staff,
        actor_name=input.requested_by,
        verb="report.drafted",
        summary=f"{KIND_LABELS[report.kind]} drafted: {report.title}{late}",
        detail={"report_id": str(report.id), "period_key": report.period_key},
    )
