"""Cases: record a session (starts its workflow), read it, drive its case-level steps."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import (
    ActionDriver,
    CommandsDep,
    IdempotencyKey,
    Reader,
    SessionDep,
    SessionRecorder,
    staff_actor,
)
from api.receipts import RECEIPT_RESPONSES, receipt_response
from models.audit import AuditRecord
from models.base import utcnow
from models.case import CaseCreate, CaseDetail, CaseStatus, CaseSummary
from models.commands import (
    AddActionBody,
    AddNoteBody,
    ConfirmPresenterContactBody,
    RaiseEscalationBody,
)
from models.outbox import OutboxRecord
from services import intake, queries

router = APIRouter(prefix="/cases", tags=["cases"])

#: Paging stops here: far past any real number of sessions, well inside a 64-bit integer.
MAX_OFFSET = 1_000_000


@router.post("", responses={**RECEIPT_RESPONSES, 201: RECEIPT_RESPONSES[200]}, status_code=201)
async def start_case(
    body: CaseCreate,
    request: Request,
    user: SessionRecorder,
    commands: CommandsDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Record a session after a board meeting. This starts its case workflow."""
    actor = staff_actor(user, request)
    row = await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=actor, now=utcnow(), command_id=command_id
        ),
        actor,
        body=body,
        idempotency_key=idempotency_key,
    )
    return receipt_response(row, created=True)


@router.get("")
def list_cases(
    session: SessionDep,
    _: Reader,
    board: str | None = None,
    status: CaseStatus | None = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Sessions to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=500, description="At most this many (500).")] = 100,
) -> list[CaseSummary]:
    return queries.list_cases(
        session=session, board=board, status=status, offset=offset, limit=limit
    )


@router.get("/{case_id}")
def get_case(case_id: uuid.UUID, session: SessionDep, _: Reader) -> CaseDetail:
    """The session, presenters, actions with RAG and its cause, escalations, pending timers."""
    return queries.get_case(session=session, case_id=case_id)


@router.get("/{case_id}/timeline")
def get_timeline(case_id: uuid.UUID, session: SessionDep, _: Reader) -> Sequence[AuditRecord]:
    """Every event on the case and its actions: who, what, when, from where."""
    return queries.timeline(session=session, case_id=case_id)


@router.get("/{case_id}/messages")
def get_messages(case_id: uuid.UUID, session: SessionDep, _: Reader) -> Sequence[OutboxRecord]:
    """Every message the process has queued for this case, and its delivery state."""
    return queries.messages(session=session, case_id=case_id)


def _case_command_route(path: str, kind: str, body_type: type[BaseModel], summary: str) -> None:
    async def endpoint(
        case_id: uuid.UUID,
        body: Any,
        request: Request,
        user: ActionDriver,
        commands: CommandsDep,
        idempotency_key: IdempotencyKey = None,
    ) -> JSONResponse:
        row = await commands.to_case(
            case_id, kind, body, staff_actor(user, request), idempotency_key=idempotency_key
        )
        return receipt_response(row)

    endpoint.__annotations__["body"] = body_type
    endpoint.__name__ = kind
    router.add_api_route(
        f"/{{case_id}}/{path}",
        endpoint,
        methods=["POST"],
        summary=summary,
        responses=RECEIPT_RESPONSES,
        response_model=None,
    )


_ROUTES: list[tuple[str, str, type[BaseModel], str]] = [
    (
        "presenter-contact",
        "confirm_presenter_contact",
        ConfirmPresenterContactBody,
        "Step 1: the presenters were contacted and the actions confirmed",
    ),
    ("actions", "add_action", AddActionBody, "Add an action agreed later"),
    ("notes", "add_note", AddNoteBody, "Add a note to the case"),
    ("escalations", "raise_escalation", RaiseEscalationBody, "Escalate the case by hand"),
]
for _route in _ROUTES:
    _case_command_route(*_route)
