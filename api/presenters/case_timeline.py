"""The case page's two lists in time: what happens next (the pending timers, in words) and what
has happened (the audit events, who did what)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from api.presenters.time import until
from models.audit import ActorKind, AuditEvent
from models.formatting import clock_time, date_and_time, short_day
from models.timer import PendingTimer

TIMER_LABELS = {
    "presenter_contact_reminder": "Reminder to contact the presenters",
    "presenter_contact_escalation": "Escalation if the presenters are not contacted",
    "owner_naming_reminder": "Reminder to name an owner",
    "owner_naming_escalation": "Escalation if no owner is named",
    "acknowledgement_reminder": "Owner reminder",
    "acknowledgement_escalation": "Escalation if the owner has not acknowledged",
    "update_reminder": "Owner reminder for a progress update",
    "update_escalation": "Escalation if there is no progress update",
    "due_soon": "RAG turns amber as the due date nears",
    "overdue": "Due: overdue after this",
}
ACTOR_KINDS = {
    ActorKind.owner_link: "owner, by their link",
    ActorKind.presenter_link: "presenter, by their link",
    ActorKind.cli: "command line",
    ActorKind.importer: "import",
}


@dataclass(frozen=True)
class TimerView:
    text: str
    relative: str
    detail: str
    about: str = "Case"


@dataclass(frozen=True)
class EventView:
    when: str
    who: str
    what: str
    about: str
    source: str | None


def timer_view(timer: PendingTimer, now: datetime, about: str = "Case") -> TimerView:
    label = TIMER_LABELS.get(timer.kind, timer.description)
    return TimerView(
        text=f"{label} due {short_day(timer.due_at)} at {clock_time(timer.due_at)}",
        relative=until(timer.due_at, now),
        detail=timer.description,
        about=about,
    )


def event_view(event: AuditEvent, seqs: dict[uuid.UUID, int]) -> EventView:
    kind = ACTOR_KINDS.get(event.actor_kind)
    seq = seqs.get(event.action_id) if event.action_id else None
    return EventView(
        when=date_and_time(event.at),
        who=f"{event.actor_name} ({kind})" if kind else event.actor_name,
        what=event.summary,
        about=f"Action {seq}" if seq else "Case",
        source=event.source,
    )
