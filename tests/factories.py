"""Builders for test data: boards, directory entries, sessions, commands."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from models.audit import Actor, ActorKind
from models.board import BoardCreate
from models.case import CaseCreate
from models.db import SessionFactory
from models.messages import CaseInput
from models.partner import Owner, OwnerCreate, PartnerCreate
from models.policy import Policy
from services import directory, intake

LEAD = Actor(kind=ActorKind.staff, name="Eve Engagement", id="lead")
CV_LEAD = Actor(kind=ActorKind.staff, name="Cara Lead", id="cv-lead")


def add_board(sessions: SessionFactory, *, slug: str = "tht", policy: Policy | None = None) -> None:
    with sessions() as session:
        directory.create_board(
            session=session,
            body=BoardCreate(
                slug=slug,
                name="Tower Hamlets Together Board",
                engagement_lead_name="Eve Engagement",
                engagement_lead_email="eve.engagement@example.org",
                cv_lead_name="Cara Lead",
                cv_lead_email="cara.lead@example.org",
                policy=policy or Policy(),
            ),
        )


def add_owner(
    sessions: SessionFactory,
    *,
    name: str = "Olu Owner",
    email: str | None = None,
    partner: str = "Barts Health NHS Trust",
) -> Owner:
    with sessions() as session:
        existing = [p for p in directory.list_partners(session=session) if p.name == partner]
        partner_row = (
            existing[0]
            if existing
            else directory.create_partner(
                session=session, body=PartnerCreate(name=partner, kind="NHS trust")
            )
        )
        return directory.create_owner(
            session=session,
            body=OwnerCreate(
                name=name,
                email=email or f"{name.lower().replace(' ', '.')}@example.nhs.uk",
                partner_id=partner_row.id,
            ),
        )


def session_body(
    *,
    meeting_date: date,
    actions: list[dict[str, Any]] | None = None,
    presenters: list[dict[str, Any]] | None = None,
    board: str = "tht",
    **fields: Any,
) -> CaseCreate:
    return CaseCreate.model_validate(
        {
            "board": board,
            "meeting_date": meeting_date,
            "theme": "Damp and mould in social housing",
            "said": "Residents described children's asthma made worse by mould.",
            "presenters": presenters
            if presenters is not None
            else [
                {
                    "name": "Amina Begum",
                    "organisation": "Tenants' Forum",
                    "email": "amina@example.com",
                }
            ],
            "actions": actions or [],
            **fields,
        }
    )


def case_input(
    sessions: SessionFactory, body: CaseCreate, *, now: datetime, **kwargs: Any
) -> CaseInput:
    with sessions() as session:
        return intake.case_input(session, body, actor=LEAD, now=now, **kwargs)


def envelope(actor: Actor = LEAD, *, at: datetime, **fields: Any) -> dict[str, Any]:
    return {"command_id": uuid.uuid4(), "actor": actor, "received_at": at, **fields}


def get(session: Session, table: Any, **where: Any) -> list[Any]:
    from sqlmodel import select

    query = select(table)
    for key, value in where.items():
        query = query.where(getattr(table, key) == value)
    return list(session.exec(query).all())


def staff_headers(sessions: SessionFactory, settings: Any, role: str = "cv_lead") -> dict[str, str]:
    """A staff account with ``role`` and the bearer header that signs it in."""
    from api.security import StaffTokens
    from models.staff import Role, StaffUserCreate

    with sessions() as session:
        user = directory.create_user(
            session=session,
            body=StaffUserCreate(
                email=f"{role}-{uuid.uuid4().hex[:6]}@example.org",
                name=f"Test {role.replace('_', ' ')}",
                role=Role(role),
                password="a long test password",
            ),
        )
    tokens = StaffTokens(settings.secret_key.get_secret_value(), 3600)
    return {"Authorization": f"Bearer {tokens.issue(user.id, user.token_version)}"}
