"""An action's RAG: the facts it is derived from, the shown colour (with the owner's rating and
the Community Voice Lead's override), and the commands that set or clear an override."""

from __future__ import annotations

from datetime import datetime

from models.action import ActionStatus
from models.audit import Actor
from models.commands import ClearRagOverride, OverrideRag
from models.formatting import long_date
from models.messages import ActionState
from models.rag import LABELS, Rag, RagFacts, RagOverride, derive_rag, shown_rag
from workflows.refused import Refused
from workflows.step import Step


def rag_facts(s: ActionState) -> RagFacts:
    r, p = s.record, s.policy
    is_open = r.closed_at is None
    due = r.due_at if is_open and r.status is not ActionStatus.cannot_deliver else None
    return RagFacts(
        closed_as_done=r.status is ActionStatus.done,
        cannot_deliver=r.status is ActionStatus.cannot_deliver,
        open_escalations=len(s.open_escalations),
        overdue_at=due,
        amber_from=p.before(due, p.amber_window) if due else None,
        stale_from=(
            p.after(r.last_progress_at, p.update_reminder)
            if r.status is ActionStatus.in_progress and r.last_progress_at
            else None
        ),
        not_acknowledged_from=(
            p.after(r.linked_at, p.acknowledgement_reminder)
            if r.status is ActionStatus.awaiting_acknowledgement and r.linked_at
            else None
        ),
        no_owner=is_open and r.status is ActionStatus.unassigned,
        no_owner_late_from=(
            p.after(s.unassigned_since, p.owner_naming_reminder)
            if is_open and r.status is ActionStatus.unassigned and s.unassigned_since
            else None
        ),
        no_due_date=is_open and r.due_at is None,
        historical=r.is_history,
        due_label=long_date(r.due_date),
    )


def refresh_rag(s: ActionState, now: datetime, step: Step, *, first: bool = False) -> None:
    """Recompute the shown RAG; record a change of colour with its cause, dated ``now`` (the
    moment of its cause). ``first``: the action's first rating, from nothing."""
    r = s.record
    if r.status is ActionStatus.withdrawn:
        return
    derived = derive_rag(rag_facts(s), now)
    if s.override is not None and derived.rag is not s.override.derived_at_time:
        step.audit(
            Actor.system(),
            "rag.override_lapsed",
            f"The Community Voice Lead's {LABELS[s.override.rag]} rating lapsed: "
            f"the facts changed ({derived.cause}).",
        )
        s.override = None
    shown = shown_rag(derived, r.stated_rag, s.override)
    if first and shown.rag not in (Rag.green, Rag.not_rated):  # its first rating, from none
        step.rag_changed(None, shown)
        step.audit(
            Actor.system(),
            "rag.changed",
            f"RAG {LABELS[shown.rag]}: {shown.cause}",
            to_rag=shown.rag.value,
        )
    elif shown.rag is not r.rag:
        step.rag_changed(r.rag, shown)
        step.audit(
            Actor.system(),
            "rag.changed",
            f"RAG {LABELS[r.rag]} → {LABELS[shown.rag]}: {shown.cause}",
            from_rag=r.rag.value,
            to_rag=shown.rag.value,
        )
    r.rag, r.rag_cause, r.rag_source = shown.rag, shown.cause, shown.source


# --- commands ---------------------------------------------------------------------------------


def override_rag(s: ActionState, cmd: OverrideRag, at: datetime, step: Step) -> str:
    s.override = RagOverride(
        rag=cmd.rag,
        reason=cmd.reason,
        by=cmd.actor.name,
        at=at,
        derived_at_time=derive_rag(rag_facts(s), at).rag,
    )
    step.audit(cmd.actor, "rag.overridden", f"RAG set to {LABELS[cmd.rag]}: {cmd.reason}", at=at)
    return f"RAG set to {LABELS[cmd.rag]}. It stands until you clear it or the facts change."


def clear_rag_override(s: ActionState, cmd: ClearRagOverride, at: datetime, step: Step) -> str:
    if s.override is None:
        raise Refused("There is no RAG override on this action to clear.")
    s.override = None
    step.audit(
        cmd.actor, "rag.override_cleared", f"RAG override cleared. {cmd.reason or ''}", at=at
    )
    return "RAG override cleared: the rating now follows the facts."
