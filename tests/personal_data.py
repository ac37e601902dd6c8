"""A presenter named every way in the rows of her case, and another Hasina in another case:
the world of the subject access tests."""

from __future__ import annotations

import uuid
from datetime import date

from sqlmodel import select

from models.action import Action, ActionUpdate, UpdateKind
from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.board import Board
from models.case import Case
from models.outbox import OutboxMessage, RecipientRole
from models.presenter import Presenter
from models.rag import Rag
from models.report import Report, ReportKind, ReportRow
from tests.factories import add_board, add_owner

NAME, EMAIL = "Hasina Chowdhury", "hasina.c@example.com"


def hasina_world(sessions) -> tuple[uuid.UUID, uuid.UUID]:
    add_board(sessions)
    olu = add_owner(sessions, name="Olu Owner")
    now = utcnow()
    with sessions() as session:
        board = session.exec(select(Board)).one()
        hers = Case(
            board_id=board.id,
            meeting_date=date(2024, 5, 14),
            theme="Mental health",
            said=f"{NAME} spoke about discharge leaflets.",
        )
        other = Case(
            board_id=board.id,
            meeting_date=date(2024, 6, 11),
            theme="Housing",
            said="Hasina Ahmed spoke about damp.",
        )
        session.add_all([hers, other])
        session.flush()
        her = Presenter(case_id=hers.id, name=NAME, email=EMAIL)
        session.add_all(
            [
                her,
                Presenter(case_id=hers.id, name="Joan Smith", seq=2),
                Presenter(case_id=other.id, name="Hasina Ahmed"),
            ]
        )
        action = Action(
            case_id=hers.id,
            text="Rewrite the leaflet with Hasina",
            owner_id=olu.id,
            owner_name=olu.name,
            owner_email=olu.email,
        )
        other_action = Action(case_id=other.id, text="Survey Hasina's flat")
        session.add_all([action, other_action])
        session.flush()
        session.add_all(
            [
                ActionUpdate(
                    action_id=action.id,
                    case_id=hers.id,
                    at=now,
                    kind=UpdateKind.progress,
                    text="Draft shared with HC",
                    author_name=olu.name,
                    author_kind="owner",
                    rag_at_time=Rag.green,
                ),
                ActionUpdate(
                    action_id=action.id,
                    case_id=hers.id,
                    at=now,
                    kind=UpdateKind.note,
                    text="Leaflet printed",
                    author_name=olu.name,
                    author_kind="owner",
                    rag_at_time=Rag.green,
                ),
                OutboxMessage(
                    kind="presenter_thanks",
                    case_id=hers.id,
                    recipient_role=RecipientRole.presenter,
                    recipient_name="Hasina",
                    recipient_email=EMAIL,
                    created_at=now,
                    facts={"presenter_id": str(her.id)},
                ),
                OutboxMessage(
                    kind="presenter_thanks",
                    case_id=other.id,
                    recipient_role=RecipientRole.presenter,
                    recipient_name="Hasina Ahmed",
                    created_at=now,
                    facts={},
                ),
                AuditEvent(
                    at=now,
                    actor_kind=ActorKind.system,
                    actor_name="system",
                    verb="message.queued",
                    summary=f"Message queued for {NAME}, {EMAIL}",
                    case_id=hers.id,
                    detail={},
                ),
            ]
        )
        report = Report(
            board_id=board.id,
            kind=ReportKind.quarterly,
            period_key="2024-q2",
            period_start=date(2024, 4, 1),
            period_end=date(2024, 6, 30),
            title="YSWD",
            scheduled_for=now,
            generated_at=now,
            workflow_id="r",
            content={"rows": [{"case_id": str(hers.id), "comment": "Hasina was told"}]},
        )
        session.add(report)
        session.flush()
        session.add_all(
            [
                ReportRow(
                    report_id=report.id,
                    seq=1,
                    case_id=hers.id,
                    meeting_date=hers.meeting_date,
                    board_month="May 2024",
                    community_voice="Mental health",
                    action="Leaflet",
                    rag_text="Green",
                    comment="No follow-up for Hasina is recorded.",
                ),
                ReportRow(
                    report_id=report.id,
                    seq=2,
                    case_id=other.id,
                    meeting_date=other.meeting_date,
                    board_month="June 2024",
                    community_voice="Housing",
                    action="Survey",
                    rag_text="Green",
                    comment="Hasina's flat surveyed.",
                ),
            ]
        )
        session.commit()
        return her.id, hers.id
