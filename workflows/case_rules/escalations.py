"""A case's escalations to the Community Voice Lead: raising one, resolving one by rule or by
hand, and a bounce on a case-level message (a presenter who cannot be reached)."""

from __future__ import annotations

import uuid
from datetime import datetime

from models.audit import Actor
from models.commands import ReportUndeliverable, ResolveEscalation
from models.escalation import EscalationRule
from models.messages import CaseState, EscalationRef
from models.outbox import RecipientRole
from notifications.types import ActionFacts, EscalationRaised
from workflows.case_rules.context import case_facts
from workflows.refused import Refused
from workflows.step import Step


def escalate(
    s: CaseState,
    step: Step,
    rule: EscalationRule,
    reason: str,
    by: Actor | None = None,
    action: ActionFacts | None = None,
) -> None:
    def facts(escalation_id: uuid.UUID) -> EscalationRaised:
        return EscalationRaised(
            case=case_facts(s),
            action=action,
            escalation_id=escalation_id,
            rule=rule.value,
            reason=reason,
        )

    s.open_escalations.append(
        step.escalate(rule=rule, reason=reason, leads=s.leads, facts=facts, raised_by=by)
    )


def resolve_rule(s: CaseState, step: Step, rule: EscalationRule, note: str, by: Actor) -> None:
    """Resolve the open escalations raised by ``rule`` (their cause is gone)."""
    keep: list[EscalationRef] = []
    for ref in s.open_escalations:
        if ref.rule is rule:
            step.resolve(ref, by=by, note=note)
        else:
            keep.append(ref)
    s.open_escalations = keep


# --- commands ---------------------------------------------------------------------------------


def resolve(s: CaseState, cmd: ResolveEscalation, at: datetime, step: Step) -> str:
    ref = next((e for e in s.open_escalations if e.id == cmd.escalation_id), None)
    if ref is None:
        raise Refused("That escalation is not open on this case: it may be resolved already.")
    s.open_escalations.remove(ref)
    step.resolve(ref, by=cmd.actor, note=cmd.note, at=at)
    return "Escalation resolved."


def report_undeliverable(s: CaseState, cmd: ReportUndeliverable, at: datetime, step: Step) -> str:
    """A bounce on a case-level message. A presenter's is escalated; staff's are only recorded
    (an escalation email to a bouncing lead would bounce in turn)."""
    step.audit(
        cmd.actor,
        "message.undeliverable",
        f"Email to {cmd.recipient_name} <{cmd.address}> could not be delivered: {cmd.error}",
        at=at,
        outbox_id=cmd.outbox_id,
    )
    if cmd.recipient_role != RecipientRole.presenter.value:
        return "Recorded: the message could not be delivered."
    key = f"unreachable:{cmd.address.lower()}"
    if key in s.fired:
        return "Recorded: this presenter is already escalated as unreachable."
    s.fired.append(key)
    with step.happening_at(at):
        escalate(
            s,
            step,
            EscalationRule.presenter_unreachable,
            f"Email to the presenter {cmd.recipient_name} at {cmd.address} is refused by their "
            f"mail server ({cmd.error}). Reach them another way and correct the address.",
        )
    return "Escalated to the Community Voice Lead: the presenter cannot be reached by email."
