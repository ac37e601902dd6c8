"""An action imported from past records: taking it on for live follow-up (from then on it runs
the normal rules), or closing it with what was done (it stays a historical record)."""

from __future__ import annotations

from datetime import datetime

from models.action import ActionStatus, RecordedStatus, UpdateKind
from models.commands import CloseHistory, TakeOn
from models.formatting import long_date
from models.messages import ActionState
from models.policy import end_of_day
from notifications.types import MessageType, OwnerActionAssigned
from workflows.action_rules.messages import action_facts, case_facts, tell_owner
from workflows.refused import Refused
from workflows.step import Step


def take_on(s: ActionState, cmd: TakeOn, at: datetime, step: Step) -> str:
    """Name an owner and a due date: the action is live from ``at``, rated and chased."""
    r = s.record
    due_at = cmd.due_at or end_of_day(cmd.due_date)
    if due_at <= at:
        raise Refused(f"The due date {long_date(cmd.due_date)} has passed: give a later date.")
    r.taken_on_at = at
    r.owner_id, r.owner_name, r.owner_email = cmd.owner.id, cmd.owner.name, cmd.owner.email
    r.partner_id, r.partner_name = cmd.owner.partner_id, cmd.owner.partner_name
    r.assignment_no += 1
    s.epoch += 1
    r.status = ActionStatus.awaiting_acknowledgement
    r.linked_at, r.acknowledged_at, r.stated_rag = at, None, None
    r.due_date, r.due_at = cmd.due_date, due_at
    s.unassigned_since = None
    who = f"{cmd.owner.name} ({cmd.owner.partner_name})"
    step.audit(
        cmd.actor,
        "action.taken_on",
        f"Taken on for live follow-up: owner {who}, due {long_date(cmd.due_date)}",
        at=at,
        note=cmd.note,
    )
    tell_owner(
        s,
        step,
        MessageType.owner_action_assigned,
        OwnerActionAssigned(
            case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no, note=cmd.note
        ),
    )
    return (
        f"Taken on: {cmd.owner.name} is now the owner and has been asked to acknowledge it. "
        "From now on it is rated and followed up like any other action."
    )


def close_history(s: ActionState, cmd: CloseHistory, at: datetime, step: Step) -> str:
    """Close it with what was done; it stays a historical record (not rated)."""
    r = s.record
    if cmd.done_on is not None and cmd.done_on < s.context.meeting_date:
        raise Refused(
            f"{long_date(cmd.done_on)} is before the meeting that agreed it: give a later date."
        )
    closed_at = min(end_of_day(cmd.done_on), at) if cmd.done_on else at
    r.status = ActionStatus.done
    r.recorded_status, r.recorded_done_on = RecordedStatus.done, cmd.done_on
    r.closed_at, r.closure_note, r.closed_on_time = closed_at, cmd.text, None
    step.log_update(kind=UpdateKind.done, text=cmd.text, author=cmd.actor, at=at, rag_at_time=r.rag)
    when = f" on {long_date(cmd.done_on)}" if cmd.done_on else ""
    step.audit(cmd.actor, "action.history_closed", f"Closed as done{when}: {cmd.text}", at=at)
    return "Closed with what was done. It stays a historical record: it is not rated."
