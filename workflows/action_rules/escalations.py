"""An action's escalations to the Community Voice Lead: raising one, resolving those whose
cause is gone, and the commands that raise or resolve one by hand or on a bounce."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from models.action import OWNED
from models.audit import Actor
from models.commands import RaiseEscalation, ReportUndeliverable, ResolveEscalation
from models.escalation import EscalationRule
from models.messages import ActionState
from models.outbox import RecipientRole
from notifications.types import EscalationRaised
from workflows.action_rules.messages import action_facts, case_facts
from workflows.refused import Refused
from workflows.step import Step

#: The escalations about who owns the action: resolved when an owner is named or hands it back.
OWNERSHIP_RULES = {
    EscalationRule.owner_not_named,
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.cannot_deliver,
    EscalationRule.owner_unreachable,
}


def _escalation_facts(
    s: ActionState, rule: EscalationRule, reason: str
) -> Callable[[uuid.UUID], EscalationRaised]:
    def build(escalation_id: uuid.UUID) -> EscalationRaised:
        return EscalationRaised(
            case=case_facts(s),
            action=action_facts(s),
            escalation_id=escalation_id,
            rule=rule.value,
            reason=reason,
        )

    return build


def escalate(
    s: ActionState, step: Step, rule: EscalationRule, reason: str, by: Actor | None = None
) -> None:
    ref = step.escalate(
        rule=rule,
        reason=reason,
        leads=s.context.leads,
        facts=_escalation_facts(s, rule, reason),
        raised_by=by,
    )
    s.open_escalations.append(ref)


def resolve_where(
    s: ActionState, step: Step, rules: set[EscalationRule] | None, note: str, by: Actor
) -> None:
    """Resolve the open escalations whose cause is gone (``rules=None``: all of them)."""
    keep = []
    for ref in s.open_escalations:
        if rules is None or ref.rule in rules:
            step.resolve(ref, by=by, note=note)
        else:
            keep.append(ref)
    s.open_escalations = keep


# --- commands ---------------------------------------------------------------------------------


def raise_escalation(s: ActionState, cmd: RaiseEscalation, at: datetime, step: Step) -> str:
    with step.happening_at(at):
        escalate(s, step, EscalationRule.manual, cmd.reason, by=cmd.actor)
    return "Escalated to the Community Voice Lead."


def resolve_escalation(s: ActionState, cmd: ResolveEscalation, at: datetime, step: Step) -> str:
    ref = next((e for e in s.open_escalations if e.id == cmd.escalation_id), None)
    if ref is None:
        raise Refused("That escalation is not open on this action: it may be resolved already.")
    s.open_escalations.remove(ref)
    step.resolve(ref, by=cmd.actor, note=cmd.note, at=at)
    return "Escalation resolved."


def report_undeliverable(s: ActionState, cmd: ReportUndeliverable, at: datetime, step: Step) -> str:
    """A message was refused for good: the owner's bounce is an 'owner unreachable' escalation."""
    r = s.record
    step.audit(
        cmd.actor,
        "message.undeliverable",
        f"Email to {cmd.recipient_name} <{cmd.address}> could not be delivered: {cmd.error}",
        at=at,
        outbox_id=cmd.outbox_id,
    )
    current_owner = (
        cmd.recipient_role == RecipientRole.owner.value
        and r.status in OWNED
        and (r.owner_email or "").lower() == cmd.address.lower()
    )
    if not current_owner:
        return "Recorded: the message could not be delivered."
    if any(e.rule is EscalationRule.owner_unreachable for e in s.open_escalations):
        return "Recorded: the owner is already escalated as unreachable."
    with step.happening_at(at):
        escalate(
            s,
            step,
            EscalationRule.owner_unreachable,
            f"Email to {r.owner_name} at {cmd.address} is refused by their mail server "
            f"({cmd.error}). Check the address, or name another owner.",
        )
    return "Escalated to the Community Voice Lead: the owner cannot be reached by email."
