"""The Community Voice Lead's escalation queue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.deps import CommandsDep, IdempotencyKey, Intervener, Reader, SessionDep, staff_actor
from api.receipts import RECEIPT_RESPONSES, receipt_response
from models.commands import ResolveEscalationBody
from models.escalation import Escalation, EscalationRecord, EscalationStatus
from services import queries

router = APIRouter(prefix="/escalations", tags=["escalations"])


@router.get("")
def list_escalations(
    session: SessionDep,
    _: Reader,
    status: EscalationStatus | None = EscalationStatus.open,
    board: str | None = None,
) -> Sequence[EscalationRecord]:
    """Open escalations, oldest first (``status=resolved`` for the resolved ones)."""
    rows: Sequence[Escalation] = queries.list_escalations(
        session=session, status=status, board=board
    )
    return rows


@router.get("/{escalation_id}")
def get_escalation(escalation_id: uuid.UUID, session: SessionDep, _: Reader) -> EscalationRecord:
    return queries.get_escalation(session=session, escalation_id=escalation_id)


@router.post("/{escalation_id}/resolve", responses=RECEIPT_RESPONSES)
async def resolve_escalation(
    escalation_id: uuid.UUID,
    body: ResolveEscalationBody,
    request: Request,
    user: Intervener,
    commands: CommandsDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Resolve with a note saying what was done."""
    row = await commands.resolve_escalation(
        escalation_id, body, staff_actor(user, request), idempotency_key=idempotency_key
    )
    return receipt_response(row)
