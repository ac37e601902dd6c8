"""Turning a staff request (or a signed-link form) into a command for the right workflow.

Every command is checked first (``command_checks.py``: a clear answer at once), then stored in
the inbox and signalled to its workflow (``inbox.py``), which applies the same rules again
against its own state and has the final word. Shared by the API, the pages, the CLI, the
importer and the worker's bounce handling.
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
            idempotency_key=idempotency_key,
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
            idempotency_key=idempotency_key,
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
                if escalation.status is EscalationStatus.resolved:
                    raise Conflict(
                        "This escalation was resolved already, on "
                        f"{long_date(escalation.resolved_at)} by {escalation.resolved_by}."
                    )
                return escalation

        escalation = await asyncio.to_thread(find)
        if escalation.action_id is not None:
            return await self.to_action(
                escalation.action_id,
                "resolve_escalation",
                body,
                actor,
                idempotency_key=idempotency_key,
                escalation_id=escalation_id,
            )
        return await self.to_case(
            escalation.case_id,
            "resolve_escalation",
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
        idempotency_key: str | None = None,
        wait: bool = True,
    ) -> InboxCommand:
        """``build(session, command_id)`` returns the ``CaseInput`` (raising ``InvalidInput``).

        With an idempotency key seen before, the first submission is returned unchanged.
        """
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
            idempotency_key=idempotency_key,
            case_id=case_id,
            wait=wait,
        )
