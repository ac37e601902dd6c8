"""Helpers for the email tests: start a real case, find its rows, read the mail that arrived."""

from __future__ import annotations

import re
import uuid
from datetime import date
from email.message import EmailMessage
from typing import Any

from sqlmodel import select

from models.action import Action
from models.audit import AuditEvent
from models.base import utcnow
from models.db import SessionFactory
from models.inbox import CommandStatus
from models.outbox import OutboxMessage
from models.policy import Policy
from services import intake
from services.commands import Commands
from services.inbox import Inbox
from tests.factories import LEAD, add_board, add_owner, session_body
from tests.helpers import eventually

URL = re.compile(r"^https?://\S+$", re.MULTILINE)


def commands_for(sessions: SessionFactory, client: Any, task_queue: str) -> Commands:
    return Commands(sessions, Inbox(sessions, client, task_queue=task_queue, wait_seconds=15))


async def start_case(
    commands: Commands,
    sessions: SessionFactory,
    *,
    policy: Policy | None = None,
    owners: int = 1,
    actions: list[dict[str, Any]] | None = None,
    presenters: list[dict[str, Any]] | None = None,
    board: str = "tht",
    owner_email: str | None = None,
    **fields: Any,
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A held session with ``owners`` owned actions (one owner): its case id and action ids."""
    add_board(sessions, slug=board, policy=policy or Policy())
    owner = add_owner(sessions, email=owner_email)
    specs = actions or [
        {"text": f"Survey every flat on the estate ({n + 1})", "owner_id": str(owner.id)}
        for n in range(owners)
    ]
    body = session_body(
        meeting_date=date.today(), actions=specs, presenters=presenters, board=board, **fields
    )
    row = await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )
    assert row.status is CommandStatus.applied, row
    assert row.case_id is not None
    with sessions() as session:
        ids = [
            a.id
            for a in session.exec(
                select(Action).where(Action.case_id == row.case_id).order_by(Action.seq)  # type: ignore[arg-type]
            ).all()
        ]

    def started() -> bool:  # every action workflow has recorded its first step
        with sessions() as session:
            verbs = session.exec(
                select(AuditEvent.verb).where(AuditEvent.case_id == row.case_id)
            ).all()
        return list(verbs).count("action.started") == len(ids)

    await eventually(started, timeout=60)
    return row.case_id, ids


def outbox(sessions: SessionFactory, **where: Any) -> list[OutboxMessage]:
    with sessions() as session:
        query = select(OutboxMessage)
        for key, value in where.items():
            query = query.where(getattr(OutboxMessage, key) == value)
        return list(session.exec(query.order_by(OutboxMessage.created_at)).all())  # type: ignore[arg-type]


def text_part(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None, "every message has a plain-text part"
    return str(part.get_content()).replace("\r\n", "\n")


def html_part(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None, "every message has an HTML part"
    return str(part.get_content()).replace("\r\n", "\n")


def links_in(text: str) -> list[str]:
    """Web addresses standing on their own line (as signed links are)."""
    return [m.group(0) for m in URL.finditer(text)]


# --- outbox rows without a workflow (delivery tests) -------------------------------------------


def bare_case(
    sessions: SessionFactory, *, policy: Policy | None = None, slug: str = "tht"
) -> uuid.UUID:
    """A board and a case row, for tests of delivery alone (no workflow runs)."""
    from models.board import Board
    from models.case import Case

    with sessions() as session:
        board = session.exec(select(Board).where(Board.slug == slug)).first()
    if board is None:
        add_board(sessions, slug=slug, policy=policy or Policy())
        with sessions() as session:
            board = session.exec(select(Board).where(Board.slug == slug)).one()
    with sessions() as session:
        case = Case(board_id=board.id, meeting_date=date(2027, 1, 5), theme="Damp and mould")
        session.add(case)
        session.commit()
        return case.id


def queue_message(
    sessions: SessionFactory,
    case_id: uuid.UUID,
    *,
    email: str = "olu.owner@example.nhs.uk",
    name: str = "Olu Owner",
    kind: str = "owner_action_assigned",
    created_at: Any = None,
    **fields: Any,
) -> OutboxMessage:
    """A pending outbox row, as a workflow step would write it."""
    from models.outbox import RecipientRole
    from notifications.types import (
        ActionFacts,
        CaseFacts,
        OwnerAcknowledgementReminder,
        OwnerActionAssigned,
        OwnerUpdateReminder,
    )

    at = created_at or utcnow()
    c = CaseFacts(
        case_id=case_id,
        board_name="Tower Hamlets Together Board",
        meeting_date=date(2027, 1, 5),
        theme="Damp and mould",
    )
    a = ActionFacts(
        action_id=uuid.uuid4(),
        seq=1,
        text="Survey every flat",
        owner_name=name,
        owner_id=uuid.uuid4(),
    )
    facts = {
        "owner_action_assigned": lambda: OwnerActionAssigned(case=c, action=a, assignment_no=1),
        "owner_acknowledgement_reminder": lambda: OwnerAcknowledgementReminder(
            case=c, action=a, assignment_no=1, escalates_at=at
        ),
        "owner_update_reminder": lambda: OwnerUpdateReminder(
            case=c, action=a, assignment_no=1, last_progress_at=at, escalates_at=at
        ),
    }[kind]()
    row = OutboxMessage(
        kind=kind,
        case_id=case_id,
        recipient_role=RecipientRole.owner,
        recipient_name=name,
        recipient_email=email,
        reply_to="eve.engagement@example.org",
        facts=facts.model_dump(mode="json"),
        created_at=at,
        **fields,
    )
    with sessions() as session:
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def reload(sessions: SessionFactory, row_id: uuid.UUID) -> OutboxMessage:
    with sessions() as session:
        row = session.get(OutboxMessage, row_id)
        assert row is not None
        return row
