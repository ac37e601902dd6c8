"""record_step writes a whole step in one transaction, once: a retry writes nothing twice.
Runs on SQLite and, when CVT_TEST_POSTGRES_URL is set, on PostgreSQL."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select
from temporalio.exceptions import CancelledError
from temporalio.testing import ActivityEnvironment

from activities.record import RecordActivities
from models.action import Action, ActionStatus, new_action_record
from models.audit import Actor, ActorKind, AuditEvent
from models.case import Case, CaseRecord
from models.consent import NOT_CONTACTED, ConsentAnswer, ConsentWrite
from models.db import session_factory
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus, InboxCommand
from models.messages import EscalationRef, LeadContacts
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.presenter import Presenter
from models.timer import PendingTimer, PendingTimerRecord, RecordedStep
from notifications.types import (
    ActionFacts,
    CaseFacts,
    EscalationRaised,
    MessageType,
    OwnerActionOverdue,
    PresenterActionClosed,
)
from services import consent
from tests.factories import add_board
from workflows.step import Step

AT = datetime(2027, 3, 22, 14, tzinfo=UTC)
LEADS = LeadContacts(
    engagement_lead_name="Eve",
    engagement_lead_email="eve@example.org",
    cv_lead_name="Cara",
    cv_lead_email="cara@example.org",
)


def _ids():
    counter = iter(range(1, 10_000))
    return lambda: uuid.UUID(int=next(counter))


def _count(sessions, table) -> int:
    with sessions() as session:
        return session.exec(select(func.count()).select_from(table)).one()


@pytest.fixture
def recorded(db_engine: Engine):
    sessions = session_factory(db_engine)
    add_board(sessions)
    with sessions() as session:
        from models.board import Board

        board = session.exec(select(Board)).one()
    case = CaseRecord(
        id=uuid.uuid4(), board_id=board.id, meeting_date=AT.date(), theme="Damp", recorded_at=AT
    )
    action = new_action_record(action_id=uuid.uuid4(), case_id=case.id, seq=1, text="Fix", at=AT)
    return sessions, case, action


def _step(case: CaseRecord, action, key: str) -> Step:
    step = Step(
        key=key,
        at=AT,
        workflow_id=f"action-{action.id}",
        case_id=case.id,
        action_id=action.id,
        new_id=_ids(),
    )
    step.record.case = case
    step.record.actions = [action]
    facts = OwnerActionOverdue(
        case=CaseFacts(case_id=case.id, board_name="THT", meeting_date=AT.date()),
        action=ActionFacts(action_id=action.id, seq=1, text="Fix"),
        assignment_no=1,
    )
    step.message(
        MessageType.owner_action_overdue,
        facts,
        role=RecipientRole.owner,
        name="Olu",
        email="o@x.org",
    )
    step.escalate(
        rule=EscalationRule.overdue,
        reason="It was due yesterday",
        leads=LEADS,
        facts=lambda escalation_id: EscalationRaised(
            case=facts.case, escalation_id=escalation_id, rule="overdue", reason="late"
        ),
    )
    step.record.timers = [
        PendingTimerRecord(key="k", kind="overdue", due_at=AT + timedelta(days=1), description="d")
    ]
    return step


def test_a_step_is_written_once_however_often_it_is_retried(recorded):
    sessions, case, action = recorded
    activities = RecordActivities(sessions)
    step = _step(case, action, "action-x:0")
    assert activities.record_step(step.record) is True
    for _ in range(3):
        assert activities.record_step(step.record) is False
    assert _count(sessions, Case) == 1
    assert _count(sessions, Action) == 1
    assert _count(sessions, OutboxMessage) == 2  # the owner, and the Lead about the escalation
    assert _count(sessions, Escalation) == 1
    assert _count(sessions, AuditEvent) == 3
    assert _count(sessions, PendingTimer) == 1


def test_later_steps_update_rows_replace_timers_and_resolve_escalations(recorded):
    sessions, case, action = recorded
    activities = RecordActivities(sessions)
    first = _step(case, action, "action-x:0")
    activities.record_step(first.record)
    escalation_id = first.record.escalations[0].id

    second = Step(
        key="action-x:1",
        at=AT + timedelta(hours=1),
        workflow_id=first.record.workflow_id,
        case_id=case.id,
        action_id=action.id,
        new_id=_ids(),
    )
    changed = action.model_copy(update={"status": ActionStatus.in_progress})
    second.record.actions = [changed]
    second.resolve(
        EscalationRef(id=escalation_id, rule=EscalationRule.overdue, raised_at=AT),
        by=Actor.system(),
        note="Due date moved",
    )
    second.record.timers = []
    activities.record_step(second.record)
    activities.record_step(second.record)

    with sessions() as session:
        assert session.get(Action, action.id).status is ActionStatus.in_progress
        escalation = session.get(Escalation, escalation_id)
        assert (escalation.status, escalation.resolution_note) == (
            EscalationStatus.resolved,
            "Due date moved",
        )
    assert _count(sessions, PendingTimer) == 0


def test_a_command_outcome_is_recorded_on_its_inbox_row_once(recorded):
    sessions, case, action = recorded
    command_id = uuid.uuid4()
    with sessions() as session:
        session.add(
            InboxCommand(
                id=command_id,
                idempotency_key=str(command_id),
                kind="acknowledge",
                workflow_id="action-x",
                actor_name="Eve",
                received_at=AT,
                payload={},
                status=CommandStatus.delivered,
            )
        )
        session.commit()
    step = _step(case, action, "action-x:0")
    step.outcome(command_id, CommandStatus.rejected, "Not waiting for acknowledgement")
    RecordActivities(sessions).record_step(step.record)
    with sessions() as session:
        row = session.get(InboxCommand, command_id)
        assert (row.status, row.outcome_message) == (
            CommandStatus.rejected,
            "Not waiting for acknowledgement",
        )


def test_a_cancellation_during_the_write_waits_until_the_step_is_committed(recorded, db_engine):
    """Temporal cancels a thread activity (worker shutting down, timeout) by raising inside its
    thread; raised mid-write, that used to leave a connection inside a transaction, holding its
    locks. The write finishes first, then the activity is cancelled."""
    sessions, case, action = recorded
    writing = threading.Event()

    def slow_sessions() -> Session:
        session = sessions()

        @event.listens_for(session, "before_flush")
        def pause(*_: object) -> None:
            writing.set()
            for _ in range(50):  # the cancellation arrives during this half second
                time.sleep(0.01)

        return session

    environment = ActivityEnvironment()
    canceller = threading.Thread(target=lambda: writing.wait(10) and environment.cancel())
    canceller.start()
    with pytest.raises(CancelledError):
        environment.run(
            RecordActivities(slow_sessions).record_step, _step(case, action, "s:0").record
        )
    canceller.join()

    assert writing.is_set()
    assert _count(sessions, RecordedStep) == 1
    assert _count(sessions, Case) == 1
    assert _count(sessions, OutboxMessage) == 2
    assert db_engine.pool.checkedout() == 0


def _presenter_step(case: CaseRecord, action, presenter_id: uuid.UUID, key: str) -> Step:
    step = Step(
        key=key,
        at=AT,
        workflow_id=f"case-{case.id}",
        case_id=case.id,
        action_id=None,
        new_id=uuid.uuid4,
    )
    step.record.case = case
    step.message(
        MessageType.presenter_action_closed,
        PresenterActionClosed(
            case=CaseFacts(case_id=case.id, board_name="THT", meeting_date=AT.date()),
            action=ActionFacts(action_id=action.id, seq=1, text="Fix"),
            presenter_id=presenter_id,
            presenter_name="Amina Begum",
            outcome="done",
            what_was_done="Fixed",
        ),
        role=RecipientRole.presenter,
        name="Amina Begum",
        email="amina@example.org",
    )
    return step


def test_a_presenter_who_asked_not_to_be_contacted_is_not_sent_outcomes(recorded):
    """Their consent record says no: a new message to them is kept, not sent, with the reason;
    and one already waiting is held back when they say no."""
    sessions, case, action = recorded
    activities = RecordActivities(sessions)
    first = _step(case, action, "action-x:0")
    activities.record_step(first.record)
    with sessions() as session:
        amina = Presenter(case_id=case.id, name="Amina Begum", email="amina@example.org")
        session.add(amina)
        session.commit()
        amina_id = amina.id

    waiting = _presenter_step(case, action, amina_id, "case-x:1")
    activities.record_step(waiting.record)
    with sessions() as session:
        consent.record(
            session=session,
            presenter_id=amina_id,
            body=ConsentWrite(
                named_in_public=ConsentAnswer.not_asked, contact_about_outcomes=ConsentAnswer.no
            ),
            by="Eve",
            actor_kind=ActorKind.staff,
        )
    later = _presenter_step(case, action, amina_id, "case-x:2")
    activities.record_step(later.record)

    with sessions() as session:
        to_her = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient_role == RecipientRole.presenter)
        ).all()
        owner = session.exec(
            select(OutboxMessage).where(OutboxMessage.recipient_role == RecipientRole.owner)
        ).one()
    assert len(to_her) == 2
    assert {(m.status, m.last_error) for m in to_her} == {(OutboxStatus.cancelled, NOT_CONTACTED)}
    assert owner.status is OutboxStatus.pending
