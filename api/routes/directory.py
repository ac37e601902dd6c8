"""The directory: partner organisations and their named owners."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, status

from api.deps import DirectoryManager, Reader, SessionDep
from models.partner import OwnerCreate, OwnerPublic, PartnerCreate, PartnerPublic
from services import directory

router = APIRouter(tags=["directory"])


@router.get("/partners")
def list_partners(session: SessionDep, _: Reader) -> Sequence[PartnerPublic]:
    return directory.list_partners(session=session)  # type: ignore[return-value]


@router.post("/partners", status_code=status.HTTP_201_CREATED)
def create_partner(body: PartnerCreate, session: SessionDep, _: DirectoryManager) -> PartnerPublic:
    return directory.create_partner(session=session, body=body)  # type: ignore[return-value]


@router.get("/owners")
def list_owners(
    session: SessionDep, _: Reader, partner_id: uuid.UUID | None = None
) -> Sequence[OwnerPublic]:
    return directory.list_owners(session=session, partner_id=partner_id)  # type: ignore[return-value]


@router.post("/owners", status_code=status.HTTP_201_CREATED)
def create_owner(body: OwnerCreate, session: SessionDep, _: DirectoryManager) -> OwnerPublic:
    return directory.create_owner(session=session, body=body)  # type: ignore[return-value]
