"""The case workflow: recording the session, presenter contact on working-day timers, adding
actions, closing, and staying open until the annual report."""

from __future__ import annotations

from datetime import timedelta

from models.action import Action, ActionStatus, ActionUpdate
from models.audit import AuditEvent
from models.case import Case, CaseStatus
from models.commands import (
    ActionCommandSignal,
    AddActionBody,
    MarkDoneBody,
    PostUpdate,
    ResolveEscalationBody,
)
from models.escalation import Escalation, EscalationStatus
from models.inbox import CommandStatus
from models.messages import CaseReported
from models.outbox import OutboxMessage, OutboxStatus
from models.presenter import Presenter
from models.timer import PendingTimer
from tests.factories import CV_LEAD, LEAD
from tests.helpers import eventually, workflow_started
from tests.workflows.calendar_anchor import london
from tests.workflows.conftest import Scenario
from workflows import action_workflow_id, case_workflow_id
from workflows.action import ActionWorkflow
from workflows.case import CaseWorkflow

MINUTE = timedelta(minutes=1)
TWO_PRESENTERS = [
    {"name": "Amina Begum", "organisation": "Tenants' Forum", "email": "amina@example.com"},
    {"organisation": "Carers Centre", "preferred_contact": "Phone via the Carers Centre"},
]


async def test_session_recorded_and_presenters_thanked(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(
        presenters=TWO_PRESENTERS,
        actions=[{"text": "Survey every flat", "owner_id": s.owner.id}, {"text": "Write to all"}],
    )
    case_id = case.state.record.id
    row = s.rows(Case, id=case_id)[0]
    assert (row.status, row.recorded_by) == (CaseStatus.open, LEAD.name)
    assert [p.display_name for p in s.rows(Presenter, case_id=case_id)] == [
        "Amina Begum (Tenants' Forum)",
        "Carers Centre",
    ]
    thanks = sorted(s.rows(OutboxMessage, kind="presenter_thanks"), key=lambda m: m.recipient_name)
    assert [(m.recipient_name, m.status) for m in thanks] == [
        ("Amina Begum (Tenants' Forum)", OutboxStatus.pending),
        ("Carers Centre", OutboxStatus.manual),
    ]
    assert thanks[1].recipient_route == "Phone via the Carers Centre"
    assert [a["text"] for a in thanks[0].facts["actions"]] == ["Survey every flat", "Write to all"]
    assert [a.status for a in sorted(s.rows(Action, case_id=case_id), key=lambda a: a.seq)] == [
        ActionStatus.awaiting_acknowledgement,
        ActionStatus.unassigned,
    ]
    verbs = await eventually(
        lambda: (
            [e.verb for e in s.rows(AuditEvent, case_id=case_id)].count("action.started") == 2
            and [e.verb for e in s.rows(AuditEvent, case_id=case_id)]
        )
    )
    assert verbs[0] == "case.recorded"


async def test_cancelled_meeting_is_closed_at_once_and_chases_no_one(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 18))
    case = await s.start(outcome="cancelled", theme=None, presenters=[])
    row = await eventually(lambda: s.rows(Case, id=case.state.record.id))
    assert row[0].status is CaseStatus.closed
    assert s.rows(PendingTimer) == []
    assert s.rows(OutboxMessage) == []


async def test_adding_an_action_reopens_a_closed_case_and_closing_it_closes_the_case(
    scenario: Scenario,
):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(presenters=TWO_PRESENTERS[:1], actions=[{"text": "First action"}])
    case_id = case.state.record.id
    first = case.state.unstarted_actions[0].id
    await s.act(first, "mark_done", MarkDoneBody(text="Done at the next forum"))
    await eventually(lambda: s.rows(Case, id=case_id)[0].status is CaseStatus.closed)

    receipt = await s.on_case(
        case_id, "add_action", AddActionBody(text="Second action agreed later", owner_id=s.owner.id)
    )
    assert receipt.status is CommandStatus.applied, receipt.outcome_message
    assert s.rows(Case, id=case_id)[0].status is CaseStatus.open
    second = await eventually(
        lambda: [a for a in s.rows(Action, case_id=case_id) if a.seq == 2 and a.owner_id]
    )
    await eventually(lambda: s.rows(OutboxMessage, kind="owner_action_assigned"))
    await s.act(second[0].id, "mark_done", MarkDoneBody(text="Done too"))
    closed = await eventually(
        lambda: [c for c in s.rows(Case, id=case_id) if c.status is CaseStatus.closed]
    )
    assert closed[0].closed_at == s.action(second[0].id).closed_at

    handle = s.env.client.get_workflow_handle_for(CaseWorkflow.run, case_workflow_id(case_id))
    state = await handle.query(CaseWorkflow.get_state)
    assert state.record.status is CaseStatus.closed
    await handle.signal("case_reported", CaseReported(report_id=case_id, published_at=s.now))
    result = await handle.result()
    assert result.closed_at == closed[0].closed_at


async def test_case_escalation_resolved_by_the_lead(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 18))
    case = await s.start(presenters=TWO_PRESENTERS)
    await s.go_to(london(s.monday + timedelta(days=16), 9) + MINUTE)
    escalation = (await eventually(lambda: s.rows(Escalation)))[0]
    receipt = await s.commands.resolve_escalation(
        escalation.id, ResolveEscalationBody(note="Spoke to the engagement lead"), CV_LEAD
    )
    assert receipt.status is CommandStatus.applied
    row = s.rows(Escalation, id=escalation.id)[0]
    assert (row.status, row.resolved_by, row.resolution_note) == (
        EscalationStatus.resolved,
        CV_LEAD.name,
        "Spoke to the engagement lead",
    )
    assert case.state.record.id == row.case_id


async def test_a_command_delivered_twice_is_applied_once(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(actions=[{"text": "Survey", "owner_id": s.owner.id}])
    action_id = case.state.unstarted_actions[0].id
    command = PostUpdate(
        command_id=case.state.record.id,
        actor=LEAD,
        received_at=s.now,
        text="Survey booked for May",
    )
    await workflow_started(s.env.client, action_workflow_id(action_id))
    handle = s.env.client.get_workflow_handle(action_workflow_id(action_id))
    for _ in range(3):
        await handle.signal("submit", ActionCommandSignal(command=command))
    await eventually(lambda: s.rows(ActionUpdate, action_id=action_id))
    state = await handle.query(ActionWorkflow.get_state)
    assert state.seen_commands == [case.state.record.id]
    assert len(s.rows(ActionUpdate, action_id=action_id)) == 1
