"""Actions: read one with its log; drive each human step of it.

Every POST here is a command for the action's workflow: it is stored, handed over, and answered
with a receipt (200 applied, 202 accepted, 409 refused with the reason).
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import CommandsDep, IdempotencyKey, Reader, SessionDep, require, staff_actor
from api.receipts import RECEIPT_RESPONSES, receipt_response
from models.action import ActionDetail
from models.commands import (
    AcknowledgeBody,
    AddNoteBody,
    AssignOwnerBody,
    CannotDeliverBody,
    ClearRagOverrideBody,
    CloseActionBody,
    CloseHistoryBody,
    DeclineBody,
    ExtendDueDateBody,
    MarkDoneBody,
    OverrideRagBody,
    PostUpdateBody,
    RaiseEscalationBody,
    TakeOnBody,
    WithdrawActionBody,
)
from models.staff import Permission, StaffUser
from services import queries

router = APIRouter(prefix="/actions", tags=["actions"])


@router.get("/{action_id}")
def get_action(action_id: uuid.UUID, session: SessionDep, _: Reader) -> ActionDetail:
    """The action, its log of updates, RAG history with causes, escalations, pending timers."""
    return queries.get_action(session=session, action_id=action_id)


def _command_route(
    path: str, kind: str, body_type: type[BaseModel], permission: Permission, summary: str
) -> None:
    async def endpoint(
        action_id: uuid.UUID,
        body: Any,
        request: Request,
        commands: CommandsDep,
        idempotency_key: IdempotencyKey = None,
        user: StaffUser = Depends(require(permission)),
    ) -> JSONResponse:
        row = await commands.to_action(
            action_id, kind, body, staff_actor(user, request), idempotency_key=idempotency_key
        )
        return receipt_response(row)

    endpoint.__annotations__["body"] = body_type
    endpoint.__name__ = kind
    router.add_api_route(
        f"/{{action_id}}/{path}",
        endpoint,
        methods=["POST"],
        summary=summary,
        responses=RECEIPT_RESPONSES,
        response_model=None,
    )


_drive, _intervene = Permission.drive_actions, Permission.intervene
_ROUTES: list[tuple[str, str, type[BaseModel], Permission, str]] = [
    ("owner", "assign_owner", AssignOwnerBody, _drive, "Name or change the owner (step 2)"),
    ("acknowledge", "acknowledge", AcknowledgeBody, _drive, "Record the owner's acknowledgement"),
    ("updates", "post_update", PostUpdateBody, _drive, "Post a progress update with a RAG rating"),
    ("done", "mark_done", MarkDoneBody, _drive, "Mark done, saying what was done"),
    ("cannot-deliver", "cannot_deliver", CannotDeliverBody, _drive, "Owner cannot deliver it"),
    ("decline", "decline", DeclineBody, _drive, "Owner says it is not theirs"),
    ("withdraw", "withdraw_action", WithdrawActionBody, _drive, "Withdraw the action, with why"),
    ("notes", "add_note", AddNoteBody, _drive, "Add a note to the log"),
    ("escalations", "raise_escalation", RaiseEscalationBody, _drive, "Escalate it by hand"),
    ("due-date", "extend_due_date", ExtendDueDateBody, _intervene, "Change the due date, with why"),
    ("rag-override", "override_rag", OverrideRagBody, _intervene, "Override RAG, with why"),
    ("rag-override/clear", "clear_rag_override", ClearRagOverrideBody, _intervene, "Clear it"),
    ("close", "close_action", CloseActionBody, _intervene, "Close as not deliverable, with why"),
    ("take-on", "take_on", TakeOnBody, _drive, "Take on a historical record: owner and due date"),
    ("close-history", "close_history", CloseHistoryBody, _drive, "Close a historical record"),
]
for _route in _ROUTES:
    _command_route(*_route)
