"""Drafting a report for its period: its rows, figures or digest sections frozen into it, the
emails it sends (the draft to the Community Voice Lead; the digest to both leads), and its
audit event. Reads SQL; writes nothing (``ReportActivities.draft_report`` does, at once).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from activities.report_cases import cases_between, cases_with_open_actions_before
from activities.report_digest import digest_sections
from activities.report_figures import annual_figures, end_of
from activities.report_rows import build_rows, load_sessions
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
from notifications.types import (
    ElgDigest,
    ElgDigestFigure,
    ElgDigestItem,
    Facts,
    MessageType,
    ReportDraftReady,
)

#: The most lines of each section the digest email carries (the page has every line).
EMAIL_LINES = {"owners_not_responding": 10, "got_worse": 5, "by_partner": 6}
#: How the email counts what the page has in full.
ON_THE_PAGE = {
    "by_partner": "partners",
    "owners_not_responding": "owners not responding",
    "rag_changes": "changes of rating",
    "escalations_opened": "escalations opened",
    "escalations_resolved": "escalations resolved",
    "due_next_month": "actions due in the next month",
    "new_sessions": "new sessions",
}


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
        "period_note": plan.get("note", ""),
        "period_asked": input.period_start is not None or input.period_end is not None,
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
        content.update(digest_sections(session, board.id, after=plan["after"], until=plan["until"]))
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
    report: Report,
    role: RecipientRole,
    name: str,
    email: str,
    kind: MessageType,
    facts: Facts,
    reply_to: str | None = None,
) -> OutboxMessage:
    # One message a draft: a redraft (a new generation moment) sends its own.
    return OutboxMessage(
        id=uuid.uuid5(
            report.id, f"message:{kind.value}:{role.value}:{report.generated_at.isoformat()}"
        ),
        kind=kind.value,
        recipient_role=role,
        recipient_name=name,
        recipient_email=email,
        reply_to=reply_to,
        facts=facts.model_dump(mode="json"),
        created_at=report.generated_at,
        status=OutboxStatus.pending,
    )


def email_sections(sections: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """What the digest email lists: the most pressing sections (worst first)."""
    worse = [c for c in sections.get("rag_changes", []) if c.get("worse")]
    worse.sort(key=lambda c: {"red": 0, "amber": 1}.get(c.get("to_rag", ""), 2))
    return {
        "owners_not_responding": sections.get("owners_not_responding", []),
        "got_worse": worse,
        "by_partner": sections.get("by_partner", []),
    }


def digest_facts(board: Board, report: Report) -> ElgDigest:
    assert report.meeting_date is not None
    full = email_sections(report.content["sections"])
    return ElgDigest(
        report_id=report.id,
        board_name=board.name,
        meeting_date=report.meeting_date,
        period_start=report.period_start,
        period_end=report.period_end,
        late=report.late,
        headline=[ElgDigestFigure(label=k, value=v) for k, v in report.content["headline"]],
        sections={
            key: [ElgDigestItem(text=i["text"]) for i in items[: EMAIL_LINES[key]]]
            for key, items in full.items()
        },
        more={key: max(0, len(items) - EMAIL_LINES[key]) for key, items in full.items()},
        on_the_page=[
            ElgDigestFigure(label=ON_THE_PAGE[key], value=str(len(items)))
            for key, items in report.content["sections"].items()
            if items and key in ON_THE_PAGE
        ],
        reply_to_name=board.engagement_lead_name,
    )


def messages(board: Board, report: Report, rows: int) -> list[OutboxMessage]:
    if report.kind is ReportKind.elg_digest:
        facts = digest_facts(board, report)
        return [
            _message(
                report,
                RecipientRole.engagement_lead,
                board.engagement_lead_name,
                board.engagement_lead_email,
                MessageType.elg_digest,
                facts.model_copy(update={"for_reply_to": True}),
                reply_to=board.engagement_lead_email,
            ),
            _message(
                report,
                RecipientRole.cv_lead,
                board.cv_lead_name,
                board.cv_lead_email,
                MessageType.elg_digest,
                facts,
                reply_to=board.engagement_lead_email,
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


def drafted_event(report: Report, input: DraftReportInput, *, redraft: bool) -> AuditEvent:
    late = " (late: caught up after a missed run)" if report.late else ""
    verb = "redrafted" if redraft else "drafted"
    return AuditEvent(
        id=uuid.uuid5(report.id, f"audit:{verb}:{report.generated_at.isoformat()}"),
        at=report.generated_at,
        actor_kind=ActorKind.system if input.trigger is ReportTrigger.schedule else ActorKind.staff,
        actor_name=input.requested_by,
        verb=f"report.{verb}",
        summary=f"{KIND_LABELS[report.kind]} {verb}: {report.title}{late}",
        detail={
            "report_id": str(report.id),
            "period_key": report.period_key,
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
        },
    )
