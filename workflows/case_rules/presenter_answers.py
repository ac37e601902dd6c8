"""What presenters answer from their signed links: whether the agreed actions are right, and,
once an action closes, whether what was done met their concern. The engagement lead is told of
anything to follow up; "not met" is escalated to the Community Voice Lead."""

from __future__ import annotations

from datetime import datetime

from models.action import ActionStatus, ActionUpdateRecord, UpdateKind
from models.commands import PresenterConfirm, PresenterFeedback
from models.escalation import EscalationRule
from models.messages import CaseState
from models.outbox import RecipientRole
from models.presenter import PresenterRecord
from models.rag import Rag
from notifications.types import ActionFacts, MessageType, PresenterReplied
from workflows.case_rules.context import case_facts
from workflows.case_rules.escalations import escalate, resolve_rule
from workflows.refused import Refused
from workflows.step import Step


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


def presenter_confirm(s: CaseState, cmd: PresenterConfirm, at: datetime, step: Step) -> str:
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
        resolve_rule(
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


def presenter_feedback(s: CaseState, cmd: PresenterFeedback, at: datetime, step: Step) -> str:
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
