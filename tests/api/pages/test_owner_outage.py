"""A form sent while no worker runs is kept: the receipt says so, and it is applied when a worker
is back (real Temporal dev server, workers started and stopped by the test)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.action import Action, ActionStatus
from models.db import SessionFactory
from models.inbox import CommandStatus, InboxCommand
from notifications.links import Links
from tests.api.pages.conftest import form_fields
from tests.helpers import eventually
from tests.live import app_settings, serve_app
from tests.mailflow import commands_for, start_case
from worker.build import build_worker

pytestmark = [pytest.mark.e2e]


async def test_an_update_sent_while_the_worker_is_down_is_applied_when_it_is_back(
    dev_env: WorkflowEnvironment,
    engine: Any,
    sessions: SessionFactory,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> None:
    def worker() -> Any:
        return build_worker(
            dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
        )

    async with worker():
        commands = commands_for(sessions, dev_env.client, task_queue)
        _, [action_id] = await start_case(commands, sessions)
    settings = app_settings(task_queue=task_queue, command_wait_seconds=1.0)
    async with serve_app(engine=engine, client=dev_env.client, settings=settings) as live:
        with sessions() as session:
            action = session.get(Action, action_id)
            assert action is not None and action.owner_id is not None
        links = Links(
            settings.secret_key.get_secret_value(), live.base_url, max_age=timedelta(days=60)
        )
        link = links.owner_url(action.id, action.owner_id, action.assignment_no)

        async with httpx2.AsyncClient(base_url=live.base_url, timeout=30) as owner:
            page = await owner.get(link)
            sent = await owner.post(f"{link}/acknowledge", data=form_fields(page.text))
            assert sent.status_code == 303
            receipt = await owner.get(sent.headers["location"])
        assert (
            "we have received this" in receipt.text
            and "do not need to send it again" in receipt.text
        )

        def status() -> CommandStatus:
            with sessions() as session:
                rows = session.exec(
                    select(InboxCommand).where(InboxCommand.kind == "acknowledge")
                ).all()
                return rows[0].status

        assert status() in (CommandStatus.received, CommandStatus.delivered)
        async with worker():
            await eventually(lambda: status() is CommandStatus.applied, timeout=30)
        with sessions() as session:
            action = session.get(Action, action_id)
            assert action is not None and action.status is ActionStatus.in_progress
