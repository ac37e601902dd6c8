"""A staff request (or a signed-link form) made into a typed command, with the quick checks.

The checks here give an immediate, clear answer (no such action, not possible in its state, a
due date before the meeting); the workflow applies the same rules again against its own state,
which has the final word. ``commands.py`` submits the result through the inbox.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter
from sqlmodel import Session

from models.action import Action
from models.audit import Actor
from models.case import Case
from models.commands import (
    ActionCommand,
    AddAction,
    AddActionBody,
    CaseCommand,
    refusal,
)
from models.formatting import long_date
from services import intake
from services.errors import Conflict, FieldError, InvalidInput, NotFound

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
    why = refusal(kind, action.status, action.is_closed, history=action.is_history)
    if why:
        raise Conflict(why)
    fields: dict[str, Any] = {
        **body.model_dump(),
        "kind": kind,
        **_envelope(actor, at, for_assignment),
    }
    if kind in ("assign_owner", "take_on"):
        fields["owner"] = intake.owner_ref(session, fields["owner_id"], field="owner_id")
    if kind in ("extend_due_date", "take_on"):
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
