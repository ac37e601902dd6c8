"""What happens to an action: its timers, what each timer does, and each command's effect.

Pure functions over ``ActionState``: the ``ActionWorkflow`` calls them and records the ``Step``
they fill. Time comes in as ``now``; nothing here does I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from models.action import OWNED, ActionStatus, UpdateKind
from models.audit import Actor, ActorKind
from models.commands import (
    Acknowledge,
    ActionCommand,
    AddNote,
    AssignOwner,
    CannotDeliver,
    ClearRagOverride,
    CloseAction,
    Decline,
    ExtendDueDate,
    MarkDone,
    OverrideRag,
    PostUpdate,
    RaiseEscalation,
    ReportUndeliverable,
    ResolveEscalation,
    WithdrawAction,
    refusal,
)
from models.escalation import EscalationRule
from models.formatting import date_and_time, long_date
from models.messages import ActionState
from models.outbox import RecipientRole
from models.policy import end_of_day
from models.rag import LABELS, RagFacts, RagOverride, derive_rag, shown_rag
from models.timer import PendingTimerRecord
from notifications.types import (
    ActionFacts,
    CaseFacts,
    EscalationRaised,
    Facts,
    MessageType,
    OwnerAcknowledgementReminder,
    OwnerActionAssigned,
    OwnerActionOverdue,
    OwnerActionReassigned,
    OwnerDeclinedAction,
    OwnerNamingReminder,
    OwnerReceipt,
    OwnerUpdateReminder,
    PresenterActionClosed,
)
from workflows.step import Step


class Refused(Exception):
    """A command that cannot apply; its message is shown to the person who sent it."""


# --- facts for messages -----------------------------------------------------------------------


def case_facts(s: ActionState) -> CaseFacts:
    return CaseFacts.of(s.context)


def action_facts(s: ActionState) -> ActionFacts:
    return ActionFacts.of(s.record)


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


def _tell_owner(s: ActionState, step: Step, kind: MessageType, facts: Facts) -> None:
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


def _tell_engagement_lead(s: ActionState, step: Step, kind: MessageType, facts: Facts) -> None:
    leads = s.context.leads
    step.message(
        kind,
        facts,
        role=RecipientRole.engagement_lead,
        name=leads.engagement_lead_name,
        email=leads.engagement_lead_email,
    )


def _tell_presenters(s: ActionState, step: Step, outcome: str, what: str) -> None:
    for p in s.context.presenters:
        step.message(
            MessageType.presenter_action_closed,
            PresenterActionClosed(
                case=case_facts(s),
                action=action_facts(s),
                presenter_id=p.id,
                presenter_name=p.display_name,
                outcome=outcome,
                what_was_done=what,
            ),
            role=RecipientRole.presenter,
            name=p.display_name,
            email=p.email,
            route=p.preferred_contact,
            reply_to=s.context.leads.engagement_lead_email,
        )


# --- timers -----------------------------------------------------------------------------------


def timers(s: ActionState) -> list[PendingTimerRecord]:
    """The timers still to fire, soonest first."""
    r, p = s.record, s.policy
    if r.closed_at is not None:
        return []
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
            _tell_engagement_lead(
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
            _tell_owner(
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
            _tell_owner(
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
            _tell_owner(
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


# --- RAG --------------------------------------------------------------------------------------


def rag_facts(s: ActionState) -> RagFacts:
    r, p = s.record, s.policy
    is_open = r.closed_at is None
    due = r.due_at if is_open and r.status is not ActionStatus.cannot_deliver else None
    return RagFacts(
        closed_as_done=r.status is ActionStatus.done,
        cannot_deliver=r.status is ActionStatus.cannot_deliver,
        open_escalations=len(s.open_escalations),
        overdue_at=due,
        amber_from=p.before(due, p.amber_window) if due else None,
        stale_from=(
            p.after(r.last_progress_at, p.update_reminder)
            if r.status is ActionStatus.in_progress and r.last_progress_at
            else None
        ),
        not_acknowledged_from=(
            p.after(r.linked_at, p.acknowledgement_reminder)
            if r.status is ActionStatus.awaiting_acknowledgement and r.linked_at
            else None
        ),
        no_owner_from=(
            p.after(s.unassigned_since, p.owner_naming_reminder)
            if r.status is ActionStatus.unassigned and s.unassigned_since
            else None
        ),
        due_label=long_date(r.due_date),
    )


def refresh_rag(s: ActionState, now: datetime, step: Step) -> None:
    """Recompute the shown RAG; record a change of colour with its cause."""
    r = s.record
    if r.status is ActionStatus.withdrawn:
        return
    derived = derive_rag(rag_facts(s), now)
    if s.override is not None and derived.rag is not s.override.derived_at_time:
        step.audit(
            Actor.system(),
            "rag.override_lapsed",
            f"The Community Voice Lead's {LABELS[s.override.rag]} rating lapsed: "
            f"the facts changed ({derived.cause}).",
        )
        s.override = None
    shown = shown_rag(derived, r.stated_rag, s.override)
    if shown.rag is not r.rag:
        step.rag_changed(r.rag, shown)
        step.audit(
            Actor.system(),
            "rag.changed",
            f"RAG {LABELS[r.rag]} → {LABELS[shown.rag]}: {shown.cause}",
            from_rag=r.rag.value,
            to_rag=shown.rag.value,
        )
    r.rag, r.rag_cause, r.rag_source = shown.rag, shown.cause, shown.source


# --- commands ---------------------------------------------------------------------------------


def apply(s: ActionState, cmd: ActionCommand, now: datetime, step: Step) -> str:
    """Apply one command; returns the receipt text or raises ``Refused``."""
    r = s.record
    if cmd.for_assignment is not None and cmd.for_assignment != r.assignment_no:
        raise Refused(
            "This link was for an earlier owner of this action: it has since been passed to "
            "someone else, so nothing was changed."
        )
    why = refusal(cmd.kind, r.status, r.closed_at is not None)
    if why:
        raise Refused(why)
    at = min(cmd.received_at, now)
    handler: Callable[[ActionState, Any, datetime, Step], str] = _HANDLERS[cmd.kind]
    before = action_facts(s), r.owner_email
    receipt = handler(s, cmd, at, step)
    _send_owner_receipt(s, cmd, before, receipt, step)
    return receipt


#: What an owner can do through their link; each gets an email receipt.
_OWNER_LINK_COMMANDS = frozenset(
    {"acknowledge", "post_update", "mark_done", "cannot_deliver", "decline"}
)


def _send_owner_receipt(
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
        or cmd.kind not in _OWNER_LINK_COMMANDS
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


_OWNERSHIP_RULES = {
    EscalationRule.owner_not_named,
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.cannot_deliver,
    EscalationRule.owner_unreachable,
}


def _assign_owner(s: ActionState, cmd: AssignOwner, at: datetime, step: Step) -> str:
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
    resolve_where(s, step, _OWNERSHIP_RULES, f"Owner named: {who}.", cmd.actor)
    _tell_owner(
        s,
        step,
        MessageType.owner_action_assigned,
        OwnerActionAssigned(
            case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no, note=cmd.note
        ),
    )
    return f"{cmd.owner.name} is now the owner and has been asked to acknowledge the action."


def _acknowledge(s: ActionState, cmd: Acknowledge, at: datetime, step: Step) -> str:
    _mark_acknowledged(s, cmd.actor, at, step)
    if cmd.note:
        step.log_update(
            kind=UpdateKind.note, text=cmd.note, author=cmd.actor, at=at, rag_at_time=s.record.rag
        )
    return "Acknowledged. Thank you: the engagement lead can see you have it."


def _mark_acknowledged(s: ActionState, actor: Actor, at: datetime, step: Step) -> None:
    r = s.record
    r.status = ActionStatus.in_progress
    r.acknowledged_at = at
    r.last_progress_at = at
    step.audit(actor, "action.acknowledged", f"Acknowledged by {actor.name}", at=at)
    resolve_where(
        s, step, {EscalationRule.not_acknowledged}, "The owner acknowledged the action.", actor
    )


def _post_update(s: ActionState, cmd: PostUpdate, at: datetime, step: Step) -> str:
    r = s.record
    if r.status is ActionStatus.awaiting_acknowledgement:
        _mark_acknowledged(s, cmd.actor, at, step)
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


def _close(s: ActionState, at: datetime, note: str, by: Actor, step: Step) -> None:
    r = s.record
    r.closed_at = at
    r.closure_note = note
    resolve_where(s, step, None, f"The action was closed ({r.status.value.replace('_', ' ')}).", by)


def _mark_done(s: ActionState, cmd: MarkDone, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.done
    r.closed_on_time = None if r.due_at is None else at <= r.due_at
    r.last_progress_at = at
    _close(s, at, cmd.text, cmd.actor, step)
    refresh_rag(s, at, step)
    step.log_update(kind=UpdateKind.done, text=cmd.text, author=cmd.actor, at=at, rag_at_time=r.rag)
    on_time = {True: " on time", False: " late", None: ""}[r.closed_on_time]
    step.audit(cmd.actor, "action.done", f"Marked done{on_time}: {cmd.text}", at=at)
    _tell_presenters(s, step, "done", cmd.text)
    return "Marked as done. The presenters will be told what was done."


def _cannot_deliver(s: ActionState, cmd: CannotDeliver, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.cannot_deliver
    step.audit(cmd.actor, "action.cannot_deliver", f"Cannot be delivered: {cmd.reason}", at=at)
    escalate(s, step, EscalationRule.cannot_deliver, cmd.reason, by=cmd.actor)
    refresh_rag(s, at, step)
    step.log_update(
        kind=UpdateKind.cannot_deliver, text=cmd.reason, author=cmd.actor, at=at, rag_at_time=r.rag
    )
    return "Recorded. The Community Voice Lead has been told it cannot be delivered."


def _decline(s: ActionState, cmd: Decline, at: datetime, step: Step) -> str:
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
    resolve_where(s, step, _OWNERSHIP_RULES, f"{declined_by} handed the action back.", cmd.actor)
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


def _extend_due_date(s: ActionState, cmd: ExtendDueDate, at: datetime, step: Step) -> str:
    r = s.record
    if cmd.due_date < s.context.meeting_date:
        raise Refused(
            f"The new due date {long_date(cmd.due_date)} is before the meeting on "
            f"{long_date(s.context.meeting_date)}."
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


def _override_rag(s: ActionState, cmd: OverrideRag, at: datetime, step: Step) -> str:
    s.override = RagOverride(
        rag=cmd.rag,
        reason=cmd.reason,
        by=cmd.actor.name,
        at=at,
        derived_at_time=derive_rag(rag_facts(s), at).rag,
    )
    step.audit(cmd.actor, "rag.overridden", f"RAG set to {LABELS[cmd.rag]}: {cmd.reason}", at=at)
    return f"RAG set to {LABELS[cmd.rag]}. It stands until you clear it or the facts change."


def _clear_rag_override(s: ActionState, cmd: ClearRagOverride, at: datetime, step: Step) -> str:
    if s.override is None:
        raise Refused("There is no RAG override on this action to clear.")
    s.override = None
    step.audit(
        cmd.actor, "rag.override_cleared", f"RAG override cleared. {cmd.reason or ''}", at=at
    )
    return "RAG override cleared: the rating now follows the facts."


def _withdraw(s: ActionState, cmd: WithdrawAction, at: datetime, step: Step) -> str:
    r = s.record
    r.status = ActionStatus.withdrawn
    r.closed_on_time = None
    _close(s, at, cmd.reason, cmd.actor, step)
    r.rag_cause = f"Withdrawn: {cmd.reason}"
    step.audit(cmd.actor, "action.withdrawn", f"Withdrawn: {cmd.reason}", at=at)
    _tell_presenters(s, step, "withdrawn", cmd.reason)
    return "The action is withdrawn. The presenters will be told why."


def _close_action(s: ActionState, cmd: CloseAction, at: datetime, step: Step) -> str:
    s.record.closed_on_time = False
    _close(s, at, cmd.reason, cmd.actor, step)
    step.audit(cmd.actor, "action.closed", f"Closed as not delivered: {cmd.reason}", at=at)
    _tell_presenters(s, step, "not_delivered", cmd.reason)
    return "The action is closed as not delivered. The presenters will be told why."


def _add_note(s: ActionState, cmd: AddNote, at: datetime, step: Step) -> str:
    step.log_update(
        kind=UpdateKind.note, text=cmd.text, author=cmd.actor, at=at, rag_at_time=s.record.rag
    )
    step.audit(cmd.actor, "action.note_added", f"Note: {cmd.text}", at=at)
    return "Note added."


def _raise_escalation(s: ActionState, cmd: RaiseEscalation, at: datetime, step: Step) -> str:
    with step.happening_at(at):
        escalate(s, step, EscalationRule.manual, cmd.reason, by=cmd.actor)
    return "Escalated to the Community Voice Lead."


def _resolve_escalation(s: ActionState, cmd: ResolveEscalation, at: datetime, step: Step) -> str:
    ref = next((e for e in s.open_escalations if e.id == cmd.escalation_id), None)
    if ref is None:
        raise Refused("That escalation is not open on this action: it may be resolved already.")
    s.open_escalations.remove(ref)
    step.resolve(ref, by=cmd.actor, note=cmd.note, at=at)
    return "Escalation resolved."


def _report_undeliverable(
    s: ActionState, cmd: ReportUndeliverable, at: datetime, step: Step
) -> str:
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


_HANDLERS: dict[str, Callable[[ActionState, Any, datetime, Step], str]] = {
    "assign_owner": _assign_owner,
    "acknowledge": _acknowledge,
    "post_update": _post_update,
    "mark_done": _mark_done,
    "cannot_deliver": _cannot_deliver,
    "decline": _decline,
    "extend_due_date": _extend_due_date,
    "override_rag": _override_rag,
    "clear_rag_override": _clear_rag_override,
    "withdraw_action": _withdraw,
    "close_action": _close_action,
    "add_note": _add_note,
    "raise_escalation": _raise_escalation,
    "resolve_escalation": _resolve_escalation,
    "report_undeliverable": _report_undeliverable,
}


def on_start(s: ActionState, step: Step) -> None:
    """The first step of a new action: tell its owner, if it has one."""
    r = s.record
    if r.status is ActionStatus.awaiting_acknowledgement:
        _tell_owner(
            s,
            step,
            MessageType.owner_action_assigned,
            OwnerActionAssigned(
                case=case_facts(s), action=action_facts(s), assignment_no=r.assignment_no
            ),
        )
    due = f", due {date_and_time(r.due_at)}" if r.due_at else ", no due date"
    owner = f"owner {r.owner_name}" if r.owner_name else "no owner yet"
    step.audit(Actor.system(), "action.started", f"Action {r.seq} started: {owner}{due}")
