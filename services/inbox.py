"""The command inbox: store a submission, hand it to its workflow, report what became of it.

``submit`` commits the command first (so nothing is lost if anything after fails), then tries to
deliver it to Temporal at once, then waits briefly for the workflow's answer. Whatever is not
delivered now is delivered by ``deliver_pending``, which the API runs in the background.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Update, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from temporalio.client import Client
from temporalio.client import WorkflowExecutionStatus as Status
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from models.base import utcnow
from models.commands import ActionCommandSignal, CaseCommandSignal, CommandEnvelope
from models.db import SessionFactory
from models.inbox import CommandStatus, InboxCommand
from models.messages import CaseInput

log = logging.getLogger(__name__)


class Channel(StrEnum):
    start_case = "start_case"
    case = "case"
    action = "action"


_FINAL = (CommandStatus.applied, CommandStatus.rejected)


class Inbox:
    def __init__(
        self,
        sessions: SessionFactory,
        client: Client | None,
        *,
        task_queue: str,
        wait_seconds: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.task_queue = task_queue
        self.wait_seconds = wait_seconds

    # --- storing ------------------------------------------------------------------------------

    def store(
        self,
        *,
        channel: Channel,
        workflow_id: str,
        payload: BaseModel,
        command: CommandEnvelope | None = None,
        command_id: uuid.UUID | None = None,
        kind: str,
        actor_name: str,
        idempotency_key: str | None = None,
        case_id: uuid.UUID | None = None,
        action_id: uuid.UUID | None = None,
    ) -> InboxCommand:
        """Commit the command; a repeated idempotency key returns the first one unchanged."""
        command_id = command.command_id if command else command_id
        assert command_id is not None
        key = idempotency_key or str(command_id)
        row = InboxCommand(
            id=command_id,
            idempotency_key=key,
            kind=kind,
            workflow_id=workflow_id,
            case_id=case_id,
            action_id=action_id,
            actor_name=actor_name,
            received_at=command.received_at if command else utcnow(),
            payload={"channel": channel.value, "body": payload.model_dump(mode="json")},
        )
        with self.sessions() as session:
            existing = session.exec(
                select(InboxCommand).where(InboxCommand.idempotency_key == key)
            ).first()
            if existing is not None:
                return existing
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                existing = session.exec(
                    select(InboxCommand).where(InboxCommand.idempotency_key == key)
                ).first()
                if existing is None:
                    raise
                return existing
            session.refresh(row)
            return row

    # --- delivering ---------------------------------------------------------------------------

    async def deliver(self, command: InboxCommand) -> CommandStatus:
        """Hand one stored command to Temporal; returns its status afterwards."""
        if command.status is not CommandStatus.received or self.client is None:
            return command.status
        try:
            await self._send(command)
        except _Gone as gone:
            return await asyncio.to_thread(
                self._mark, command.id, CommandStatus.rejected, outcome=str(gone)
            )
        except Exception as error:  # Temporal down, workflow not started yet, …: retried later
            log.info("command %s not delivered yet: %s", command.id, error)
            await asyncio.to_thread(self._note_attempt, command.id, str(error))
            return CommandStatus.received
        return await asyncio.to_thread(self._mark, command.id, CommandStatus.delivered)

    async def _send(self, command: InboxCommand) -> None:
        assert self.client is not None
        channel = Channel(command.payload["channel"])
        body: dict[str, Any] = command.payload["body"]
        if channel is Channel.start_case:
            await self.client.start_workflow(
                "CaseWorkflow",
                CaseInput.model_validate(body),
                id=command.workflow_id,
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                static_summary=f"Case {command.case_id}",
            )
            return
        signal: BaseModel = (
            ActionCommandSignal.model_validate(body)
            if channel is Channel.action
            else CaseCommandSignal.model_validate(body)
        )
        handle = self.client.get_workflow_handle(command.workflow_id)
        try:
            await handle.signal("submit", signal)
        except RPCError as error:
            if error.status is not RPCStatusCode.NOT_FOUND:
                raise
            description = await handle.describe()  # raises NOT_FOUND if it never started
            if description.status is not Status.RUNNING:
                raise _Gone(_closed_message(channel)) from error
            raise

    async def deliver_pending(self, limit: int = 100) -> int:
        """Deliver commands still waiting (the background relay); returns how many went."""
        rows = await asyncio.to_thread(self._pending, limit)
        delivered = 0
        for row in rows:
            if await self.deliver(row) is not CommandStatus.received:
                delivered += 1
        return delivered

    async def run_relay(self, interval: float) -> None:
        while True:
            try:
                await self.deliver_pending()
            except Exception:  # the database may be down: try again next round
                log.exception("relay round failed")
            await asyncio.sleep(interval)

    # --- waiting ------------------------------------------------------------------------------

    async def wait(self, command_id: uuid.UUID, timeout: float | None = None) -> InboxCommand:
        """The command once applied or rejected, or as it stands when ``timeout`` runs out."""
        deadline = asyncio.get_running_loop().time() + (
            self.wait_seconds if timeout is None else timeout
        )
        while True:
            row = await asyncio.to_thread(self.get, command_id)
            if row.status in _FINAL or asyncio.get_running_loop().time() >= deadline:
                return row
            await asyncio.sleep(0.05)

    async def submit(self, *, wait: bool = True, **store_args: Any) -> InboxCommand:
        """Store, deliver, and (``wait``) wait briefly for the workflow's answer."""
        row = await asyncio.to_thread(lambda: self.store(**store_args))
        await self.deliver(row)
        return await self.wait(row.id) if wait else await asyncio.to_thread(self.get, row.id)

    # --- rows ---------------------------------------------------------------------------------

    def get(self, command_id: uuid.UUID) -> InboxCommand:
        with self.sessions() as session:
            row = session.get(InboxCommand, command_id)
            assert row is not None
            return row

    def _pending(self, limit: int) -> list[InboxCommand]:
        with self.sessions() as session:
            return list(
                session.exec(
                    select(InboxCommand)
                    .where(InboxCommand.status == CommandStatus.received)
                    .order_by(InboxCommand.received_at)  # type: ignore[arg-type]
                    .limit(limit)
                ).all()
            )

    def _mark(
        self, command_id: uuid.UUID, status: CommandStatus, *, outcome: str | None = None
    ) -> CommandStatus:
        """Mark a command delivered (or rejected) only while it is still ``received``: one
        conditional UPDATE, so the workflow's outcome, written by its worker at any moment, is
        never overwritten (a read-then-write here once turned ``applied`` back to
        ``delivered``)."""
        now = utcnow()
        values: dict[str, Any] = {
            "status": status,
            "attempts": col(InboxCommand.attempts) + 1,
            "delivered_at": now,
        }
        if outcome is not None:
            values |= {"outcome_at": now, "outcome_message": outcome}
        with self.sessions() as session:
            session.execute(self._while_received(command_id).values(**values))
            session.commit()
            return self.get(command_id).status

    def _note_attempt(self, command_id: uuid.UUID, error: str) -> None:
        with self.sessions() as session:
            session.execute(
                self._while_received(command_id).values(
                    attempts=col(InboxCommand.attempts) + 1, last_delivery_error=error[:500]
                )
            )
            session.commit()

    @staticmethod
    def _while_received(command_id: uuid.UUID) -> Update:
        return (
            update(InboxCommand)
            .where(col(InboxCommand.id) == command_id)
            .where(col(InboxCommand.status) == CommandStatus.received)
        )


class _Gone(Exception):
    """The target workflow has finished: the command can never apply."""


def _closed_message(channel: Channel) -> str:
    if channel is Channel.action:
        return "This action is closed, so it can no longer be changed."
    return "This case is finished and archived, so it can no longer be changed."
