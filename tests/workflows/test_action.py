"""The action workflow applies each command (workflows/action_rules: ownership, progress, rag,
escalations), tells the people concerned, and refuses what cannot apply, with the reason.

Dates are anchored on Easter week (tests/workflows/calendar_anchor.py); see
tests/workflows/action_rules/test_timers.py for the timer rules.
"""

from __future__ import annotations

from datetime import timedelta

from models.action import ActionStatus
from models.commands import (
    AcknowledgeBody,
    AssignOwnerBody,
    CannotDeliverBody,
    CloseActionBody,
    DeclineBody,
    MarkDoneBody,
    OverrideRagBody,
)
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus
from models.outbox import RecipientRole
from models.rag import Rag
from models.timer import PendingTimer
from tests.factories import CV_LEAD
from tests.helpers import eventually
from tests.workflows.actions import (
    MINUTE,
    escalations,
    five_working_days,
    messages,
    start_owned_action,
    ten_working_days,
)
from tests.workflows.calendar_anchor import london
from tests.workflows.conftest import Scenario


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
