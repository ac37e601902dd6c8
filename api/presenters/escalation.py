"""Escalations as staff see them: the Community Voice Lead's queue (oldest first, with cause, age
and what to do), and each escalation in the list on its case's page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from api.presenters.links import Link
from api.presenters.rag import rag_tag
from api.presenters.time import age
from models.escalation import RULE_LABELS, EscalationRecord, EscalationStatus
from models.formatting import date_and_time, session_on
from models.staff import Permission, StaffUser
from services.oversight import QueueRow


@dataclass
class QueueItem:
    id: str
    number: int
    cause: str
    reason: str
    raised: str
    age: str
    case_title: str
    case_href: str
    board: str
    action: str | None
    rag: dict[str, Any] | None
    owner: str | None
    owner_email: str | None
    links: list[Link] = field(default_factory=list)


def queue_item(
    number: int, row: QueueRow, user: StaffUser, now: datetime, next_url: str
) -> QueueItem:
    e, case, action = row.escalation, row.case, row.action
    case_href = f"/cases/{case.id}" + (f"#action-{action.seq}" if action else "")
    which = f" for escalation {number}"
    links: list[Link] = []
    if user.can(Permission.intervene):
        links.append(
            Link("Resolve with a note", f"/escalations/{e.id}/resolve?next={next_url}", which)
        )
    if action is not None and not action.is_closed:
        base = f"/cases/{case.id}/actions/{action.id}"
        if user.can(Permission.drive_actions):
            text = "Name an owner" if action.owner_id is None else "Reassign"
            links.append(Link(text, f"{base}/owner", which))
        if user.can(Permission.intervene):
            links.append(Link("Extend the due date", f"{base}/due-date", which))
    if action is not None and action.owner_email:
        links.append(Link(f"Email {action.owner_name}", f"mailto:{action.owner_email}", which))
    elif action is None and user.can(Permission.drive_actions):
        links.append(Link("Contact the presenters", f"/cases/{case.id}#presenters", which))
    return QueueItem(
        id=str(e.id),
        number=number,
        cause=RULE_LABELS[e.rule],
        reason=e.reason,
        raised=date_and_time(e.raised_at),
        age=age(e.raised_at, now),
        case_title=case.theme or "Session with no theme recorded",
        case_href=case_href,
        board=f"{row.board.name}, meeting {session_on(case)}",
        action=f"Action {action.seq}: {action.text}" if action else None,
        rag=rag_tag(action.rag) if action else None,
        owner=(action.owner_name or "No owner named") if action else None,
        owner_email=action.owner_email if action else None,
        links=links,
    )


def queue(
    rows: list[QueueRow],
    user: StaffUser,
    now: datetime,
    *,
    next_url: str = "/escalations",
    start: int = 1,
) -> list[QueueItem]:
    """Queue items numbered from ``start`` (the first row's place in the whole queue)."""
    return [queue_item(i, row, user, now, next_url) for i, row in enumerate(rows, start=start)]


# --- on the case page -------------------------------------------------------------------------


@dataclass(frozen=True)
class EscalationView:
    id: uuid.UUID
    number: str
    about: str
    cause: str
    reason: str
    raised: str
    status: str
    resolution: str | None
    resolve: Link | None


def raised_text(e: EscalationRecord) -> str:
    """'14 January 2027 at 9am by Cara Lead', or 'automatically on …' when a rule raised it."""
    when = date_and_time(e.raised_at)
    return f"automatically on {when}" if e.raised_by == "Rule" else f"on {when} by {e.raised_by}"


def escalation_view(
    e: EscalationRecord, about: str, user: StaffUser, *, seq_hint: str = ""
) -> EscalationView:
    resolve = None
    if e.status is EscalationStatus.open and user.can(Permission.intervene):
        resolve = Link(
            "Resolve",
            f"/escalations/{e.id}/resolve?next=/cases/{e.case_id}",
            f" escalation{seq_hint}",
        )
    return EscalationView(
        id=e.id,
        number=seq_hint.strip(),
        about=about,
        cause=RULE_LABELS[e.rule],
        reason=e.reason,
        raised=raised_text(e),
        status="Open" if e.status is EscalationStatus.open else "Resolved",
        resolution=(
            f"Resolved {date_and_time(e.resolved_at)} by {e.resolved_by}: {e.resolution_note}"
            if e.resolved_at
            else None
        ),
        resolve=resolve,
    )
