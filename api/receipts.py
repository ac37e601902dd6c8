"""How a command's fate is answered over HTTP: 200/201 applied, 202 accepted, 409 refused."""

from __future__ import annotations

import uuid

from fastapi import status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from models.inbox import CommandStatus, InboxCommand

_MESSAGES = {
    CommandStatus.received: (
        "Received and stored. It will be applied as soon as the process engine is reachable."
    ),
    CommandStatus.delivered: "Received. It will be applied as soon as a worker picks it up.",
}


class CommandReceipt(BaseModel):
    command_id: uuid.UUID
    kind: str
    status: CommandStatus
    message: str
    case_id: uuid.UUID | None = None
    action_id: uuid.UUID | None = None
    command_url: str


def receipt(row: InboxCommand) -> CommandReceipt:
    return CommandReceipt(
        command_id=row.id,
        kind=row.kind,
        status=row.status,
        message=row.outcome_message or _MESSAGES.get(row.status, ""),
        case_id=row.case_id,
        action_id=row.action_id,
        command_url=f"/api/v1/commands/{row.id}",
    )


def receipt_response(row: InboxCommand, *, created: bool = False) -> JSONResponse:
    code = {
        CommandStatus.applied: status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        CommandStatus.rejected: status.HTTP_409_CONFLICT,
    }.get(row.status, status.HTTP_202_ACCEPTED)
    headers = {"Location": f"/api/v1/cases/{row.case_id}"} if created and row.case_id else {}
    return JSONResponse(receipt(row).model_dump(mode="json"), status_code=code, headers=headers)


RECEIPT_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"model": CommandReceipt, "description": "Applied."},
    202: {"model": CommandReceipt, "description": "Stored; it will be applied shortly."},
    409: {"model": CommandReceipt, "description": "Refused: the record's state does not allow it."},
}
