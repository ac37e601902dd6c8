"""Waiting for the workflow's answer to stored commands, holding no database connection.

Every request waiting on a command registers here; one task reads the status of all of them in
one short query a round and wakes each whose command was applied or rejected. A hundred waiting
requests cost one query every ``interval``, not a hundred, and none keeps a connection between
rounds. (A faster answer through a Workflow Update can replace this wait later.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from sqlmodel import col, select

from models.db import SessionFactory
from models.inbox import FINAL, CommandStatus, InboxCommand

log = logging.getLogger(__name__)


class OutcomeWatch:
    def __init__(self, sessions: SessionFactory, *, interval: float = 0.05) -> None:
        self.sessions = sessions
        self.interval = interval
        self._waiters: dict[uuid.UUID, list[asyncio.Future[CommandStatus]]] = {}
        self._task: asyncio.Task[None] | None = None

    async def final(self, command_id: uuid.UUID, timeout: float) -> CommandStatus | None:
        """The command's final status once it has one, or None when ``timeout`` runs out."""
        future: asyncio.Future[CommandStatus] = asyncio.get_running_loop().create_future()
        self._waiters.setdefault(command_id, []).append(future)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="inbox-outcome-watch")
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            return None
        finally:
            waiting = self._waiters.get(command_id, [])
            if future in waiting:
                waiting.remove(future)
            if not waiting:
                self._waiters.pop(command_id, None)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while self._waiters:
            try:
                found = await asyncio.to_thread(self._statuses, list(self._waiters))
            except Exception:  # the database is busy or down: the waiters time out as stored
                log.exception("reading command outcomes failed")
                found = {}
            for command_id, status in found.items():
                if status in FINAL:
                    for future in self._waiters.pop(command_id, []):
                        if not future.done():
                            future.set_result(status)
            await asyncio.sleep(self.interval)

    def _statuses(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, CommandStatus]:
        with self.sessions() as session:
            rows = session.exec(
                select(InboxCommand.id, InboxCommand.status).where(col(InboxCommand.id).in_(ids))
            ).all()
        return {row[0]: CommandStatus(row[1]) for row in rows}
