"""An action as its owner and presenters see it on their signed-link pages: plain English."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from api.presenters.rag import rag_tag
from models.action import Action, ActionStatus, ActionUpdate, UpdateKind
from models.formatting import date_and_time, long_date
from models.rag import LABELS, Rag

#: The status as the owner reads it.
OWNER_STATUS = {
    ActionStatus.unassigned: "No owner yet",
    ActionStatus.awaiting_acknowledgement: "Waiting for you to acknowledge it",
    ActionStatus.in_progress: "In progress",
    ActionStatus.done: "Done",
    ActionStatus.cannot_deliver: "Cannot be delivered: the Community Voice Lead is looking at it",
    ActionStatus.withdrawn: "Withdrawn",
}

#: The status as a presenter reads it: about the owner, never "you".
PRESENTER_STATUS = {
    ActionStatus.unassigned: "We are finding the right person to take it on",
    ActionStatus.awaiting_acknowledgement: "Waiting for the owner to take it on",
    ActionStatus.in_progress: "In progress",
    ActionStatus.done: "Done",
    ActionStatus.cannot_deliver: "The owner says it cannot be delivered: "
    "the Community Voice Lead is looking at it",
    ActionStatus.withdrawn: "Withdrawn",
}

UPDATE_LABELS = {
    UpdateKind.progress: "Progress update",
    UpdateKind.still_on_track: "Still on track",
    UpdateKind.done: "Done",
    UpdateKind.cannot_deliver: "Cannot be delivered",
    UpdateKind.declined: "Not mine",
    UpdateKind.note: "Note",
    UpdateKind.presenter_feedback: "What the presenter said",
}

#: The owner's own rating, in words (radio labels and hints).
RATINGS = [
    (Rag.green, "Green: on track", "It will be done by the due date."),
    (Rag.amber, "Amber: at risk", "It may be late, or may not fully happen, without a change."),
    (Rag.red, "Red: off track", "It will be late or will not happen without help."),
]

CLOSED_OUTCOME = {
    ActionStatus.done: "What was done",
    ActionStatus.withdrawn: "Why it was withdrawn",
    ActionStatus.cannot_deliver: "Why it could not be delivered",
}


@dataclass(frozen=True)
class HistoryEntry:
    when: str
    label: str
    who: str
    text: str
    rating: dict[str, Any] | None


def history(action: Action, updates: Sequence[ActionUpdate]) -> list[HistoryEntry]:
    """Newest first: the log of updates, with the linking and acknowledgement as entries."""
    entries: list[tuple[Any, HistoryEntry]] = []
    if action.linked_at and action.owner_name:
        entries.append(
            (
                action.linked_at,
                HistoryEntry(
                    when=date_and_time(action.linked_at),
                    label="Owner named",
                    who="Engagement lead",
                    text=f"Linked to {action.owner_name}"
                    + (f" ({action.partner_name})" if action.partner_name else ""),
                    rating=None,
                ),
            )
        )
    if action.acknowledged_at:
        entries.append(
            (
                action.acknowledged_at,
                HistoryEntry(
                    when=date_and_time(action.acknowledged_at),
                    label="Acknowledged",
                    who=action.owner_name or "",
                    text="The owner acknowledged the action.",
                    rating=None,
                ),
            )
        )
    for u in updates:
        entries.append(
            (
                u.at,
                HistoryEntry(
                    when=date_and_time(u.at),
                    label=UPDATE_LABELS.get(u.kind, u.kind.value.replace("_", " ")),
                    who=u.author_name,
                    text=u.text,
                    rating=rag_tag(u.stated_rag) if u.stated_rag else None,
                ),
            )
        )
    return [e for _, e in sorted(entries, key=lambda pair: pair[0], reverse=True)]


def summary_rows(action: Action, *, for_owner: bool) -> list[dict[str, Any]]:
    """Rows for an NHS.UK summary list: ``key``, ``text`` and, for the rating, a ``tag``."""
    status = (OWNER_STATUS if for_owner else PRESENTER_STATUS)[action.status]
    rows: list[dict[str, Any]] = [
        {"key": "Action", "text": action.text},
        {"key": "Status", "text": status},
    ]
    if action.closed_at is None:
        rows.append({"key": "Rating", "text": action.rag_cause, "tag": rag_tag(action.rag)})
    rows.append({"key": "Due", "text": long_date(action.due_date) or "No due date set"})
    if action.owner_name:
        owner = action.owner_name + (f", {action.partner_name}" if action.partner_name else "")
        rows.append({"key": "Owner", "text": owner})
    if action.closed_at is not None and action.closure_note:
        rows.append(
            {"key": CLOSED_OUTCOME.get(action.status, "Closed"), "text": action.closure_note}
        )
    return rows


def rating_label(rag: Rag | str | None) -> str:
    return LABELS[Rag(rag)] if rag else ""
