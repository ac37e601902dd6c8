"""The command inbox: store a submission, hand it to its workflow, report what became of it.

``submit`` commits the command first (so nothing is lost if anything after fails), then tries to
deliver it to Temporal at once, then waits briefly for the workflow's answer. Whatever is not
delivered now is delivered by ``deliver_pending``, which the API runs in the background.

Every status change is a compare-and-set on the status the writer expects (``_move``), so the
API marking a command delivered can never overwrite the workflow's "applied" recorded a moment
before. The wait (``settle``) holds no database connection: ``OutcomeWatch`` reads the outcome
of every waiting command in one query a round; a command not yet delivered (its workflow not
started yet, Temporal unreachable) is offered again while the request waits. At most
``max_waiting`` requests wait at once in a process; more are refused (``Busy``) before storing.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from temporalio.client import Client
from temporalio.client import WorkflowExecutionStatus as Status
from temporalio.common import WorkflowIDConflictPolicy
from temporalio.service import RPCError, RPCStatusCode

from models.base import utcnow
from models.commands import ActionCommandSignal, CaseCommandSignal, CommandEnvelope
from models.db import SessionFactory
from models.inbox import FINAL, CommandStatus, InboxCommand
from models.messages import CaseInput
from services.errors import Busy
from services.idempotency import KeyReused
from services.inbox_watch import OutcomeWatch

log = logging.getLogger(__name__)
REDELIVER_SECONDS = 0.5  # while a request waits, a command still not delivered is offered again


class Channel(StrEnum):
    start_case = "start_case"
    case = "case"
    action = "action"


class Inbox:
    def __init__(
        self,
        sessions: SessionFactory,
        client: Client | None,
        *,
        task_queue: str,
        wait_seconds: float = 5.0,
        max_waiting: int = 200,
        admission_seconds: float = 1.0,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.task_queue = task_queue
        self.wait_seconds = wait_seconds
        self.admission_seconds = admission_seconds
        self.watch = OutcomeWatch(sessions)
        self._waiting = asyncio.BoundedSemaphore(max_waiting)

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
        request_hash: str | None = None,
        case_id: uuid.UUID | None = None,
        action_id: uuid.UUID | None = None,
    ) -> InboxCommand:
        """Commit the command; a key stored before returns the first command unchanged
        (``KeyReused`` if it was for a different request)."""
        command_id = command.command_id if command else command_id
        assert command_id is not None
        key = idempotency_key or str(command_id)
        row = InboxCommand(
            id=command_id,
            idempotency_key=key,
            request_hash=request_hash,
            kind=kind,
            workflow_id=workflow_id,
            case_id=case_id,
            action_id=action_id,
            actor_name=actor_name,
            received_at=command.received_at if command else utcnow(),
            payload={"channel": channel.value, "body": payload.model_dump(mode="json")},
        )
        existing = self.find(key, request_hash)
        if existing is not None:
            return existing
        with self.sessions() as session:
            session.add(row)
            try:
                session.commit()
            except IntegrityError:
                session.rollback()
                existing = self.find(key, request_hash)  # the same key, stored a moment ago
                if existing is None:
                    raise
                return existing
            session.refresh(row)
            return row

    def find(self, key: str, request_hash: str | None) -> InboxCommand | None:
        """The command stored under ``key``; ``KeyReused`` if it was a different request."""
        with self.sessions() as session:
            row = session.exec(
                select(InboxCommand).where(InboxCommand.idempotency_key == key)
            ).first()
        if row is not None and request_hash and row.request_hash not in (None, request_hash):
            raise KeyReused(row.kind, row.id)
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
                self._move, command.id, CommandStatus.rejected, outcome=str(gone)
            )
        except Exception as error:  # Temporal down, workflow not started yet, …: retried later
            log.info("command %s not delivered yet: %s", command.id, error)
            return await asyncio.to_thread(self._note_attempt, command.id, str(error))
        return await asyncio.to_thread(self._move, command.id, CommandStatus.delivered)

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

    # --- answering ----------------------------------------------------------------------------

    async def submit(self, *, wait: bool = True, **store_args: Any) -> InboxCommand:
        """Store, deliver, and (``wait``) wait briefly for the workflow's answer.

        Waiting, it first takes one of ``max_waiting`` places (``Busy`` if none frees within
        ``admission_seconds``: nothing is stored then)."""
        if not wait:
            row = await asyncio.to_thread(lambda: self.store(**store_args))
            await self.deliver(row)
            return await asyncio.to_thread(self.get, row.id)
        async with self._admitted():
            row = await asyncio.to_thread(lambda: self.store(**store_args))
            return await self.settle(row)

    async def follow(self, row: InboxCommand) -> InboxCommand:
        """A command sent again (same key, same request): its answer, as for the first."""
        async with self._admitted():
            return await self.settle(row)

    async def settle(self, row: InboxCommand, timeout: float | None = None) -> InboxCommand:
        """Deliver ``row`` if it is not yet, then wait until it is applied or rejected (or
        ``timeout`` runs out); the row as it then stands. Holds no connection while waiting."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.wait_seconds if timeout is None else timeout)
        status = row.status
        try:
            while True:
                if status is CommandStatus.received:
                    status = await self.deliver(row)
                remaining = deadline - loop.time()
                if status in FINAL or remaining <= 0:
                    break
                pause = REDELIVER_SECONDS if status is CommandStatus.received else remaining
                status = await self.watch.final(row.id, min(pause, remaining)) or status
            return await asyncio.to_thread(self.get, row.id)
        except Exception:  # the database is overloaded or down: it is stored, the relay has it
            log.exception("command %s: answering 'stored' after an error", row.id)
            return row

    async def wait(self, command_id: uuid.UUID, timeout: float | None = None) -> InboxCommand:
        """The command once applied or rejected, or as it stands when ``timeout`` runs out."""
        return await self.settle(await asyncio.to_thread(self.get, command_id), timeout)

    @asynccontextmanager
    async def _admitted(self) -> AsyncIterator[None]:
        try:
            await asyncio.wait_for(self._waiting.acquire(), self.admission_seconds)
        except TimeoutError:
            raise Busy(
                "Too many submissions are waiting for an answer just now. Nothing has been "
                "stored: send it again in a few seconds.",
                retry_after=max(1, round(self.wait_seconds)),
            ) from None
        try:
            yield
        finally:
            self._waiting.release()

    async def close(self) -> None:
        await self.watch.close()

    # --- rows (every status change is a compare-and-set) --------------------------------------

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

    def _move(
        self, command_id: uuid.UUID, status: CommandStatus, *, outcome: str | None = None
    ) -> CommandStatus:
        """received → ``status`` (delivered, or rejected with ``outcome``); the status after."""
        now = utcnow()
        values: dict[str, Any] = {
            "status": status,
            "attempts": col(InboxCommand.attempts) + 1,
            "delivered_at": now,
        }
        if outcome is not None:
            values.update(outcome_at=now, outcome_message=outcome)
        return self._compare_and_set(command_id, values, becomes=status)

    def _note_attempt(self, command_id: uuid.UUID, error: str) -> CommandStatus:
        """received → received, counting a failed delivery; the status after."""
        values = {"attempts": col(InboxCommand.attempts) + 1, "last_delivery_error": error[:500]}
        return self._compare_and_set(command_id, values, becomes=CommandStatus.received)

    def _compare_and_set(
        self, command_id: uuid.UUID, values: dict[str, Any], *, becomes: CommandStatus
    ) -> CommandStatus:
        with self.sessions() as session:
            result = session.execute(
                update(InboxCommand)
                .where(col(InboxCommand.id) == command_id)
                .where(col(InboxCommand.status) == CommandStatus.received)
                .values(**values)
            )
            session.commit()
            if result.rowcount == 1:  # type: ignore[attr-defined]
                return becomes
            return CommandStatus(
                session.exec(select(InboxCommand.status).where(InboxCommand.id == command_id)).one()
            )


class _Gone(Exception):
    """The target workflow has finished: the command can never apply."""


def _closed_message(channel: Channel) -> str:
    if channel is Channel.action:
        return "This action is closed, so it can no longer be changed."
    return "This case is finished and archived, so it can no longer be changed."
