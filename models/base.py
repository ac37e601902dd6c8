"""Column types and small helpers shared by every table module."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import Field


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware.

    SQLite keeps no zone, PostgreSQL keeps ``timestamptz``; both come back as aware UTC.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(
        self,
        value: datetime | None,
        dialect: Dialect,  # noqa: ARG002
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_column(*, nullable: bool = True, index: bool = False, now: bool = False) -> Any:
    """A ``Field`` for a timezone-aware UTC timestamp (``now``: defaults to the current time)."""
    if now:
        return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=nullable, index=index)
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def json_column(default_factory: Any = dict) -> Any:
    """A ``Field`` stored as JSON (lists and dicts of plain values)."""
    return Field(default_factory=default_factory, sa_type=sa.JSON)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> datetime:
    """The current time, aware UTC. Never call this inside a workflow: use ``workflow.now()``."""
    return datetime.now(UTC)


def enum_column(enum: type[StrEnum], default: Any = ..., *, index: bool = False) -> Any:
    """A ``Field`` for a ``StrEnum`` stored as its value in a plain string column.

    No database enum type: a new value needs no migration, and reads come back as members.
    """
    sa_enum = sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
    return Field(default=default, sa_type=sa_enum, index=index)
