"""What staff and presenters' commands do to a case: ``apply`` sends each to its effect.

Confirming contact with the presenters and adding an action are here; escalations are in
``escalations``, and the presenters' answers from their links in ``presenter_answers``.
"""

from __future__ import annotations

from datetime import datetime

from models.action import new_action_record
from models.case import CaseStatus
from models.commands import (
    AddAction,
    AddNote,
    CaseCommand,
    ConfirmPresenterContact,
    PresenterConfirm,
    PresenterFeedback,
    RaiseEscalation,
    ReportUndeliverable,
    ResolveEscalation,
)
from models.escalation import EscalationRule
from models.formatting import long_date, session_on
from models.messages import CaseState
from workflows.case_rules.escalations import escalate, report_undeliverable, resolve, resolve_rule
from workflows.case_rules.lifecycle import brief
from workflows.case_rules.presenter_answers import presenter_confirm, presenter_feedback
from workflows.refused import Refused
from workflows.step import Step


def apply(s: CaseState, cmd: CaseCommand, now: datetime, step: Step) -> str:
    """Apply one command; returns the receipt text or raises ``Refused``."""
    at = min(cmd.received_at, now)
    match cmd:
        case ConfirmPresenterContact():
            return _confirm_contact(s, cmd, at, step)
        case AddAction():
            return _add_action(s, cmd, at, step)
        case AddNote():
            step.audit(cmd.actor, "case.note_added", f"Note: {cmd.text}", at=at)
            return "Note added."
        case RaiseEscalation():
            escalate(s, step, EscalationRule.manual, cmd.reason, by=cmd.actor)
            return "Escalated to the Community Voice Lead."
        case ResolveEscalation():
            return resolve(s, cmd, at, step)
        case ReportUndeliverable():
            return report_undeliverable(s, cmd, at, step)
        case PresenterConfirm():
            return presenter_confirm(s, cmd, at, step)
        case PresenterFeedback():
            return presenter_feedback(s, cmd, at, step)
    raise Refused(f"Unknown command {cmd.kind}")  # pragma: no cover


def _confirm_contact(s: CaseState, cmd: ConfirmPresenterContact, at: datetime, step: Step) -> str:
    r = s.record
    if r.presenter_contact_confirmed_at is not None:
        raise Refused(
            f"Contact with the presenters was already confirmed on "
            f"{long_date(r.presenter_contact_confirmed_at)} by {r.presenter_contact_by}."
        )
    r.presenter_contact_confirmed_at = at
    r.presenter_contact_by = cmd.actor.name
    r.presenter_contact_note = cmd.note
    step.audit(
        cmd.actor,
        "case.presenter_contact_confirmed",
        "Contact with the presenters confirmed" + (f": {cmd.note}" if cmd.note else ""),
        at=at,
    )
    resolve_rule(
        s, step, EscalationRule.presenter_contact_overdue, "Presenters contacted.", cmd.actor
    )
    return "Contact with the presenters is confirmed."


def _add_action(s: CaseState, cmd: AddAction, at: datetime, step: Step) -> str:
    r = s.record
    if cmd.due_date is not None and cmd.due_date < r.meeting_date:
        raise Refused(
            f"The due date {long_date(cmd.due_date)} is before the meeting {session_on(r)}."
        )
    if str(cmd.action_id) in s.actions:
        raise Refused("That action was added already.")
    record = new_action_record(
        action_id=cmd.action_id,
        case_id=r.id,
        seq=max((b.seq for b in s.actions.values()), default=0) + 1,
        text=cmd.text,
        at=at,
        owner=cmd.owner,
        owner_as_written=cmd.owner_as_written,
        partner_id=cmd.partner_id,
        partner_name=cmd.partner_name,
        due_date=cmd.due_date,
        due_at=cmd.due_at,
    )
    s.actions[str(record.id)] = brief(record)
    s.unstarted_actions.append(record)
    step.record.actions.append(record)
    if r.status is CaseStatus.closed:
        r.status, r.closed_at = CaseStatus.open, None
    step.audit(cmd.actor, "case.action_added", f"Action {record.seq} added: {record.text}", at=at)
    return f"Action {record.seq} added."
