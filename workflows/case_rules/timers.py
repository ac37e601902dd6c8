"""A case's timer rules (DESIGN.md §5): chasing contact with the presenters after the meeting.

``pending_timers`` says when each fires and ``fire`` what it does: the engagement lead is
reminded ``presenter_contact_reminder`` after the meeting day (the board's policy), and it is
escalated ``presenter_contact_escalation`` after it. Both run only while contact is due: a
session that was held (or held with no action), not imported from past records, with
presenters, and contact not yet confirmed.
"""

from __future__ import annotations

from datetime import datetime, time

from models.case import CONTACT_OUTCOMES
from models.escalation import EscalationRule
from models.formatting import session_on
from models.messages import CaseState
from models.outbox import RecipientRole
from models.policy import LONDON, PolicyDuration
from models.timer import PendingTimerRecord
from notifications.types import MessageType, PresenterContactReminder
from workflows.case_rules.context import case_facts
from workflows.case_rules.escalations import escalate
from workflows.step import Step


def contact_start(s: CaseState, duration: PolicyDuration) -> datetime:
    """Presenter contact is counted from the meeting day (clock units: from recording)."""
    if duration.is_clock:
        return s.record.recorded_at
    return datetime.combine(s.record.meeting_date, time(12), tzinfo=LONDON)


def contact_due(s: CaseState) -> bool:
    r = s.record
    return (
        r.outcome in CONTACT_OUTCOMES
        and not r.historical
        and bool(s.presenters)
        and r.presenter_contact_confirmed_at is None
    )


def pending_timers(s: CaseState) -> list[PendingTimerRecord]:
    """The timers still to fire."""
    if not contact_due(s):
        return []
    p = s.policy
    out = [
        PendingTimerRecord(
            key="contact-reminder",
            kind="presenter_contact_reminder",
            due_at=p.after(
                contact_start(s, p.presenter_contact_reminder), p.presenter_contact_reminder
            ),
            description="Engagement lead reminded to contact the presenters",
        ),
        PendingTimerRecord(
            key="contact-escalation",
            kind="presenter_contact_escalation",
            due_at=p.after(
                contact_start(s, p.presenter_contact_escalation), p.presenter_contact_escalation
            ),
            description="Escalation to the Community Voice Lead: presenters not contacted",
        ),
    ]
    return [t for t in out if t.key not in s.fired]


def fire(s: CaseState, timer: PendingTimerRecord, step: Step) -> None:
    """Do what a timer is for, once."""
    s.fired.append(timer.key)
    names = [p.display_name for p in s.presenters]
    if timer.kind == "presenter_contact_reminder":
        p = s.policy
        step.message(
            MessageType.presenter_contact_reminder,
            PresenterContactReminder(
                case=case_facts(s),
                presenters=names,
                escalates_at=p.after(
                    contact_start(s, p.presenter_contact_escalation), p.presenter_contact_escalation
                ),
            ),
            role=RecipientRole.engagement_lead,
            name=s.leads.engagement_lead_name,
            email=s.leads.engagement_lead_email,
        )
    elif timer.kind == "presenter_contact_escalation":
        escalate(
            s,
            step,
            EscalationRule.presenter_contact_overdue,
            f"No contact with the presenters ({', '.join(names)}) has been confirmed since the "
            f"meeting {session_on(s.record)}.",
        )
    else:  # pragma: no cover
        raise ValueError(f"unknown timer kind {timer.kind}")
