"""Drafting a report for its period: its rows, figures or digest sections frozen into it, the
emails it sends (the draft to the Community Voice Lead; the digest to both leads), and its
audit event. Reads SQL; writes nothing (``ReportActivities.draft_report`` does, at once).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from activities.report_digest import DIGEST_HEADINGS, digest_sections
from activities.report_figures import annual_figures, end_of
from activities.report_rows import (
    build_rows,
    cases_between,
    cases_with_open_actions_before,
    load_sessions,
)
from models.action import OWNED, Action
from models.audit import ActorKind, AuditEvent
from models.board import Board
from models.case import Case
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.report import (
    KIND_LABELS,
    DraftReportInput,
    Report,
    ReportKind,
    ReportRow,
    ReportTrigger,
    RowSection,
)
from notifications.types import ElgDigest, ElgDigestItem, Facts, MessageType, ReportDraftReady


def build_draft(
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
    return report, table_rows, messages(board, report, len(rows)), targets


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


def messages(board: Board, report: Report, rows: int) -> list[OutboxMessage]:
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


def drafted_event(report: Report, input: DraftReportInput) -> AuditEvent:
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
