"""A case's life: recording the session (and thanking the presenters), keeping track of its
actions, and closing when every action is closed."""

from __future__ import annotations

from models.action import ActionRecord
from models.audit import Actor
from models.case import CONTACT_OUTCOMES, OUTCOME_LABELS, CaseOutcome, CaseStatus
from models.inbox import CommandStatus
from models.messages import ActionBrief, ActionClosed, CaseState
from models.outbox import RecipientRole
from notifications.types import ActionFacts, MessageType, PresenterThanks
from workflows.case_rules.context import case_facts
from workflows.step import Step


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def on_start(s: CaseState, step: Step) -> None:
    """Record the session, its presenters and actions; thank the presenters."""
    r = s.record
    actions = s.unstarted_actions
    s.actions = {str(a.id): brief(a) for a in actions}
    if not actions:
        r.status, r.closed_at = CaseStatus.closed, r.recorded_at
    step.record.presenters = list(s.presenters)
    step.record.actions = list(actions)
    step.record.updates = list(s.recorded_updates)
    s.recorded_updates = []
    step.audit(
        s.started_by,
        "case.recorded",
        "Session recorded"
        + ("" if r.outcome is CaseOutcome.held else f" ({OUTCOME_LABELS[r.outcome].lower()})")
        + f": {_count(len(s.presenters), 'presenter')}, {_count(len(actions), 'action')}"
        + (" — imported from past records" if r.historical else ""),
        at=r.recorded_at,
    )
    if s.start_command_id is not None:
        step.outcome(s.start_command_id, CommandStatus.applied, "The session is recorded.")
    if r.outcome in CONTACT_OUTCOMES and not r.historical:
        for p in s.presenters:
            step.message(
                MessageType.presenter_thanks,
                PresenterThanks(
                    case=case_facts(s),
                    presenter_id=p.id,
                    presenter_name=p.display_name,
                    greeting=p.greeting_name,
                    actions=[ActionFacts.of(a) for a in actions],
                ),
                role=RecipientRole.presenter,
                name=p.display_name,
                email=p.email,
                route=p.preferred_contact,
                reply_to=s.leads.engagement_lead_email,
            )


def brief(a: ActionRecord) -> ActionBrief:
    """What the case keeps about each of its actions."""
    return ActionBrief(seq=a.seq, status=a.status, closed=a.closed_at is not None, text=a.text)


def action_closed(s: CaseState, closed: ActionClosed, step: Step) -> None:
    brief = s.actions.get(str(closed.action_id))
    if brief is None or brief.closed:
        return
    brief.closed = True
    brief.status = closed.status
    at = closed.closed_at
    if all(b.closed for b in s.actions.values()) and s.record.status is CaseStatus.open:
        s.record.status, s.record.closed_at = CaseStatus.closed, at
        step.audit(Actor.system(), "case.closed", "Case closed: every action is closed", at=at)
