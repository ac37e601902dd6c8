"""The audit trail: who (a person or a link holder) did what to which record, when, from where."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, new_id, utc_column


class ActorKind(StrEnum):
    staff = "staff"
    owner_link = "owner_link"
    presenter_link = "presenter_link"
    system = "system"
    cli = "cli"
    importer = "import"


class Actor(BaseModel):
    """Who asked for a change, carried with every command into the workflow."""

    model_config = ConfigDict(frozen=True)

    kind: ActorKind
    name: str
    id: str | None = None
    source: str | None = None  # the client address, where known

    @classmethod
    def system(cls) -> "Actor":
        return cls(kind=ActorKind.system, name="Community Voice (automatic)")


class AuditRecord(SQLModel):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    at: datetime = utc_column(nullable=False, index=True)
    actor_kind: ActorKind = enum_column(ActorKind)
    actor_name: str
    actor_id: str | None = None
    source: str | None = None
    verb: str = Field(max_length=80, index=True)
    summary: str
    case_id: uuid.UUID | None = Field(default=None, index=True)
    action_id: uuid.UUID | None = Field(default=None, index=True)
    detail: dict[str, Any] = json_column()
    step_order: int = Field(
        default=0,
        description="The event's place among those its workflow step recorded at one moment: "
        "the timeline orders by time, then this (ids are random).",
    )


class AuditEvent(AuditRecord, table=True):
    __tablename__ = "audit_event"

    @classmethod
    def by(
        cls,
        actor: Actor,
        *,
        at: datetime,
        verb: str,
        summary: str,
        case_id: uuid.UUID | None = None,
        detail: dict[str, Any] | None = None,
    ) -> "AuditEvent":
        """An event done by ``actor``, outside a workflow step (services and activities)."""
        return cls(
            at=at,
            actor_kind=actor.kind,
            actor_name=actor.name,
            actor_id=actor.id,
            source=actor.source,
            verb=verb,
            summary=summary,
            case_id=case_id,
            detail=detail or {},
        )
