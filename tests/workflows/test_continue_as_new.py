"""Long-lived workflows continue as new when their history grows, and keep everything: their
state, and every command that arrived while the step before it was being recorded."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from activities.record import RecordActivities
from models.action import ActionStatus, ActionUpdate
from models.audit import AuditEvent
from models.case import Case, CaseStatus
from models.commands import AddNoteBody, MarkDoneBody, PostUpdateBody
from models.db import SessionFactory
from models.inbox import CommandStatus, InboxCommand
from models.messages import StepRecord
from tests.factories import LEAD
from tests.helpers import eventually, workflow_started
from tests.workflows.calendar_anchor import london
from tests.workflows.conftest import Scenario
from worker.build import WORKFLOWS, workflow_runner
from workflows import action_workflow_id, case_workflow_id
from workflows.action import ActionWorkflow
from workflows.case import CaseWorkflow


class Recorder:
    """The real ``record_step``, which can send a command while a step is being recorded."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.real = RecordActivities(sessions)
        self.while_recording: Callable[[StepRecord], Awaitable[None]] | None = None

    @activity.defn(name="record_step")
    async def record_step(self, step: StepRecord) -> bool:
        written = await asyncio.to_thread(self.real.record_step, step)
        if written and self.while_recording is not None:
            await self.while_recording(step)
        return written


@pytest.fixture
def recorder(sessions: SessionFactory) -> Recorder:
    return Recorder(sessions)


@pytest.fixture
async def ts_worker(
    ts_env: WorkflowEnvironment,
    recorder: Recorder,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> AsyncIterator[Worker]:
    worker = Worker(
        ts_env.client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        workflow_runner=workflow_runner(),
        activities=[recorder.record_step],
        activity_executor=executor,
    )
    async with worker:
        yield worker


def applied(step: StepRecord) -> bool:
    return any(o.status is CommandStatus.applied for o in step.outcomes)


async def test_a_long_lived_action_continues_as_new_and_keeps_its_state(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(
        actions=[{"text": "Survey every flat", "owner_id": s.owner.id}], history_limit=40
    )
    action_id = case.state.unstarted_actions[0].id
    handle = s.env.client.get_workflow_handle(f"action-{action_id}")
    await workflow_started(s.env.client, handle.id)  # the child starts a moment after its case
    first_run = (await handle.describe()).run_id
    for n in range(12):
        receipt = await s.act(action_id, "post_update", PostUpdateBody(text=f"Week {n + 1}"))
        assert receipt.status is CommandStatus.applied
    assert (await handle.describe()).run_id != first_run
    assert len(s.rows(ActionUpdate, action_id=action_id)) == 12
    state = await s.env.client.get_workflow_handle_for(
        ActionWorkflow.run, f"action-{action_id}"
    ).query(ActionWorkflow.get_state)
    assert len(state.seen_commands) == 12
    assert state.record.status is ActionStatus.in_progress
    await s.act(action_id, "mark_done", MarkDoneBody(text="Done"))

    await eventually(lambda: s.rows(Case, id=case.state.record.id)[0].status is CaseStatus.closed)


async def test_an_update_sent_while_the_last_step_is_recorded_is_applied_after_continuing(
    scenario: Scenario, recorder: Recorder
):
    """Each update arrives while the step that applied the one before is being recorded, as
    when an owner submits twice in quick succession; one of them lands just before the workflow
    continues as new."""
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(
        actions=[{"text": "Survey every flat", "owner_id": s.owner.id}], history_limit=40
    )
    action_id = case.state.unstarted_actions[0].id
    await workflow_started(s.env.client, action_workflow_id(action_id))
    first_run = await s.env.client.get_workflow_handle(action_workflow_id(action_id)).describe()
    to_send = [PostUpdateBody(text=f"Week {n + 2}") for n in range(11)]

    async def send_next(step: StepRecord) -> None:
        if step.action_id == action_id and applied(step) and to_send:
            await s.commands.to_action(action_id, "post_update", to_send.pop(0), LEAD, wait=False)

    recorder.while_recording = send_next
    await s.act(action_id, "post_update", PostUpdateBody(text="Week 1"))

    await eventually(lambda: len(s.rows(ActionUpdate, action_id=action_id)) == 12)
    assert not to_send
    commands = s.rows(InboxCommand, action_id=action_id)
    assert {c.status for c in commands} == {CommandStatus.applied}
    handle = s.env.client.get_workflow_handle(action_workflow_id(action_id))
    assert (await handle.describe()).run_id != first_run.run_id
    state = await s.env.client.get_workflow_handle_for(
        ActionWorkflow.run, action_workflow_id(action_id)
    ).query(ActionWorkflow.get_state)
    assert len(state.seen_commands) == 12


async def test_a_note_sent_while_the_last_step_is_recorded_is_applied_after_continuing(
    scenario: Scenario, recorder: Recorder
):
    s = scenario
    await s.go_to(london(s.monday, 14))
    case = await s.start(history_limit=30)
    case_id = case.state.record.id
    handle = s.env.client.get_workflow_handle(case_workflow_id(case_id))
    first_run = (await handle.describe()).run_id
    to_send = [AddNoteBody(text=f"Note {n + 2}") for n in range(11)]

    async def send_next(step: StepRecord) -> None:
        if step.action_id is None and applied(step) and to_send:
            await s.commands.to_case(case_id, "add_note", to_send.pop(0), LEAD, wait=False)

    recorder.while_recording = send_next
    await s.on_case(case_id, "add_note", AddNoteBody(text="Note 1"))

    def notes() -> list[AuditEvent]:
        return s.rows(AuditEvent, case_id=case_id, verb="case.note_added")

    await eventually(lambda: len(notes()) == 12)
    assert not to_send
    commands = s.rows(InboxCommand, case_id=case_id)
    assert {c.status for c in commands} == {CommandStatus.applied}
    assert (await handle.describe()).run_id != first_run
    state = await s.env.client.get_workflow_handle_for(
        CaseWorkflow.run, case_workflow_id(case_id)
    ).query(CaseWorkflow.get_state)
    assert len(state.seen_commands) == 12
