"""An action's timer rules (DESIGN.md §5): when each fires (``pending_timers``) and what it
does when it fires (``fire``). Each waits a duration of the board's policy:

- no owner named: ``owner_naming_reminder`` after the action became unassigned, the engagement
  lead is reminded; ``owner_naming_escalation`` after, it is escalated;
- not acknowledged: ``acknowledgement_reminder`` after the owner was linked, the owner is
  reminded; ``acknowledgement_escalation`` after, it is escalated;
- no progress update: ``update_reminder`` after the last progress, the owner is asked for one;
  ``update_escalation`` after, it is escalated;
- due soon: ``amber_window`` before the due time, it is recorded (the RAG turns amber);
- overdue: at the due time, the owner is told and it is escalated (the RAG turns red).

An action imported from past records has no timers until someone takes it on.

Each timer's key carries the assignment (``#epoch``) or the moment it counts from (``@…``), so a
new owner or a new update starts the rule again; a fired key is never fired twice.
"""

from __future__ import annotations

from datetime import datetime

from models.action import ActionStatus
from models.audit import Actor
from models.escalation import EscalationRule
from models.formatting import long_date
from models.messages import ActionState
from models.timer import PendingTimerRecord
from notifications.types import (
    MessageType,
    OwnerAcknowledgementReminder,
    OwnerActionOverdue,
    OwnerNamingReminder,
    OwnerUpdateReminder,
)
from workflows.action_rules.escalations import escalate
from workflows.action_rules.messages import (
    action_facts,
    case_facts,
    tell_engagement_lead,
    tell_owner,
)
from workflows.step import Step


def pending_timers(s: ActionState) -> list[PendingTimerRecord]:
    """The timers still to fire, soonest first."""
    r, p = s.record, s.policy
    if r.closed_at is not None or r.is_history:
        return []  # a historical record is chased by no one until it is taken on
    out: list[PendingTimerRecord] = []

    def add(key: str, kind: str, due: datetime, description: str) -> None:
        if key not in s.fired:
            out.append(PendingTimerRecord(key=key, kind=kind, due_at=due, description=description))

    if r.status is ActionStatus.unassigned and s.unassigned_since is not None:
        add(
            f"naming-reminder#{s.epoch}",
            "owner_naming_reminder",
            p.after(s.unassigned_since, p.owner_naming_reminder),
            "Engagement lead reminded to name an owner",
        )
        add(
            f"naming-escalation#{s.epoch}",
            "owner_naming_escalation",
            p.after(s.unassigned_since, p.owner_naming_escalation),
            "Escalation to the Community Voice Lead: no owner named",
        )
    if r.status is ActionStatus.awaiting_acknowledgement and r.linked_at is not None:
        add(
            f"ack-reminder#{s.epoch}",
            "acknowledgement_reminder",
            p.after(r.linked_at, p.acknowledgement_reminder),
            f"{r.owner_name} reminded to acknowledge",
        )
        add(
            f"ack-escalation#{s.epoch}",
            "acknowledgement_escalation",
            p.after(r.linked_at, p.acknowledgement_escalation),
            "Escalation to the Community Voice Lead: not acknowledged",
        )
    if r.status is ActionStatus.in_progress and r.last_progress_at is not None:
        stamp = r.last_progress_at.isoformat()
        add(
            f"update-reminder@{stamp}",
            "update_reminder",
            p.after(r.last_progress_at, p.update_reminder),
            f"{r.owner_name} asked for a progress update",
        )
        add(
            f"update-escalation@{stamp}",
            "update_escalation",
            p.after(r.last_progress_at, p.update_escalation),
            "Escalation to the Community Voice Lead: no progress update",
        )
    if r.due_at is not None and r.status is not ActionStatus.cannot_deliver:
        stamp = r.due_at.isoformat()
        add(
            f"due-soon@{stamp}",
            "due_soon",
            p.before(r.due_at, p.amber_window),
            "RAG turns amber: the due date is near",
        )
        add(
            f"overdue@{stamp}",
            "overdue",
            r.due_at,
            "Overdue: RAG turns red, owner told, escalation to the Community Voice Lead",
        )
    return sorted(out, key=lambda t: t.due_at)


def fire(s: ActionState, timer: PendingTimerRecord, step: Step) -> None:
    """Do what a timer is for, once."""
    s.fired.append(timer.key)
    r = s.record
    system = Actor.system()
    match timer.kind:
        case "owner_naming_reminder":
            tell_engagement_lead(
                s,
                step,
                MessageType.owner_naming_reminder,
                OwnerNamingReminder(
                    case=case_facts(s),
                    action=action_facts(s),
                    owner_as_written=r.owner_as_written,
                    escalates_at=s.policy.after(
                        s.unassigned_since or step.at, s.policy.owner_naming_escalation
                    ),
                ),
            )
        case "owner_naming_escalation":
            escalate(
                s,
                step,
                EscalationRule.owner_not_named,
                f"No owner has been named since {long_date(s.unassigned_since)}.",
            )
        case "acknowledgement_reminder":
            tell_owner(
                s,
                step,
                MessageType.owner_acknowledgement_reminder,
                OwnerAcknowledgementReminder(
                    case=case_facts(s),
                    action=action_facts(s),
                    assignment_no=r.assignment_no,
                    escalates_at=s.policy.after(
                        r.linked_at or step.at, s.policy.acknowledgement_escalation
                    ),
                ),
            )
        case "acknowledgement_escalation":
            escalate(
                s,
                step,
                EscalationRule.not_acknowledged,
                f"{r.owner_name} has not acknowledged it since it was linked to them on "
                f"{long_date(r.linked_at)}.",
            )
        case "update_reminder":
            assert r.last_progress_at is not None
            tell_owner(
                s,
                step,
                MessageType.owner_update_reminder,
                OwnerUpdateReminder(
                    case=case_facts(s),
                    action=action_facts(s),
                    assignment_no=r.assignment_no,
                    last_progress_at=r.last_progress_at,
                    escalates_at=s.policy.after(r.last_progress_at, s.policy.update_escalation),
                ),
            )
        case "update_escalation":
            escalate(
                s,
                step,
                EscalationRule.no_update,
                f"No progress update since {long_date(r.last_progress_at)}.",
            )
        case "due_soon":
            step.audit(system, "action.due_soon", f"Due soon: {long_date(r.due_date)}")
        case "overdue":
            tell_owner(
                s,
                step,
                MessageType.owner_action_overdue,
                OwnerActionOverdue(
                    case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no
                ),
            )
            escalate(
                s,
                step,
                EscalationRule.overdue,
                f"It was due {long_date(r.due_date)} and is not done.",
            )
        case _:  # pragma: no cover - a timer kind this code does not know
            raise ValueError(f"unknown timer kind {timer.kind}")
