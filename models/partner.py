"""The directory: partner organisations and the named people (owners) who take actions."""

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, EmailStr
from sqlalchemy import event
from sqlmodel import Field, SQLModel

from models.base import new_id, utc_column
from models.text import CleanText, name_key


class PartnerBase(SQLModel):
    name: str = Field(min_length=2, max_length=200, unique=True, index=True)
    kind: str | None = Field(
        default=None, max_length=100, description="NHS trust, council service, CVS, …"
    )


class PartnerCreate(CleanText, PartnerBase):
    pass


class Partner(PartnerBase, table=True):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    #: ``models.text.name_key(name)``, kept in step on every insert and update: two partners
    #: whose names differ only in case or Unicode form are one partner.
    name_key: str = Field(default="", unique=True, index=True)
    active: bool = True
    created_at: datetime = utc_column(nullable=False, now=True)


@event.listens_for(Partner, "before_insert")
@event.listens_for(Partner, "before_update")
def _keep_name_key(_mapper: Any, _connection: Any, partner: Partner) -> None:
    partner.name_key = name_key(partner.name)


class PartnerPublic(PartnerBase):
    id: uuid.UUID
    active: bool


class OwnerBase(SQLModel):
    name: str = Field(min_length=2, max_length=200)
    email: EmailStr = Field(max_length=320, unique=True, index=True)
    job_title: str | None = Field(default=None, max_length=200)


class OwnerCreate(CleanText, OwnerBase):
    partner_id: uuid.UUID


class Owner(OwnerBase, table=True):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    partner_id: uuid.UUID = Field(foreign_key="partner.id", index=True)
    active: bool = True
    created_at: datetime = utc_column(nullable=False, now=True)


class OwnerPublic(OwnerBase):
    id: uuid.UUID
    partner_id: uuid.UUID
    active: bool


class OwnerRef(BaseModel):
    """A named person from the directory, as a workflow needs them (it reads no database)."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID
    name: str
    email: str
    partner_id: uuid.UUID
    partner_name: str
