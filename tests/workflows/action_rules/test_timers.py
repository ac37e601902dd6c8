"""The action's timer rules (workflows/action_rules/timers.py): each fires at the exact moment
the default policy says, through the real workflow on the time-skipping server, and
``pending_timers`` lists what is still to fire.

Dates are anchored on Easter week (tests/workflows/calendar_anchor.py): Good Friday and Easter
Monday are bank holidays, so "5 working days" after the Monday before Easter is the Wednesday
after it (day 9), and "10 working days" is the Wednesday after that (day 16). Day-based timers
fire at 9am London time; British Summer Time starts on the last Sunday of March, so these
moments also prove the clock change is handled.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from models.action import ActionStatus, ActionUpdate
from models.commands import (
    AcknowledgeBody,
    AssignOwnerBody,
    ExtendDueDateBody,
    PostUpdateBody,
)
from models.db import SessionFactory
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus
from models.messages import ActionState
from models.outbox import RecipientRole
from models.policy import Policy, end_of_day
from models.rag import Rag
from models.timer import PendingTimer
from tests.factories import CV_LEAD, add_board, add_owner, case_input, session_body
from tests.helpers import eventually
from tests.workflows.actions import (
    MINUTE,
    escalations,
    five_working_days,
    messages,
    rag_changes,
    start_owned_action,
    ten_working_days,
)
from tests.workflows.calendar_anchor import easter_week_monday, london
from tests.workflows.conftest import Scenario
from workflows.action_rules import fire, pending_timers
from workflows.case_rules import action_input
from workflows.step import Step


def FAR_OFF(s: Scenario) -> str:  # noqa: N802 - a due date that plays no part in the test
    """A due date four months away: with none, the action would be Amber ("No due date")."""
    return (s.monday + timedelta(days=120)).isoformat()


async def test_owner_reminded_after_5_working_days_and_escalated_after_10(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s, due_date=FAR_OFF(s))
    timers = await eventually(lambda: s.rows(PendingTimer, action_id=action_id))
    assert {(t.kind, t.due_at) for t in timers} >= {
        ("acknowledgement_reminder", five_working_days(s)),
        ("acknowledgement_escalation", ten_working_days(s)),
    }
    assert messages(s, "owner_action_assigned")[0].recipient_email == s.owner.email

    await s.go_to(five_working_days(s) - MINUTE)
    assert messages(s, "owner_acknowledgement_reminder") == []
    assert s.action(action_id).rag is Rag.green

    await s.go_to(five_working_days(s) + MINUTE)
    reminder = (await eventually(lambda: messages(s, "owner_acknowledgement_reminder")))[0]
    assert reminder.created_at == five_working_days(s)
    assert (reminder.recipient_role, reminder.recipient_email) == (
        RecipientRole.owner,
        s.owner.email,
    )
    assert reminder.reply_to == "eve.engagement@example.org"
    assert s.action(action_id).rag is Rag.amber
    assert s.action(action_id).rag_cause == "Not acknowledged in time"
    assert rag_changes(s, action_id) == [(Rag.amber, five_working_days(s))]

    await s.go_to(ten_working_days(s) + MINUTE)
    escalation = (await eventually(lambda: escalations(s, EscalationRule.not_acknowledged)))[0]
    assert escalation.raised_at == ten_working_days(s)
    assert escalation.assigned_to_email == "cara.lead@example.org"
    assert messages(s, "escalation_raised")[0].recipient_role is RecipientRole.cv_lead
    assert s.action(action_id).rag is Rag.red
    assert s.action(action_id).rag_cause == "An escalation on it is unresolved"

    receipt = await s.act(action_id, "acknowledge", AcknowledgeBody())
    assert receipt.status is CommandStatus.applied
    resolved = s.rows(Escalation, id=escalation.id)[0]
    assert resolved.status is EscalationStatus.resolved
    assert "acknowledged" in (resolved.resolution_note or "")
    assert s.action(action_id).status is ActionStatus.in_progress
    assert s.action(action_id).rag is Rag.green


async def test_acknowledging_in_time_means_no_reminder(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    await s.go_to(london(s.monday + timedelta(days=1), 10))
    await s.act(action_id, "acknowledge", AcknowledgeBody())
    await s.go_to(ten_working_days(s) + MINUTE)
    assert messages(s, "owner_acknowledgement_reminder") == []
    assert escalations(s, EscalationRule.not_acknowledged) == []


async def test_engagement_lead_reminded_to_name_an_owner_then_escalated(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(actions=[{"text": "Write to residents", "owner_as_written": "Housing"}])
    action_id = case.state.unstarted_actions[0].id

    await s.go_to(five_working_days(s) + MINUTE)
    reminder = (await eventually(lambda: messages(s, "owner_naming_reminder")))[0]
    assert reminder.created_at == five_working_days(s)
    assert reminder.recipient_role is RecipientRole.engagement_lead
    assert s.action(action_id).rag_cause == "No owner named in time"

    await s.go_to(ten_working_days(s) + MINUTE)
    escalation = (await eventually(lambda: escalations(s, EscalationRule.owner_not_named)))[0]
    assert escalation.raised_at == ten_working_days(s)

    receipt = await s.act(action_id, "assign_owner", AssignOwnerBody(owner_id=s.owner.id))
    assert receipt.status is CommandStatus.applied
    action = s.action(action_id)
    assert (action.status, action.owner_name, action.assignment_no) == (
        ActionStatus.awaiting_acknowledgement,
        s.owner.name,
        1,
    )
    assert s.rows(Escalation, id=escalation.id)[0].status is EscalationStatus.resolved
    timers = s.rows(PendingTimer, action_id=action_id)
    assert {t.kind for t in timers} == {"acknowledgement_reminder", "acknowledgement_escalation"}


async def test_no_update_for_30_days_reminds_and_44_days_escalates(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s, due_date=FAR_OFF(s))
    acknowledged = london(s.monday + timedelta(days=1), 10)
    await s.go_to(acknowledged)
    await s.act(action_id, "acknowledge", AcknowledgeBody())
    at_30 = london(s.monday + timedelta(days=31), 9)
    at_44 = london(s.monday + timedelta(days=45), 9)

    await s.go_to(at_30 - MINUTE)
    assert messages(s, "owner_update_reminder") == []
    await s.go_to(at_30 + MINUTE)
    reminder = (await eventually(lambda: messages(s, "owner_update_reminder")))[0]
    assert reminder.created_at == at_30
    assert s.action(action_id).rag_cause == "No progress update for too long"

    await s.go_to(at_44 + MINUTE)
    escalation = (await eventually(lambda: escalations(s, EscalationRule.no_update)))[0]
    assert escalation.raised_at == at_44

    await s.act(action_id, "post_update", PostUpdateBody(still_on_track=True))
    assert s.rows(Escalation, id=escalation.id)[0].status is EscalationStatus.resolved
    update = s.rows(ActionUpdate, action_id=action_id)[-1]
    assert (update.text, update.stated_rag) == ("Still on track.", Rag.green)
    updated_at = s.action(action_id).last_progress_at
    next_reminder = [
        t for t in s.rows(PendingTimer, action_id=action_id) if t.kind == "update_reminder"
    ][0]
    policy = Policy()
    assert next_reminder.due_at == policy.after(updated_at, policy.update_reminder)


async def test_amber_14_days_before_due_red_and_escalated_when_overdue(scenario: Scenario):
    s = scenario
    due = s.monday + timedelta(days=30)
    _, action_id = await start_owned_action(s, due_date=due.isoformat())
    await s.act(action_id, "acknowledge", AcknowledgeBody())
    amber_at = end_of_day(due) - timedelta(days=14)
    overdue_at = end_of_day(due)

    await s.go_to(amber_at - MINUTE)
    assert s.action(action_id).rag is Rag.green
    await s.go_to(amber_at + MINUTE)
    await eventually(lambda: s.action(action_id).rag is Rag.amber)
    assert s.action(action_id).rag_cause.startswith("Due soon")
    assert rag_changes(s, action_id) == [(Rag.amber, amber_at)]

    await s.go_to(overdue_at + MINUTE)
    escalation = (await eventually(lambda: escalations(s, EscalationRule.overdue)))[0]
    assert escalation.raised_at == overdue_at
    told = messages(s, "owner_action_overdue")[0]
    assert (told.recipient_email, told.created_at) == (s.owner.email, overdue_at)
    action = s.action(action_id)
    assert (action.rag, action.rag_cause) == (Rag.red, f"Overdue: it was due {_long(due)}")
    assert rag_changes(s, action_id)[-1] == (Rag.red, overdue_at)

    later = due + timedelta(days=60)
    receipt = await s.act(
        action_id,
        "extend_due_date",
        ExtendDueDateBody(due_date=later, reason="Contractor delayed by the winter"),
        CV_LEAD,
    )
    assert receipt.status is CommandStatus.applied, receipt.outcome_message
    assert s.rows(Escalation, id=escalation.id)[0].status is EscalationStatus.resolved
    action = s.action(action_id)
    # No longer overdue; still amber because the owner has posted no update for 30 days.
    assert (action.due_date, action.rag) == (later, Rag.amber)
    assert action.rag_cause == "No progress update for too long"
    assert {t.kind for t in s.rows(PendingTimer, action_id=action_id)} >= {"due_soon", "overdue"}


def _long(day):
    from models.formatting import long_date

    return long_date(day)


# --- the rules as pure functions ----------------------------------------------------------------

MONDAY = easter_week_monday(date(2026, 1, 1))


def owned_action(sessions: SessionFactory, **action: object) -> ActionState:
    """A new action with an owner, as the case workflow hands it to its action's workflow."""
    add_board(sessions)
    owner = add_owner(sessions)
    case = case_input(
        sessions,
        session_body(
            meeting_date=MONDAY, actions=[{"text": "Survey", "owner_id": owner.id, **action}]
        ),
        now=london(MONDAY, 14),
    )
    return action_input(case.state, case.state.unstarted_actions[0], "case-x", 10_000).state


def a_step(s: ActionState, at: datetime) -> Step:
    r = s.record
    return Step(
        key="action-x:1",
        at=at,
        workflow_id="action-x",
        case_id=r.case_id,
        action_id=r.id,
        new_id=uuid.uuid4,
    )


def test_a_new_owners_rules_count_working_days_from_when_they_were_linked(
    sessions: SessionFactory,
) -> None:
    s = owned_action(sessions)
    pending = pending_timers(s)
    assert [(t.key, t.kind, t.due_at) for t in pending] == [
        ("ack-reminder#1", "acknowledgement_reminder", london(MONDAY + timedelta(days=9), 9)),
        ("ack-escalation#1", "acknowledgement_escalation", london(MONDAY + timedelta(days=16), 9)),
    ]


def test_a_fired_rule_is_done_once_and_is_not_listed_again(sessions: SessionFactory) -> None:
    s = owned_action(sessions)
    reminder = pending_timers(s)[0]
    step = a_step(s, reminder.due_at)
    fire(s, reminder, step)
    assert [m.kind for m in step.record.messages] == ["owner_acknowledgement_reminder"]
    assert [t.kind for t in pending_timers(s)] == ["acknowledgement_escalation"]


def test_a_due_date_adds_amber_before_it_and_overdue_at_it(sessions: SessionFactory) -> None:
    due = MONDAY + timedelta(days=40)
    s = owned_action(sessions, due_date=due.isoformat())
    rules = {t.kind: t.due_at for t in pending_timers(s)}
    assert rules["due_soon"] == s.policy.before(end_of_day(due), s.policy.amber_window)
    assert rules["overdue"] == end_of_day(due)


def test_a_closed_action_has_no_rules_left(sessions: SessionFactory) -> None:
    s = owned_action(sessions)
    s.record.closed_at = london(MONDAY, 15)
    assert pending_timers(s) == []
