"""What an action's workflow applies: its first step, then each command, in the order received.

``apply`` checks the command may apply (the link is for the current owner; ``refusal``'s rules
for the action's status), runs the command's effect from ``HANDLERS``, and sends an owner who
used their link a receipt. Each effect lives with its concern: ``ownership``, ``progress``,
``rag`` and ``escalations``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.action import ActionStatus
from models.audit import Actor
from models.commands import ActionCommand, refusal
from models.formatting import date_and_time
from models.messages import ActionState
from notifications.types import MessageType, OwnerActionAssigned
from workflows.action_rules import escalations, history, ownership, progress, rag
from workflows.action_rules.messages import (
    action_facts,
    case_facts,
    send_owner_receipt,
    tell_owner,
)
from workflows.refused import Refused
from workflows.step import Step

#: Each command's effect: ``(state, command, at, step) -> receipt``, or raises ``Refused``.
HANDLERS: dict[str, Callable[[ActionState, Any, datetime, Step], str]] = {
    "assign_owner": ownership.assign_owner,
    "acknowledge": ownership.acknowledge,
    "post_update": progress.post_update,
    "mark_done": progress.mark_done,
    "cannot_deliver": progress.cannot_deliver,
    "decline": ownership.decline,
    "extend_due_date": progress.extend_due_date,
    "override_rag": rag.override_rag,
    "clear_rag_override": rag.clear_rag_override,
    "withdraw_action": progress.withdraw,
    "close_action": progress.close_action,
    "take_on": history.take_on,
    "close_history": history.close_history,
    "add_note": progress.add_note,
    "raise_escalation": escalations.raise_escalation,
    "resolve_escalation": escalations.resolve_escalation,
    "report_undeliverable": escalations.report_undeliverable,
}


def on_start(s: ActionState, step: Step) -> None:
    """The first step of a new action: tell its owner, if it has one, and rate it (from the
    start: an action with no owner or no due date is never Green). An action from past records
    tells no one and is not rated."""
    r = s.record
    if r.is_history:
        step.audit(
            Actor.system(),
            "action.recorded",
            f"Action {r.seq} recorded from past records: {r.status_label}",
        )
        return
    if r.status is ActionStatus.awaiting_acknowledgement:
        tell_owner(
            s,
            step,
            MessageType.owner_action_assigned,
            OwnerActionAssigned(
                case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no
            ),
        )
    due = f", due {date_and_time(r.due_at)}" if r.due_at else ", no due date"
    owner = f"owner {r.owner_name}" if r.owner_name else "no owner yet"
    step.audit(Actor.system(), "action.started", f"Action {r.seq} started: {owner}{due}")
    with step.happening_at(r.created_at):
        rag.refresh_rag(s, r.created_at, step, first=True)


def apply(s: ActionState, cmd: ActionCommand, now: datetime, step: Step) -> str:
    """Apply one command; returns the receipt text or raises ``Refused``."""
    r = s.record
    if cmd.for_assignment is not None and cmd.for_assignment != r.assignment_no:
        raise Refused(
            "This link was for an earlier owner of this action: it has since been passed to "
            "someone else, so nothing was changed."
        )
    why = refusal(cmd.kind, r.status, r.closed_at is not None, history=r.is_history)
    if why:
        raise Refused(why)
    at = min(cmd.received_at, now)
    handler = HANDLERS[cmd.kind]
    before = action_facts(s), r.owner_email
    receipt = handler(s, cmd, at, step)
    send_owner_receipt(s, cmd, before, receipt, step)
    return receipt
