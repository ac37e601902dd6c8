"""Imports every table module so ``SQLModel.metadata`` knows the whole schema (Alembic, tests)."""

from sqlmodel import SQLModel

from models import (  # noqa: F401
    action,
    audit,
    board,
    case,
    consent,
    equality,
    erasure,
    escalation,
    inbox,
    outbox,
    partner,
    presenter,
    public_text,
    report,
    staff,
    timer,
)

metadata = SQLModel.metadata
