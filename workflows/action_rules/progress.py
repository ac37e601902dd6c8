"""How an action goes and how it ends: progress updates and notes, a new due date, and
closing it as done, as not deliverable, or withdrawn (the presenters are told why)."""

from __future__ import annotations

from datetime import datetime

from models.action import ActionStatus, UpdateKind
from models.audit import Actor
from models.commands import (
    AddNote,
    CannotDeliver,
    CloseAction,
    ExtendDueDate,
    MarkDone,
    PostUpdate,
    WithdrawAction,
)
from models.escalation import EscalationRule
from models.formatting import long_date, session_on
from models.messages import ActionState
from models.policy import end_of_day
from models.rag import LABELS
from workflows.action_rules.escalations import escalate, resolve_where
from workflows.action_rules.messages import tell_presenters
from workflows.action_rules.ownership import mark_acknowledged
from workflows.action_rules.rag import refresh_rag
from workflows.refused import Refused
from workflows.step import Step


def post_update(s: ActionState, cmd: PostUpdate, at: datetime, step: Step) -> str:
    r = s.record
    if r.status is ActionStatus.awaiting_acknowledgement:
        mark_acknowledged(s, cmd.actor, at, step)
    r.last_progress_at = at
    if cmd.rag is not None:
        r.stated_rag = cmd.rag
    resolve_where(s, step, {EscalationRule.no_update}, "The owner posted an update.", cmd.actor)
    refresh_rag(s, at, step)
    kind = UpdateKind.still_on_track if cmd.still_on_track else UpdateKind.progress
    step.log_update(
        kind=kind, text=cmd.text, author=cmd.actor, at=at, rag_at_time=r.rag, stated_rag=cmd.rag
    )
    rated = f" (rated {LABELS[cmd.rag]})" if cmd.rag else ""
    step.audit(cmd.actor, "action.update_posted", f"Update posted{rated}: {cmd.text}", at=at)
    return "Your update has been added to the action."


def add_note(s: ActionState, cmd: AddNote, at: datetime, step: Step) -> str:
    step.log_update(
        kind=UpdateKind.note, text=cmd.text, author=cmd.actor, at=at, rag_at_time=s.record.rag
    )
    step.audit(cmd.actor, "action.note_added", f"Note: {cmd.text}", at=at)
    return "Note added."


def extend_due_date(s: ActionState, cmd: ExtendDueDate, at: datetime, step: Step) -> str:
    r = s.record
    if cmd.due_date < s.context.meeting_date:
        raise Refused(
            f"The new due date {long_date(cmd.due_date)} is before the meeting "
            f"{session_on(s.context)}."
        )
    due_at = cmd.due_at or end_of_day(cmd.due_date)
    if due_at <= at:
        raise Refused(f"The new due date {long_date(cmd.due_date)} has passed: give a later date.")
    before = long_date(r.due_date) or "no due date"
    r.due_date, r.due_at = cmd.due_date, due_at
    step.audit(
        cmd.actor,
        "action.due_date_extended",
        f"Due date moved from {before} to {long_date(cmd.due_date)}: {cmd.reason}",
        at=at,
    )
    resolve_where(
        s, step, {EscalationRule.overdue}, f"Due date moved to {long_date(r.due_date)}.", cmd.actor
    )
    return f"The action is now due {long_date(cmd.due_date)}."


# --- how it ends ------------------------------------------------------------------------------


def _close(s: ActionState, at: datetime, note: str, by: Actor, step: Step) -> None:
    r = s.record
    r.closed_at = at
    r.closure_note = note
    resolve_where(s, step, None, f"The action was closed ({r.status.value.replace('_', ' ')}).", by)


def mark_done(s: ActionState, cmd: MarkDone, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.done
    r.closed_on_time = None if r.due_at is None else at <= r.due_at
    r.last_progress_at = at
    _close(s, at, cmd.text, cmd.actor, step)
    refresh_rag(s, at, step)
    step.log_update(kind=UpdateKind.done, text=cmd.text, author=cmd.actor, at=at, rag_at_time=r.rag)
    on_time = {True: " on time", False: " late", None: ""}[r.closed_on_time]
    step.audit(cmd.actor, "action.done", f"Marked done{on_time}: {cmd.text}", at=at)
    tell_presenters(s, step, "done", cmd.text)
    return "Marked as done. The presenters will be told what was done."


def cannot_deliver(s: ActionState, cmd: CannotDeliver, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.cannot_deliver
    step.audit(cmd.actor, "action.cannot_deliver", f"Cannot be delivered: {cmd.reason}", at=at)
    escalate(s, step, EscalationRule.cannot_deliver, cmd.reason, by=cmd.actor)
    refresh_rag(s, at, step)
    step.log_update(
        kind=UpdateKind.cannot_deliver, text=cmd.reason, author=cmd.actor, at=at, rag_at_time=r.rag
    )
    return "Recorded. The Community Voice Lead has been told it cannot be delivered."


def close_action(s: ActionState, cmd: CloseAction, at: datetime, step: Step) -> str:
    s.record.closed_on_time = False
    _close(s, at, cmd.reason, cmd.actor, step)
    step.audit(cmd.actor, "action.closed", f"Closed as not delivered: {cmd.reason}", at=at)
    tell_presenters(s, step, "not_delivered", cmd.reason)
    return "The action is closed as not delivered. The presenters will be told why."


def withdraw(s: ActionState, cmd: WithdrawAction, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.withdrawn
    r.closed_on_time = None
    _close(s, at, cmd.reason, cmd.actor, step)
    r.rag_cause = f"Withdrawn: {cmd.reason}"
    step.audit(cmd.actor, "action.withdrawn", f"Withdrawn: {cmd.reason}", at=at)
    tell_presenters(s, step, "withdrawn", cmd.reason)
    return "The action is withdrawn. The presenters will be told why."
