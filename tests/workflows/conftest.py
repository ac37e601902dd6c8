"""A scenario for workflow tests: a board with the default policy, two owners in the directory,
a worker on the time-skipping server, and commands sent the real way (inbox → signal)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.action import Action
from models.audit import Actor
from models.case import Case
from models.commands import Body
from models.db import SessionFactory
from models.inbox import InboxCommand
from models.messages import CaseInput
from models.partner import Owner
from services.commands import Commands
from services.inbox import Inbox
from tests.factories import CV_LEAD, LEAD, add_board, add_owner, case_input, session_body
from tests.helpers import advance_to, eventually, workflow_started
from tests.workflows.calendar_anchor import easter_week_monday
from workflows import action_workflow_id, case_workflow_id


@dataclass
class Scenario:
    env: WorkflowEnvironment
    sessions: SessionFactory
    task_queue: str
    monday: date
    owner: Owner
    other_owner: Owner
    now: datetime = field(init=False)
    commands: Commands = field(init=False)

    def __post_init__(self) -> None:
        inbox = Inbox(self.sessions, self.env.client, task_queue=self.task_queue, wait_seconds=60)
        self.commands = Commands(self.sessions, inbox, clock=lambda: self.now)

    async def go_to(self, moment: datetime) -> None:
        await advance_to(self.env, moment)
        self.now = await self.env.get_current_time()

    async def start(
        self,
        *,
        actions: list[dict[str, Any]] | None = None,
        history_limit: int | None = None,
        **body: Any,
    ) -> CaseInput:
        self.now = await self.env.get_current_time()
        meeting = body.pop("meeting_date", self.monday)
        case = case_input(
            self.sessions, session_body(meeting_date=meeting, actions=actions, **body), now=self.now
        )
        if history_limit is not None:
            case.history_limit = history_limit
        await self.env.client.start_workflow(
            "CaseWorkflow",
            case,
            id=case_workflow_id(case.state.record.id),
            task_queue=self.task_queue,
        )
        await eventually(lambda: self.rows(Case, id=case.state.record.id))
        # Its actions' workflows start a moment after the case. A command sent before then is
        # left for the inbox relay, which these tests do not run.
        for action in case.state.unstarted_actions:
            await workflow_started(self.env.client, action_workflow_id(action.id))
        return case

    async def act(
        self, action_id: uuid.UUID, kind: str, body: Body, actor: Actor = LEAD, **kw: Any
    ) -> InboxCommand:
        """Send a command the real way and wait for the workflow's answer."""
        self.now = await self.env.get_current_time()
        return await self.commands.to_action(action_id, kind, body, actor, **kw)

    async def on_case(
        self, case_id: uuid.UUID, kind: str, body: Body, actor: Actor = LEAD
    ) -> InboxCommand:
        self.now = await self.env.get_current_time()
        return await self.commands.to_case(case_id, kind, body, actor)

    def rows(self, table: Any, **where: Any) -> list[Any]:
        with self.sessions() as session:
            query = select(table)
            for key, value in where.items():
                query = query.where(getattr(table, key) == value)
            return list(session.exec(query).all())

    def action(self, action_id: uuid.UUID) -> Action:
        with self.sessions() as session:
            row = session.get(Action, action_id)
            assert row is not None
            return row


@pytest.fixture
async def scenario(ts_env, ts_worker, sessions, task_queue) -> AsyncIterator[Scenario]:
    add_board(sessions)
    owner = add_owner(sessions, name="Olu Owner")
    other = add_owner(sessions, name="Kim Other", partner="London Borough of Tower Hamlets")
    now = await ts_env.get_current_time()
    yield Scenario(
        env=ts_env,
        sessions=sessions,
        task_queue=task_queue,
        monday=easter_week_monday(now.date()),
        owner=owner,
        other_owner=other,
    )


__all__ = ["CV_LEAD", "LEAD", "Scenario"]
