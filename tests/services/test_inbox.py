"""Human input is never lost: stored first, delivered when Temporal is reachable, applied when a
worker runs. Real Temporal dev servers, real workers, real SQLite."""

from __future__ import annotations

from datetime import date

import pytest

from models.base import utcnow
from models.case import Case
from models.inbox import CommandStatus
from services import intake
from services.commands import Commands
from services.inbox import Inbox
from tests.factories import LEAD, add_board, get, session_body
from tests.helpers import eventually
from tests.live import app_settings, free_port
from tests.temporal import start_dev_server
from worker.build import build_worker
from workflows.client import connect

pytestmark = pytest.mark.e2e


def start_case(commands: Commands):
    body = session_body(meeting_date=date.today(), actions=[{"text": "Survey every flat"}])
    return commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )


async def test_worker_down_the_session_is_accepted_and_applied_when_it_returns(
    dev_env, sessions, task_queue, executor
):
    add_board(sessions)
    inbox = Inbox(sessions, dev_env.client, task_queue=task_queue, wait_seconds=1)
    row = await start_case(Commands(sessions, inbox))
    assert row.status is CommandStatus.delivered
    with sessions() as session:
        assert get(session, Case) == []

    worker = build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    )
    async with worker:
        applied = await eventually(lambda: inbox.get(row.id).status is CommandStatus.applied)
        assert applied
    with sessions() as session:
        assert [c.id for c in get(session, Case)] == [row.case_id]


async def test_temporal_down_the_session_is_stored_and_delivered_when_it_is_back(
    sessions, task_queue, executor
):
    add_board(sessions)
    port = free_port()
    client = await connect(app_settings(temporal_address=f"127.0.0.1:{port}"), lazy=True)
    inbox = Inbox(sessions, client, task_queue=task_queue, wait_seconds=0.5)
    row = await start_case(Commands(sessions, inbox))
    assert row.status is CommandStatus.received
    assert await inbox.deliver_pending() == 0
    assert inbox.get(row.id).attempts >= 1

    env = await start_dev_server(port=port)
    try:
        worker = build_worker(
            env.client, sessions=sessions, task_queue=task_queue, executor=executor
        )
        async with worker:
            await eventually(lambda: inbox.deliver_pending(), timeout=30, interval=0.5)
            await eventually(lambda: inbox.get(row.id).status is CommandStatus.applied)
    finally:
        await env.shutdown()
    with sessions() as session:
        assert [c.id for c in get(session, Case)] == [row.case_id]
