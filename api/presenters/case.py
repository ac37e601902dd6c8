"""The case page as people read it: the session, presenters, actions with RAG, what happens
next, and the timeline (``case_timeline``), and its escalations (``escalation``). Pages pass
these views, never ORM rows, to templates."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from api.pages.command_forms import (
    ACTION_COMMANDS,
    CASE_COMMANDS,
    CommandSpec,
    action_allows,
    available,
    case_allows,
)
from api.presenters.case_timeline import event_view, timer_view
from api.presenters.escalation import escalation_view
from api.presenters.links import Link, mailto
from api.presenters.rag import rag_tag
from api.presenters.time import ago
from models.action import STATUS_LABELS, ActionRecord
from models.audit import AuditEvent
from models.case import OUTCOME_LABELS, CaseDetail, CaseStatus
from models.consent import ANSWER_LABELS, ROUTE_LABELS, ConsentAnswer, PresenterConsent
from models.formatting import date_and_time, long_date, session_date
from models.inbox import CommandStatus, InboxCommand
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.presenter import PresenterRecord
from models.rag import RagSource
from models.staff import Permission, StaffUser
from models.timer import PendingTimer

#: Who set the rating shown, when it is not simply derived from the facts (the usual case).
RAG_SOURCES = {
    RagSource.owner: "the owner's rating",
    RagSource.override: "set by the Community Voice Lead",
}

RECIPIENT_ROLES = {
    RecipientRole.owner: "action owner",
    RecipientRole.presenter: "presenter",
    RecipientRole.engagement_lead: "engagement lead",
    RecipientRole.cv_lead: "Community Voice Lead",
}
#: A message's delivery, in words.
DELIVERY = {
    OutboxStatus.pending: "Waiting to be sent",
    OutboxStatus.sending: "Being sent",
    OutboxStatus.sent: "Sent",
    OutboxStatus.failed: "Not delivered: the address was refused",
    OutboxStatus.manual: "No email address",
    OutboxStatus.cancelled: "Not sent: no longer needed",
    OutboxStatus.gathered: "Sent with their other reminders in one email",
    OutboxStatus.unconfirmed: "May have been sent (sending stopped part way): not sent again",
}


def _row(key: str, value: dict[str, Any] | str) -> dict[str, Any]:
    return {"key": {"text": key}, "value": value if isinstance(value, dict) else {"text": value}}


def consent_text(record: PresenterConsent | None, ticked: bool) -> tuple[str, str]:
    """Being named in public papers, and being contacted about outcomes, in words."""
    if record is None:
        named = "Yes, recorded by staff at intake" if ticked else "Not asked yet"
        return named, "Not asked yet"
    named = ANSWER_LABELS[record.named_in_public]
    if record.named_in_public is ConsentAnswer.yes:
        how = ROUTE_LABELS[record.given_how] if record.given_how else "how not recorded"
        named += f", given {long_date(record.given_at) or 'when not recorded'}, {how}"
    elif record.withdrawn_at:
        named += f": withdrawn {long_date(record.withdrawn_at)}"
    return named, ANSWER_LABELS[record.contact_about_outcomes]


def presenter_rows(
    p: PresenterRecord, record: PresenterConsent | None = None
) -> list[dict[str, Any]]:
    named, contact = consent_text(record, p.consent_to_publish_name)
    return [
        _row("Role", p.role or "Not recorded"),
        _row("Email", mailto(p.email)),
        _row("Other contact route", p.preferred_contact or "None recorded"),
        _row("Access needs", p.access_needs or "None recorded"),
        _row("Language", p.language or "Not recorded"),
        _row("Named in public papers", named),
        _row("Contacted about outcomes", contact),
    ]


@dataclass
class ActionView:
    anchor: str
    heading: str
    text: str
    status: str
    rag: dict[str, Any]
    rag_cause: str
    rag_source: str | None
    rows: list[dict[str, Any]]
    gaps: list[str]
    links: list[Link] = field(default_factory=list)


def _link_text(spec: CommandSpec, action: ActionRecord) -> str:
    if spec.slug == "owner":
        return "Name an owner" if action.owner_id is None else "Reassign"
    return spec.link


def _action_view(action: ActionRecord, case_id: uuid.UUID, user: StaffUser) -> ActionView:
    heading = f"Action {action.seq}"
    base = f"/cases/{case_id}/actions/{action.id}"
    links = [
        Link(_link_text(spec, action), f"{base}/{spec.slug}", f" for action {action.seq}")
        for spec in available(ACTION_COMMANDS, user, action_allows, action)
    ]
    owner = action.owner_name or (
        f"Not named yet (minutes say '{action.owner_as_written}')"
        if action.owner_as_written
        else "Not named yet"
    )
    closed = None
    if action.is_history:
        closed = action.status_label
        said = action.closure_note or action.recorded_comment
        if said:
            closed += f": {said}"
    elif action.closed_at:
        closed = f"{STATUS_LABELS[action.status]} on {long_date(action.closed_at)}"
        if action.closure_note:
            closed += f": {action.closure_note}"
    return ActionView(
        anchor=f"action-{action.seq}",
        heading=heading,
        text=action.text,
        status=action.status_label,
        rag=rag_tag(action.rag),
        rag_cause=action.rag_cause,
        rag_source=RAG_SOURCES.get(action.rag_source),
        rows=[
            _row("Status", closed or STATUS_LABELS[action.status]),
            _row("Owner", owner),
            *([_row("Owner's email", mailto(action.owner_email))] if action.owner_email else []),
            _row("Partner", action.partner_name or "Not recorded"),
            _row("Due", long_date(action.due_date) or "No due date"),
        ],
        gaps=list(action.gaps),
        links=links,
    )


def banner(command: InboxCommand | None) -> dict[str, str] | None:
    """What became of the command the page was reached from (post/redirect/get)."""
    if command is None:
        return None
    if command.status is CommandStatus.applied:
        return {"kind": "success", "text": command.outcome_message or "Done."}
    if command.status is CommandStatus.rejected:
        return {"kind": "refused", "text": command.outcome_message or "This could not be done."}
    return {
        "kind": "pending",
        "text": "Received. It will show on this page in a moment: reload the page to see it.",
    }


def case_page(
    detail: CaseDetail,
    *,
    user: StaffUser,
    now: datetime,
    timers: Sequence[PendingTimer],
    events: Sequence[AuditEvent],
    messages: Sequence[OutboxMessage],
    command: InboxCommand | None = None,
    consents: Mapping[uuid.UUID, PresenterConsent] | None = None,
) -> dict[str, Any]:
    seqs = {a.id: a.seq for a in detail.actions}
    actions = [_action_view(a, detail.id, user) for a in detail.actions]
    case_links = [
        Link(spec.link, f"/cases/{detail.id}/{spec.slug}")
        for spec in available(CASE_COMMANDS, user, case_allows, detail, len(detail.presenters))
    ]
    if user.can(Permission.drive_actions):
        case_links.insert(1, Link("Add an action", f"/cases/{detail.id}/add-action"))
    escalations = [
        escalation_view(
            e,
            f"Action {seqs[e.action_id]}" if e.action_id in seqs else "The case",
            user,
            seq_hint=f" {number}",
        )
        for number, e in reversed(list(enumerate(detail.escalations, start=1)))
    ]
    contact = (
        f"Confirmed {date_and_time(detail.presenter_contact_confirmed_at)} by "
        f"{detail.presenter_contact_by}"
        + (f": {detail.presenter_contact_note}" if detail.presenter_contact_note else "")
        if detail.presenter_contact_confirmed_at
        else "Not confirmed yet"
    )
    return {
        "page_title": detail.theme or f"Session at the {detail.board_name}",
        "case": detail,
        "meeting": session_date(detail),
        "outcome": OUTCOME_LABELS[detail.outcome],
        "status": "Open" if detail.status is CaseStatus.open else "Closed",
        "recorded": f"{date_and_time(detail.recorded_at)} by {detail.recorded_by or 'unknown'}",
        "contact": contact,
        "presenters": [
            {
                "id": p.id,
                "name": p.display_name,
                "rows": presenter_rows(p, (consents or {}).get(p.id)),
            }
            for p in detail.presenters
        ],
        "actions": actions,
        "timers": [
            timer_view(t, now, f"Action {seqs[t.action_id]}" if t.action_id in seqs else "Case")
            for t in timers
        ],
        "case_links": case_links,
        "escalations": escalations,
        "events": [event_view(e, seqs) for e in reversed(events)],
        "messages": [
            {
                "to": f"{m.recipient_name} ({RECIPIENT_ROLES[m.recipient_role]})",
                "what": m.kind.replace("_", " ").capitalize(),
                "status": m.last_error
                if m.status is OutboxStatus.cancelled and m.last_error
                else DELIVERY[m.status],
                "route": m.recipient_route if m.status is OutboxStatus.manual else None,
                "when": date_and_time(m.created_at),
            }
            for m in messages
        ],
        "banner": banner(command),
        "gaps": list(detail.gaps),
        "ago": ago(detail.recorded_at, now),
    }
