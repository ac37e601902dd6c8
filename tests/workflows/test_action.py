"""The action workflow runs every rule of DESIGN.md §5 at the exact moment the default policy says.

Dates are anchored on Easter week (tests/workflows/calendar_anchor.py): Good Friday and Easter
Monday are bank holidays, so "5 working days" after the Monday before Easter is the Wednesday
after it (day 9), and "10 working days" is the Wednesday after that (day 16). Day-based timers
fire at 9am London time; British Summer Time starts on the last Sunday of March, so these
moments also prove the clock change is handled.
"""

from __future__ import annotations

from datetime import timedelta

from models.action import ActionStatus, ActionUpdate, RagChange
from models.commands import (
    AcknowledgeBody,
    AssignOwnerBody,
    CannotDeliverBody,
    CloseActionBody,
    DeclineBody,
    ExtendDueDateBody,
    MarkDoneBody,
    OverrideRagBody,
    PostUpdateBody,
)
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus
from models.outbox import OutboxMessage, RecipientRole
from models.policy import Policy, end_of_day
from models.rag import Rag
from models.timer import PendingTimer
from tests.factories import CV_LEAD
from tests.helpers import eventually
from tests.workflows.calendar_anchor import london
from tests.workflows.conftest import Scenario

MINUTE = timedelta(minutes=1)


def five_working_days(s: Scenario):
    return london(s.monday + timedelta(days=9), 9)


def ten_working_days(s: Scenario):
    return london(s.monday + timedelta(days=16), 9)


def messages(s: Scenario, kind: str) -> list[OutboxMessage]:
    return sorted(s.rows(OutboxMessage, kind=kind), key=lambda m: m.created_at)


def escalations(s: Scenario, rule: EscalationRule) -> list[Escalation]:
    return s.rows(Escalation, rule=rule)


def rag_changes(s: Scenario, action_id) -> list[tuple[Rag, str]]:
    rows = sorted(s.rows(RagChange, action_id=action_id), key=lambda r: r.at)
    return [(r.to_rag, r.at) for r in rows]


async def start_owned_action(s: Scenario, **action):
    await s.go_to(london(s.monday, 14))
    case = await s.start(actions=[{"text": "Survey every flat", "owner_id": s.owner.id, **action}])
    return case, case.state.unstarted_actions[0].id


async def test_owner_reminded_after_5_working_days_and_escalated_after_10(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    timers = await eventually(lambda: s.rows(PendingTimer, action_id=action_id))
    assert {(t.kind, t.due_at) for t in timers} == {
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
    _, action_id = await start_owned_action(s)
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


async def test_done_on_time_closes_action_and_case_and_tells_presenters(scenario: Scenario):
    s = scenario
    case, action_id = await start_owned_action(
        s, due_date=(s.monday + timedelta(days=20)).isoformat()
    )
    await s.go_to(london(s.monday + timedelta(days=3), 11))
    receipt = await s.act(
        action_id, "mark_done", MarkDoneBody(text="All 240 flats surveyed; 31 treated for mould.")
    )
    assert receipt.status is CommandStatus.applied
    action = s.action(action_id)
    assert action.status is ActionStatus.done
    assert action.closed_on_time is True
    assert action.rag is Rag.blue
    told = messages(s, "presenter_action_closed")
    assert [m.recipient_email for m in told] == ["amina@example.com"]
    assert told[0].facts["what_was_done"] == "All 240 flats surveyed; 31 treated for mould."
    from models.case import Case, CaseStatus

    closed = await eventually(
        lambda: [c for c in s.rows(Case, id=case.state.record.id) if c.status is CaseStatus.closed]
    )
    assert closed[0].closed_at == action.closed_at
    assert s.rows(PendingTimer, action_id=action_id) == []


async def test_cannot_deliver_is_red_escalated_and_closed_by_the_lead(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    await s.act(action_id, "acknowledge", AcknowledgeBody())
    await s.act(action_id, "cannot_deliver", CannotDeliverBody(reason="No budget this year"))
    action = s.action(action_id)
    assert (action.status, action.rag) == (ActionStatus.cannot_deliver, Rag.red)
    assert escalations(s, EscalationRule.cannot_deliver)[0].reason == "No budget this year"
    receipt = await s.act(
        action_id, "close_action", CloseActionBody(reason="Agreed with presenters"), CV_LEAD
    )
    assert receipt.status is CommandStatus.applied
    action = s.action(action_id)
    assert action.closed_at is not None and action.closed_on_time is False
    assert messages(s, "presenter_action_closed")[0].facts["outcome"] == "not_delivered"
    assert all(e.status is EscalationStatus.resolved for e in s.rows(Escalation))


async def test_owner_says_not_mine_and_the_engagement_lead_is_told(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    declined_at = london(s.monday + timedelta(days=1), 15)
    await s.go_to(declined_at)
    await s.act(
        action_id,
        "decline",
        DeclineBody(reason="Housing repairs are not ours", suggested_owner="Council housing"),
    )
    action = s.action(action_id)
    assert (action.status, action.owner_id) == (ActionStatus.unassigned, None)
    told = messages(s, "owner_declined_action")[0]
    assert told.recipient_role is RecipientRole.engagement_lead
    assert told.facts["suggested_owner"] == "Council housing"
    naming = [
        t for t in s.rows(PendingTimer, action_id=action_id) if t.kind == "owner_naming_reminder"
    ]
    # 5 working days after the Tuesday: Wed, Thu, (Good Friday, Easter Monday), Tue, Wed, Thu.
    assert naming[0].due_at == london(s.monday + timedelta(days=10), 9)


async def test_lead_override_stands_until_the_facts_change(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    await s.go_to(five_working_days(s) + MINUTE)
    await eventually(lambda: s.action(action_id).rag is Rag.amber)
    await s.act(
        action_id,
        "override_rag",
        OverrideRagBody(rag=Rag.green, reason="Owner is on leave; acknowledged by phone"),
        CV_LEAD,
    )
    action = s.action(action_id)
    assert action.rag is Rag.green
    assert (
        action.rag_cause
        == "Set by the Community Voice Lead: Owner is on leave; acknowledged by phone"
    )
    await s.go_to(ten_working_days(s) + MINUTE)
    await eventually(lambda: s.action(action_id).rag is Rag.red)
    assert s.action(action_id).rag_source.value == "derived"


async def test_a_command_for_an_earlier_owner_is_refused_with_the_reason(scenario: Scenario):
    s = scenario
    _, action_id = await start_owned_action(s)
    await s.act(action_id, "assign_owner", AssignOwnerBody(owner_id=s.other_owner.id))
    receipt = await s.act(action_id, "acknowledge", AcknowledgeBody(), for_assignment=1)
    assert receipt.status is CommandStatus.rejected
    assert "earlier owner" in (receipt.outcome_message or "")
    assert s.action(action_id).status is ActionStatus.awaiting_acknowledgement
    assert s.action(action_id).owner_name == s.other_owner.name
    reassigned = messages(s, "owner_action_reassigned")[0]
    assert reassigned.recipient_email == s.owner.email
