"""Who owns an action: naming or changing its owner, the owner acknowledging it, and the owner
handing it back ("not mine")."""

from __future__ import annotations

from datetime import datetime

from models.action import OWNED, ActionStatus, UpdateKind
from models.audit import Actor
from models.commands import Acknowledge, AssignOwner, Decline
from models.escalation import EscalationRule
from models.messages import ActionState
from models.outbox import RecipientRole
from notifications.types import (
    MessageType,
    OwnerActionAssigned,
    OwnerActionReassigned,
    OwnerDeclinedAction,
)
from workflows.action_rules.escalations import OWNERSHIP_RULES, resolve_where
from workflows.action_rules.messages import action_facts, case_facts, tell_owner
from workflows.refused import Refused
from workflows.step import Step


def assign_owner(s: ActionState, cmd: AssignOwner, at: datetime, step: Step) -> str:
    r = s.record
    if r.owner_id == cmd.owner.id and r.status in OWNED:
        raise Refused(f"{cmd.owner.name} is already the owner of this action.")
    previous = (r.owner_name, r.owner_email) if r.status in OWNED else None
    r.owner_id, r.owner_name, r.owner_email = cmd.owner.id, cmd.owner.name, cmd.owner.email
    r.partner_id, r.partner_name = cmd.owner.partner_id, cmd.owner.partner_name
    r.assignment_no += 1
    s.epoch += 1
    r.status = ActionStatus.awaiting_acknowledgement
    r.linked_at, r.acknowledged_at, r.stated_rag = at, None, None
    s.unassigned_since = None
    who = f"{cmd.owner.name} ({cmd.owner.partner_name})"
    if previous and previous[0]:
        step.message(
            MessageType.owner_action_reassigned,
            OwnerActionReassigned(
                case=case_facts(s), action=action_facts(s), new_owner_name=cmd.owner.name
            ),
            role=RecipientRole.owner,
            name=previous[0],
            email=previous[1],
            reply_to=s.context.leads.engagement_lead_email,
        )
        summary = f"Reassigned from {previous[0]} to {who}"
    else:
        summary = f"Owner named: {who}"
    step.audit(cmd.actor, "action.owner_assigned", summary, at=at, note=cmd.note)
    resolve_where(s, step, OWNERSHIP_RULES, f"Owner named: {who}.", cmd.actor)
    tell_owner(
        s,
        step,
        MessageType.owner_action_assigned,
        OwnerActionAssigned(
            case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no, note=cmd.note
        ),
    )
    return f"{cmd.owner.name} is now the owner and has been asked to acknowledge the action."


def acknowledge(s: ActionState, cmd: Acknowledge, at: datetime, step: Step) -> str:
    mark_acknowledged(s, cmd.actor, at, step)
    if cmd.note:
        step.log_update(
            kind=UpdateKind.note, text=cmd.note, author=cmd.actor, at=at, rag_at_time=s.record.rag
        )
    return "Acknowledged. Thank you: the engagement lead can see you have it."


def mark_acknowledged(s: ActionState, actor: Actor, at: datetime, step: Step) -> None:
    """The owner has it (an acknowledgement, or a first update that implies one)."""
    r = s.record
    r.status = ActionStatus.in_progress
    r.acknowledged_at = at
    r.last_progress_at = at
    step.audit(actor, "action.acknowledged", f"Acknowledged by {actor.name}", at=at)
    resolve_where(
        s, step, {EscalationRule.not_acknowledged}, "The owner acknowledged the action.", actor
    )


def decline(s: ActionState, cmd: Decline, at: datetime, step: Step) -> str:
    r = s.record
    declined_by = r.owner_name or cmd.actor.name
    declined_email = r.owner_email
    facts = action_facts(s)
    r.owner_id = r.owner_name = r.owner_email = None
    r.status = ActionStatus.unassigned
    r.acknowledged_at, r.stated_rag = None, None
    s.epoch += 1
    s.unassigned_since = at
    suggestion = f" Suggested owner: {cmd.suggested_owner}." if cmd.suggested_owner else ""
    step.log_update(
        kind=UpdateKind.declined,
        text=f"Not mine: {cmd.reason}.{suggestion}",
        author=cmd.actor,
        at=at,
        rag_at_time=r.rag,
    )
    step.audit(cmd.actor, "action.declined", f"{declined_by} says it is not theirs: {cmd.reason}")
    resolve_where(s, step, OWNERSHIP_RULES, f"{declined_by} handed the action back.", cmd.actor)
    leads = s.context.leads
    step.message(
        MessageType.owner_declined_action,
        OwnerDeclinedAction(
            case=case_facts(s),
            action=facts,
            declined_by=declined_by,
            reason=cmd.reason,
            suggested_owner=cmd.suggested_owner,
        ),
        role=RecipientRole.engagement_lead,
        name=leads.engagement_lead_name,
        email=leads.engagement_lead_email,
        reply_to=declined_email,
    )
    return "Thank you. The engagement lead will find the right owner."
