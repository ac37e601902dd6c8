"""Who is told what about an action: the facts each message carries and who receives it.

The owner (with the engagement lead as reply-to), the engagement lead, and the presenters when
an action closes; an owner who used their link also gets a receipt of what was recorded.
"""

from __future__ import annotations

from models.audit import ActorKind
from models.commands import ActionCommand
from models.messages import ActionState
from models.outbox import RecipientRole
from notifications.types import (
    ActionFacts,
    CaseFacts,
    Facts,
    MessageType,
    OwnerReceipt,
    PresenterActionClosed,
)
from workflows.step import Step


def case_facts(s: ActionState) -> CaseFacts:
    return CaseFacts.of(s.context)


def action_facts(s: ActionState) -> ActionFacts:
    return ActionFacts.of(s.record)


def tell_owner(s: ActionState, step: Step, kind: MessageType, facts: Facts) -> None:
    r = s.record
    if r.owner_name is None:
        return
    step.message(
        kind,
        facts,
        role=RecipientRole.owner,
        name=r.owner_name,
        email=r.owner_email,
        reply_to=s.context.leads.engagement_lead_email,
    )


def tell_engagement_lead(s: ActionState, step: Step, kind: MessageType, facts: Facts) -> None:
    leads = s.context.leads
    step.message(
        kind,
        facts,
        role=RecipientRole.engagement_lead,
        name=leads.engagement_lead_name,
        email=leads.engagement_lead_email,
    )


def tell_presenters(s: ActionState, step: Step, outcome: str, what: str) -> None:
    for p in s.context.presenters:
        step.message(
            MessageType.presenter_action_closed,
            PresenterActionClosed(
                case=case_facts(s),
                action=action_facts(s),
                presenter_id=p.id,
                presenter_name=p.display_name,
                greeting=p.greeting_name,
                outcome=outcome,
                what_was_done=what,
            ),
            role=RecipientRole.presenter,
            name=p.display_name,
            email=p.email,
            route=p.preferred_contact,
            reply_to=s.context.leads.engagement_lead_email,
        )


#: What an owner can do through their link; each gets an email receipt.
OWNER_LINK_COMMANDS = frozenset(
    {"acknowledge", "post_update", "mark_done", "cannot_deliver", "decline"}
)


def send_owner_receipt(
    s: ActionState,
    cmd: ActionCommand,
    before: tuple[ActionFacts, str | None],
    receipt: str,
    step: Step,
) -> None:
    """An owner who used their link gets an email saying what we recorded."""
    facts, email = before
    if (
        cmd.actor.kind is not ActorKind.owner_link
        or cmd.kind not in OWNER_LINK_COMMANDS
        or facts.owner_id is None
        or facts.owner_name is None
    ):
        return
    r = s.record
    said = {
        "acknowledge": getattr(cmd, "note", None),
        "post_update": getattr(cmd, "text", None),
        "mark_done": getattr(cmd, "text", None),
        "cannot_deliver": getattr(cmd, "reason", None),
        "decline": getattr(cmd, "reason", None),
    }[cmd.kind]
    rag = getattr(cmd, "rag", None)
    step.message(
        MessageType.owner_receipt,
        OwnerReceipt(
            case=case_facts(s),
            action=facts,
            owner_id=facts.owner_id,
            assignment_no=r.assignment_no,
            command=cmd.kind,
            said=said,
            rag=rag.value if rag is not None else None,
            still_on_track=bool(getattr(cmd, "still_on_track", False)),
            receipt=receipt,
            link_open=r.closed_at is None and r.owner_id == facts.owner_id,
        ),
        role=RecipientRole.owner,
        name=facts.owner_name,
        email=email,
        reply_to=s.context.leads.engagement_lead_email,
    )
