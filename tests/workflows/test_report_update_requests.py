"""The quarterly cut-off asks every owner of an open action for an update, through each
action's own workflow (time-skipping server: weeks pass in a moment)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.audit import AuditEvent
from models.board import BoardMeetingBase, MeetingKind
from models.db import SessionFactory, session_factory
from models.outbox import OutboxMessage
from models.policy import LONDON
from models.report import (
    DraftReportResult,
    ReportKind,
    ReportRow,
    ReportRunInput,
    ReportTrigger,
    UpdateRequest,
)
from models.report_timing import quarterly_moment
from services import directory
from tests.factories import add_board, add_owner, case_input, session_body
from tests.helpers import advance, eventually
from workflows import action_workflow_id, case_workflow_id


@pytest.fixture
def sessions(db_engine) -> SessionFactory:
    """SQLite, and PostgreSQL too when CVT_TEST_POSTGRES_URL is set."""
    return session_factory(db_engine)


def outbox(sessions: SessionFactory, kind: str) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.exec(select(OutboxMessage).where(OutboxMessage.kind == kind)).all())


async def test_owners_of_open_actions_are_asked_once_at_the_quarterly_cutoff(
    ts_env: WorkflowEnvironment, ts_worker: Worker, sessions: SessionFactory, task_queue: str
) -> None:
    client = ts_env.client
    add_board(sessions)
    owner = add_owner(sessions, name="Priya Shah")
    start = (await ts_env.get_current_time()).astimezone(LONDON)
    meeting = start.date() - timedelta(days=1)
    board_meeting = meeting + timedelta(days=70)
    with sessions() as session:
        directory.add_meeting(
            session=session,
            slug="tht",
            body=BoardMeetingBase(
                kind=MeetingKind.board, date=board_meeting, receives_quarterly_report=True
            ),
        )
    body = session_body(
        meeting_date=meeting,
        actions=[
            {
                "text": "Survey every flat",
                "owner_id": str(owner.id),
                "due_date": (meeting + timedelta(days=120)).isoformat(),
            },
            {"text": "Name someone to write to residents"},
        ],
    )
    case = case_input(sessions, body, now=start)
    await client.start_workflow(
        "CaseWorkflow", case, id=case_workflow_id(case.state.record.id), task_queue=task_queue
    )
    owned, unowned = case.state.unstarted_actions
    await eventually(lambda: outbox(sessions, "owner_action_assigned"))
    # Weeks go by: the owner never acknowledges (reminded, then escalated).
    await advance(ts_env, timedelta(days=55))
    moment = quarterly_moment(_policy(sessions), board_meeting)
    run = ReportRunInput(
        board="tht", kind=ReportKind.quarterly, scheduled_for=moment, late_after_seconds=10**9
    )
    result = await client.execute_workflow(
        "ReportWorkflow",
        run,
        id="report-tht-quarterly-test-1",
        task_queue=task_queue,
        result_type=DraftReportResult,
    )
    assert result.created and result.meeting_date == board_meeting
    assert result.update_targets == [owned.id]
    asked = await eventually(lambda: outbox(sessions, "owner_update_request"))
    assert [(m.action_id, m.recipient_name) for m in asked] == [(owned.id, "Priya Shah")]
    assert asked[0].facts["board_meeting_date"] == board_meeting.isoformat()

    # The row shows what the engine found by then: not acknowledged, escalated: Red.
    with sessions() as session:
        (row,) = session.exec(select(ReportRow).where(ReportRow.report_id == result.report_id))
    assert row.board_month and row.rag == "red"
    assert row.rag_text.splitlines() == ["Red", "1. Red", "2. Red"]

    # A second run for the same meeting, and a repeated signal, ask nobody again.
    again = await client.execute_workflow(
        "ReportWorkflow",
        run.model_copy(update={"trigger": ReportTrigger.manual}),
        id="report-tht-quarterly-test-2",
        task_queue=task_queue,
        result_type=DraftReportResult,
    )
    assert not again.created and again.report_id == result.report_id
    handle = client.get_workflow_handle(action_workflow_id(owned.id))
    await handle.signal(
        "request_update",
        UpdateRequest(
            key=str(result.report_id),
            report_id=result.report_id,
            meeting_date=board_meeting,
            cutoff_at=moment,
        ),
    )
    await advance(ts_env, timedelta(minutes=1))
    await eventually(lambda: _audited(sessions, "action.update_requested") == 1)
    assert len(outbox(sessions, "owner_update_request")) == 1
    # The unowned action had no owner to ask (the report still shows it).
    assert unowned.id not in result.update_targets
    assert date.fromisoformat(asked[0].facts["board_meeting_date"]) == board_meeting


def _audited(sessions: SessionFactory, verb: str) -> int:
    with sessions() as session:
        return len(session.exec(select(AuditEvent).where(AuditEvent.verb == verb)).all())


def _policy(sessions: SessionFactory):  # type: ignore[no-untyped-def]
    from models.board import Board

    with sessions() as session:
        return session.exec(select(Board)).one().policy
