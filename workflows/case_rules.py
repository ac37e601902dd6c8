"""What happens to a case: recording the session, contacting presenters, adding actions, closing.

Pure functions over ``CaseState``, called by ``CaseWorkflow``; nothing here does I/O.
"""

from __future__ import annotations

import uuid
from datetime import datetime, time

from models.action import (
    ActionRecord,
    ActionStatus,
    ActionUpdateRecord,
    UpdateKind,
    new_action_record,
)
from models.audit import Actor
from models.case import CONTACT_OUTCOMES, OUTCOME_LABELS, CaseStatus
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
from models.formatting import long_date
from models.inbox import CommandStatus
from models.messages import (
    ActionBrief,
    ActionClosed,
    ActionInput,
    ActionState,
    CaseContext,
    CaseState,
    EscalationRef,
)
from models.outbox import RecipientRole
from models.policy import LONDON, PolicyDuration
from models.presenter import PresenterRecord
from models.rag import Rag
from models.timer import PendingTimerRecord
from notifications.types import (
    ActionFacts,
    CaseFacts,
    EscalationRaised,
    MessageType,
    PresenterContactReminder,
    PresenterReplied,
    PresenterThanks,
)
from workflows.action_rules import Refused
from workflows.step import Step


def case_facts(s: CaseState) -> CaseFacts:
    return CaseFacts.of(context(s))


def context(s: CaseState) -> CaseContext:
    r = s.record
    return CaseContext(
        case_id=r.id,
        board_name=s.board_name,
        meeting_date=r.meeting_date,
        theme=r.theme,
        said=r.said,
        historical=r.historical,
        leads=s.leads,
        presenters=s.presenters,
    )


def action_input(
    s: CaseState, record: ActionRecord, parent_workflow_id: str, history_limit: int
) -> ActionInput:
    return ActionInput(
        state=ActionState(
            record=record,
            context=context(s),
            policy=s.policy,
            epoch=record.assignment_no,
            unassigned_since=record.created_at if record.owner_id is None else None,
        ),
        parent_workflow_id=parent_workflow_id,
        history_limit=history_limit,
    )


# --- timers -----------------------------------------------------------------------------------


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


def timers(s: CaseState) -> list[PendingTimerRecord]:
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
            f"meeting on {long_date(s.record.meeting_date)}.",
        )
    else:  # pragma: no cover
        raise ValueError(f"unknown timer kind {timer.kind}")


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


# --- lifecycle --------------------------------------------------------------------------------


def on_start(s: CaseState, step: Step) -> None:
    """Record the session, its presenters and actions; thank the presenters."""
    r = s.record
    actions = s.unstarted_actions
    s.actions = {str(a.id): _brief(a) for a in actions}
    if not actions:
        r.status, r.closed_at = CaseStatus.closed, r.recorded_at
    step.record.presenters = list(s.presenters)
    step.record.actions = list(actions)
    step.audit(
        s.started_by,
        "case.recorded",
        f"Session recorded ({OUTCOME_LABELS[r.outcome]}): {len(s.presenters)} presenter(s), "
        f"{len(actions)} action(s)" + (" — imported from past records" if r.historical else ""),
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
                    actions=[ActionFacts.of(a) for a in actions],
                ),
                role=RecipientRole.presenter,
                name=p.display_name,
                email=p.email,
                route=p.preferred_contact,
                reply_to=s.leads.engagement_lead_email,
            )


def _brief(a: ActionRecord) -> ActionBrief:
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


# --- commands ---------------------------------------------------------------------------------


def apply(s: CaseState, cmd: CaseCommand, now: datetime, step: Step) -> str:
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
            return _resolve(s, cmd, at, step)
        case ReportUndeliverable():
            return _report_undeliverable(s, cmd, at, step)
        case PresenterConfirm():
            return _presenter_confirm(s, cmd, at, step)
        case PresenterFeedback():
            return _presenter_feedback(s, cmd, at, step)
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
    _resolve_rule(
        s, step, EscalationRule.presenter_contact_overdue, "Presenters contacted.", cmd.actor
    )
    return "Contact with the presenters is confirmed."


def _add_action(s: CaseState, cmd: AddAction, at: datetime, step: Step) -> str:
    r = s.record
    if cmd.due_date is not None and cmd.due_date < r.meeting_date:
        raise Refused(
            f"The due date {long_date(cmd.due_date)} is before the meeting on "
            f"{long_date(r.meeting_date)}."
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
    s.actions[str(record.id)] = _brief(record)
    s.unstarted_actions.append(record)
    step.record.actions.append(record)
    if r.status is CaseStatus.closed:
        r.status, r.closed_at = CaseStatus.open, None
    step.audit(cmd.actor, "case.action_added", f"Action {record.seq} added: {record.text}", at=at)
    return f"Action {record.seq} added."


def _resolve(s: CaseState, cmd: ResolveEscalation, at: datetime, step: Step) -> str:
    ref = next((e for e in s.open_escalations if e.id == cmd.escalation_id), None)
    if ref is None:
        raise Refused("That escalation is not open on this case: it may be resolved already.")
    s.open_escalations.remove(ref)
    step.resolve(ref, by=cmd.actor, note=cmd.note, at=at)
    return "Escalation resolved."


def _resolve_rule(s: CaseState, step: Step, rule: EscalationRule, note: str, by: Actor) -> None:
    keep: list[EscalationRef] = []
    for ref in s.open_escalations:
        if ref.rule is rule:
            step.resolve(ref, by=by, note=note)
        else:
            keep.append(ref)
    s.open_escalations = keep


# --- what comes back from email: bounces and presenters' answers ------------------------------


def _report_undeliverable(s: CaseState, cmd: ReportUndeliverable, at: datetime, step: Step) -> str:
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


def _presenter(s: CaseState, presenter_id: object) -> PresenterRecord:
    presenter = next((p for p in s.presenters if p.id == presenter_id), None)
    if presenter is None:
        raise Refused("This link is for someone who is no longer a presenter on this session.")
    return presenter


def _tell_lead_presenter_replied(
    s: CaseState, step: Step, p: PresenterRecord, **facts: object
) -> None:
    step.message(
        MessageType.presenter_replied,
        PresenterReplied.model_validate(
            {"case": case_facts(s), "presenter_name": p.display_name, **facts}
        ),
        role=RecipientRole.engagement_lead,
        name=s.leads.engagement_lead_name,
        email=s.leads.engagement_lead_email,
        reply_to=p.email,
    )


def _presenter_confirm(s: CaseState, cmd: PresenterConfirm, at: datetime, step: Step) -> str:
    p = _presenter(s, cmd.presenter_id)
    earlier = s.presenter_answers.get(str(p.id))
    if earlier is not None:
        raise Refused(
            "You have answered already, thank you. To add anything, reply to our email: it goes "
            "to the engagement lead."
        )
    s.presenter_answers[str(p.id)] = cmd.answer
    said = f": {cmd.comment}" if cmd.comment else ""
    if cmd.answer == "confirmed":
        step.audit(
            cmd.actor,
            "presenter.confirmed_actions",
            f"{p.display_name} confirmed the agreed actions{said}",
            at=at,
            presenter_id=p.id,
            answer=cmd.answer,
        )
    else:
        step.audit(
            cmd.actor,
            "presenter.actions_missing",
            f"{p.display_name} says something is missing from the agreed actions{said}",
            at=at,
            presenter_id=p.id,
            answer=cmd.answer,
        )
    if cmd.answer == "missing" or cmd.comment:
        _tell_lead_presenter_replied(
            s, step, p, about="actions", answer=cmd.answer, comment=cmd.comment
        )
    r = s.record
    everyone = all(s.presenter_answers.get(str(q.id)) == "confirmed" for q in s.presenters)
    if everyone and r.presenter_contact_confirmed_at is None:
        r.presenter_contact_confirmed_at = at
        r.presenter_contact_by = "The presenters (by their email links)"
        r.presenter_contact_note = "Every presenter confirmed the agreed actions."
        step.audit(
            cmd.actor,
            "case.presenter_contact_confirmed",
            "Contact with the presenters confirmed: every presenter confirmed the actions",
            at=at,
        )
        _resolve_rule(
            s,
            step,
            EscalationRule.presenter_contact_overdue,
            "The presenters confirmed the actions.",
            cmd.actor,
        )
    if cmd.answer == "confirmed":
        return "Thank you for confirming the actions. We will tell you as each one closes."
    return "Thank you. The engagement lead has been told what is missing and will be in touch."


_FEEDBACK_LABELS = {"met": "Met", "partly": "Partly met", "not_met": "Not met"}


def _presenter_feedback(s: CaseState, cmd: PresenterFeedback, at: datetime, step: Step) -> str:
    p = _presenter(s, cmd.presenter_id)
    brief = s.actions.get(str(cmd.action_id))
    if brief is None:
        raise Refused("This link is for an action that is not part of this session.")
    if not brief.closed:
        raise Refused("This action is still open: we will ask you when it closes.")
    key = f"{p.id}:{cmd.action_id}"
    if key in s.presenter_feedback:
        raise Refused(
            "You have answered about this action already, thank you. To add anything, reply to "
            "our email: it goes to the engagement lead."
        )
    s.presenter_feedback.append(key)
    label = _FEEDBACK_LABELS[cmd.answer]
    said = f": {cmd.comment}" if cmd.comment else ""
    text = f"Presenter's view — {label}{said}"
    step.record.updates.append(
        ActionUpdateRecord(
            id=step.new_id(),
            action_id=cmd.action_id,
            case_id=s.record.id,
            at=at,
            kind=UpdateKind.presenter_feedback,
            text=text,
            author_name=p.display_name,
            author_kind=cmd.actor.kind.value,
            rag_at_time=Rag.blue if brief.status is ActionStatus.done else Rag.red,
        )
    )
    step.audit(
        cmd.actor,
        "presenter.feedback",
        f"{p.display_name} on action {brief.seq}: {label}{said}",
        at=at,
        action_id=cmd.action_id,
        presenter_id=p.id,
        answer=cmd.answer,
    )
    action = ActionFacts(
        action_id=cmd.action_id, seq=brief.seq, text=brief.text or f"Action {brief.seq}"
    )
    if cmd.answer != "met" or cmd.comment:
        _tell_lead_presenter_replied(
            s, step, p, about="outcome", answer=cmd.answer, comment=cmd.comment, action=action
        )
    if cmd.answer == "not_met":
        with step.happening_at(at):
            escalate(
                s,
                step,
                EscalationRule.presenter_not_met,
                f"{p.display_name} says what was done on action {brief.seq} "
                f"({brief.text or 'no text'}) did not meet their concern{said or '.'}",
                by=cmd.actor,
                action=action,
            )
        return (
            "Thank you for telling us. The Community Voice Lead will look at what happened "
            "and get back to you."
        )
    return "Thank you for telling us. Your answer is recorded with the action."
