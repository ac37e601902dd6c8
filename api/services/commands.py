"""Turning a staff request (or a signed-link form) into a command for the right workflow.

The quick checks here give an immediate, clear answer; the workflow applies the same rules
again against its own state, which has the final word.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlmodel import Session

from api.services import intake
from api.services.errors import Conflict, FieldError, InvalidInput, NotFound
from api.services.inbox import Channel, Inbox
from models.action import Action
from models.audit import Actor
from models.base import utcnow
from models.case import Case
from models.commands import (
    ActionCommand,
    ActionCommandSignal,
    AddAction,
    AddActionBody,
    CaseCommand,
    CaseCommandSignal,
    refusal,
)
from models.db import SessionFactory
from models.escalation import Escalation, EscalationStatus
from models.formatting import long_date
from models.inbox import InboxCommand
from workflows import action_workflow_id, case_workflow_id

_ACTION_COMMAND: TypeAdapter[Any] = TypeAdapter(ActionCommand)
_CASE_COMMAND: TypeAdapter[Any] = TypeAdapter(CaseCommand)


def _envelope(actor: Actor, at: datetime, for_assignment: int | None = None) -> dict[str, Any]:
    return {
        "command_id": uuid.uuid4(),
        "actor": actor,
        "received_at": at,
        "for_assignment": for_assignment,
    }


def prepare_action_command(
    session: Session,
    *,
    action_id: uuid.UUID,
    kind: str,
    body: BaseModel,
    actor: Actor,
    for_assignment: int | None = None,
    escalation_id: uuid.UUID | None = None,
    at: datetime,
) -> tuple[Action, Any]:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"No action with id {action_id}.")
    why = refusal(kind, action.status, action.is_closed)
    if why:
        raise Conflict(why)
    fields: dict[str, Any] = {
        **body.model_dump(),
        "kind": kind,
        **_envelope(actor, at, for_assignment),
    }
    if kind == "assign_owner":
        fields["owner"] = intake.owner_ref(session, fields["owner_id"], field="owner_id")
    if kind == "extend_due_date":
        case = session.get(Case, action.case_id)
        assert case is not None
        if fields["due_date"] < case.meeting_date:
            raise InvalidInput(
                FieldError(
                    "due_date",
                    f"{long_date(fields['due_date'])} is before the meeting on "
                    f"{long_date(case.meeting_date)}; give a later date",
                )
            )
    if kind == "resolve_escalation":
        fields["escalation_id"] = escalation_id
    return action, _ACTION_COMMAND.validate_python(fields)


def prepare_case_command(
    session: Session,
    *,
    case_id: uuid.UUID,
    kind: str,
    body: BaseModel,
    actor: Actor,
    escalation_id: uuid.UUID | None = None,
    at: datetime,
    extra: dict[str, Any] | None = None,
) -> Any:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No case with id {case_id}.")
    fields: dict[str, Any] = {
        **body.model_dump(),
        "kind": kind,
        **_envelope(actor, at),
        **(extra or {}),
    }
    if kind == "resolve_escalation":
        fields["escalation_id"] = escalation_id
    if isinstance(body, AddActionBody):
        return _add_action(session, case, body, fields)
    return _CASE_COMMAND.validate_python(fields)


def _add_action(
    session: Session, case: Case, body: AddActionBody, fields: dict[str, Any]
) -> AddAction:
    if body.due_date is not None and body.due_date < case.meeting_date:
        raise InvalidInput(
            FieldError(
                "due_date",
                f"{long_date(body.due_date)} is before the meeting on "
                f"{long_date(case.meeting_date)}; give a date on or after it",
            )
        )
    owner = intake.owner_ref(session, body.owner_id, field="owner_id") if body.owner_id else None
    return AddAction(
        **{k: fields[k] for k in ("command_id", "actor", "received_at")},
        action_id=uuid.uuid4(),
        text=body.text,
        owner=owner,
        owner_as_written=body.owner_as_written,
        partner_id=body.partner_id,
        partner_name=intake.partner_name(session, body.partner_id, field="partner_id"),
        due_date=body.due_date,
        due_at=body.due_at,
    )


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
