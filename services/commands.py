"""Turning a staff request (or a signed-link form) into a command for the right workflow.

A request with an idempotency key seen before (from the same person, for the same operation on
the same record: ``idempotency.py``) gets the first command's answer, before anything else is
checked: a retry after the action closed still gets its receipt. Every new command is checked
(``command_checks.py``: a clear answer at once), then stored in the inbox and signalled to its
workflow (``inbox.py``), which applies the same rules again against its own state and has the
final word. Shared by the API, the pages, the CLI, the importer and the worker's bounce handling.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel

from models.action import Action
from models.audit import Actor
from models.base import utcnow
from models.commands import ActionCommandSignal, CaseCommandSignal
from models.db import SessionFactory
from models.escalation import Escalation, EscalationStatus
from models.formatting import long_date
from models.inbox import InboxCommand
from services import idempotency
from services.command_checks import prepare_action_command, prepare_case_command
from services.errors import Conflict, NotFound
from services.inbox import Channel, Inbox
from workflows import action_workflow_id, case_workflow_id


class Commands:
    """Submits commands through the inbox (shared by the API, pages and CLI)."""

    def __init__(
        self, sessions: SessionFactory, inbox: Inbox, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.sessions = sessions
        self.inbox = inbox
        self.clock = clock

    async def to_action(
        self,
        action_id: uuid.UUID,
        kind: str,
        body: BaseModel,
        actor: Actor,
        *,
        idempotency_key: str | None = None,
        for_assignment: int | None = None,
        escalation_id: uuid.UUID | None = None,
        wait: bool = True,
    ) -> InboxCommand:
        asked = _action_request(
            actor, action_id, kind, body, idempotency_key, escalation_id, for_assignment
        )
        if (first := await self.repeat(asked, wait=wait)) is not None:
            return first

        def prepare() -> tuple[Action, Any]:
            with self.sessions() as session:
                return prepare_action_command(
                    session,
                    action_id=action_id,
                    kind=kind,
                    body=body,
                    actor=actor,
                    for_assignment=for_assignment,
                    escalation_id=escalation_id,
                    at=self.clock(),
                )

        action, command = await asyncio.to_thread(prepare)
        return await self.inbox.submit(
            channel=Channel.action,
            workflow_id=action_workflow_id(action_id),
            payload=ActionCommandSignal(command=command),
            command=command,
            kind=kind,
            actor_name=actor.name,
            idempotency_key=asked.key,
            request_hash=asked.hash,
            case_id=action.case_id,
            action_id=action_id,
            wait=wait,
        )

    async def to_case(
        self,
        case_id: uuid.UUID,
        kind: str,
        body: BaseModel,
        actor: Actor,
        *,
        idempotency_key: str | None = None,
        escalation_id: uuid.UUID | None = None,
        extra: dict[str, Any] | None = None,
        wait: bool = True,
    ) -> InboxCommand:
        """``extra``: fields the command carries besides the body (e.g. a signed link's ids)."""
        asked = _case_request(actor, case_id, kind, body, idempotency_key, escalation_id, extra)
        if (first := await self.repeat(asked, wait=wait)) is not None:
            return first

        def prepare() -> Any:
            with self.sessions() as session:
                return prepare_case_command(
                    session,
                    case_id=case_id,
                    kind=kind,
                    body=body,
                    actor=actor,
                    escalation_id=escalation_id,
                    at=self.clock(),
                    extra=extra,
                )

        command = await asyncio.to_thread(prepare)
        return await self.inbox.submit(
            channel=Channel.case,
            workflow_id=case_workflow_id(case_id),
            payload=CaseCommandSignal(command=command),
            command=command,
            kind=kind,
            actor_name=actor.name,
            idempotency_key=asked.key,
            request_hash=asked.hash,
            case_id=case_id,
            action_id=getattr(command, "action_id", None),
            wait=wait,
        )

    async def resolve_escalation(
        self,
        escalation_id: uuid.UUID,
        body: BaseModel,
        actor: Actor,
        *,
        idempotency_key: str | None = None,
    ) -> InboxCommand:
        def find() -> Escalation:
            with self.sessions() as session:
                escalation = session.get(Escalation, escalation_id)
                if escalation is None:
                    raise NotFound(f"No escalation with id {escalation_id}.")
                return escalation

        escalation = await asyncio.to_thread(find)
        kind = "resolve_escalation"
        asked = (
            _action_request(actor, escalation.action_id, kind, body, idempotency_key, escalation_id)
            if escalation.action_id is not None
            else _case_request(
                actor, escalation.case_id, kind, body, idempotency_key, escalation_id
            )
        )
        if (first := await self.repeat(asked)) is not None:
            return first
        if escalation.status is EscalationStatus.resolved:
            raise Conflict(
                "This escalation was resolved already, on "
                f"{long_date(escalation.resolved_at)} by {escalation.resolved_by}."
            )
        if escalation.action_id is not None:
            return await self.to_action(
                escalation.action_id,
                kind,
                body,
                actor,
                idempotency_key=idempotency_key,
                escalation_id=escalation_id,
            )
        return await self.to_case(
            escalation.case_id,
            kind,
            body,
            actor,
            idempotency_key=idempotency_key,
            escalation_id=escalation_id,
        )

    async def start_case(
        self,
        build: Any,
        actor: Actor,
        *,
        body: BaseModel | None = None,
        idempotency_key: str | None = None,
        wait: bool = True,
    ) -> InboxCommand:
        """``build(session, command_id)`` returns the ``CaseInput`` (raising ``InvalidInput``)
        for the session recorded in ``body`` (what was asked, for the idempotency check).

        With an idempotency key seen before, the first submission is returned unchanged.
        """
        asked = idempotency.request(actor, "start_case", "cases", body, idempotency_key)
        if (first := await self.repeat(asked, wait=wait)) is not None:
            return first
        command_id = uuid.uuid4()

        def prepare() -> Any:
            with self.sessions() as session:
                return build(session, command_id)

        case_input = await asyncio.to_thread(prepare)
        case_id = case_input.state.record.id
        return await self.inbox.submit(
            channel=Channel.start_case,
            workflow_id=case_workflow_id(case_id),
            payload=case_input,
            command_id=command_id,
            kind="start_case",
            actor_name=actor.name,
            idempotency_key=asked.key,
            request_hash=asked.hash,
            case_id=case_id,
            wait=wait,
        )

    async def first_for_action(
        self,
        action_id: uuid.UUID,
        kind: str,
        body: BaseModel,
        actor: Actor,
        *,
        idempotency_key: str | None,
        for_assignment: int | None = None,
    ) -> InboxCommand | None:
        """The command this request sent before (same key), answered; None if it is new.

        For a page that checks the record's state itself before ``to_action``: a form sent
        twice gets its first receipt even after the first one closed the action."""
        asked = _action_request(
            actor, action_id, kind, body, idempotency_key, for_assignment=for_assignment
        )
        return await self.repeat(asked)

    async def first_for_case(
        self,
        case_id: uuid.UUID,
        kind: str,
        body: BaseModel,
        actor: Actor,
        *,
        idempotency_key: str | None,
        extra: dict[str, Any] | None = None,
    ) -> InboxCommand | None:
        """As ``first_for_action``, for ``to_case``."""
        return await self.repeat(
            _case_request(actor, case_id, kind, body, idempotency_key, extra=extra)
        )

    async def repeat(self, asked: idempotency.Request, *, wait: bool = True) -> InboxCommand | None:
        """The first command sent with this key (followed to its answer), or None if it is new;
        ``KeyReused`` if the key was used for a different request."""
        if asked.key is None:
            return None
        first = await asyncio.to_thread(self.inbox.find, asked.key, asked.hash)
        if first is None:
            return None
        return await self.inbox.follow(first) if wait else first


def _action_request(
    actor: Actor,
    action_id: uuid.UUID,
    kind: str,
    body: BaseModel,
    key: str | None,
    escalation_id: uuid.UUID | None = None,
    for_assignment: int | None = None,
) -> idempotency.Request:
    return idempotency.request(
        actor,
        kind,
        f"action:{action_id}",
        body,
        key,
        escalation_id=escalation_id,
        for_assignment=for_assignment,
    )


def _case_request(
    actor: Actor,
    case_id: uuid.UUID,
    kind: str,
    body: BaseModel,
    key: str | None,
    escalation_id: uuid.UUID | None = None,
    extra: dict[str, Any] | None = None,
) -> idempotency.Request:
    return idempotency.request(
        actor, kind, f"case:{case_id}", body, key, escalation_id=escalation_id, **(extra or {})
    )
