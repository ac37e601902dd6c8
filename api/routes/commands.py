"""What became of a submitted command."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from api.deps import Reader, SessionDep
from api.receipts import CommandReceipt, receipt
from services import queries

router = APIRouter(prefix="/commands", tags=["commands"])


@router.get("/{command_id}")
def get_command(command_id: uuid.UUID, session: SessionDep, _: Reader) -> CommandReceipt:
    return receipt(queries.get_command(session=session, command_id=command_id))
