"""Reads for pages: the case timeline lists the events one workflow step recorded in the order
they happened, though they share one moment and their ids are random.
Runs on SQLite and, when CVT_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from activities.record import RecordActivities
from models.action import new_action_record
from models.audit import Actor
from models.board import Board
from models.case import CaseRecord
from models.db import session_factory
from models.escalation import EscalationRule
from models.messages import LeadContacts
from notifications.types import ActionFacts, CaseFacts, EscalationRaised
from services import queries
from tests.factories import add_board
from workflows.step import Step

AT = datetime(2027, 3, 22, 14, tzinfo=UTC)
LEADS = LeadContacts(
    engagement_lead_name="Eve",
    engagement_lead_email="eve@example.org",
    cv_lead_name="Cara",
    cv_lead_email="cara@example.org",
)


def descending_ids():
    """Each id sorts before the one made before it: ordering by id would turn a step around."""
    counter = iter(range(10_000, 0, -1))
    return lambda: uuid.UUID(int=next(counter))


def test_the_timeline_follows_the_order_of_events_within_a_step(db_engine: Engine) -> None:
    sessions = session_factory(db_engine)
    add_board(sessions)
    with sessions() as session:
        board = session.exec(select(Board)).one()
    case = CaseRecord(
        id=uuid.uuid4(), board_id=board.id, meeting_date=AT.date(), theme="Damp", recorded_at=AT
    )
    action = new_action_record(action_id=uuid.uuid4(), case_id=case.id, seq=1, text="Fix", at=AT)
    step = Step(
        key="action-x:0",
        at=AT,
        workflow_id=f"action-{action.id}",
        case_id=case.id,
        action_id=action.id,
        new_id=descending_ids(),
    )
    step.record.case, step.record.actions = case, [action]
    step.audit(Actor.system(), "action.overdue", "Due yesterday: now overdue")
    step.escalate(
        rule=EscalationRule.overdue,
        reason="It was due yesterday",
        leads=LEADS,
        facts=lambda escalation_id: EscalationRaised(
            case=CaseFacts(case_id=case.id, board_name="THT", meeting_date=AT.date()),
            action=ActionFacts(action_id=action.id, seq=1, text="Fix"),
            escalation_id=escalation_id,
            rule="overdue",
            reason="late",
        ),
    )
    RecordActivities(sessions).record_step(step.record)

    with sessions() as session:
        events = queries.timeline(session=session, case_id=case.id)
    assert {e.at for e in events} == {AT}, "one moment: only their order tells them apart"
    assert [e.verb for e in events] == ["action.overdue", "escalation.raised", "message.queued"]
