"""The inbox keeps each submission once (by idempotency key), on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from sqlmodel import func, select

from activities.record import RecordActivities
from models.base import utcnow
from models.db import session_factory
from models.inbox import CommandOutcome, CommandStatus, InboxCommand
from models.messages import CaseReported, StepRecord
from services.errors import NotFound
from services.inbox import Channel, Inbox
from services.queries import get_case


def store(inbox: Inbox, key: str | None, case_id: uuid.UUID) -> InboxCommand:
    return inbox.store(
        channel=Channel.case,
        workflow_id=f"case-{case_id}",
        payload=CaseReported(report_id=case_id, published_at=utcnow()),
        command_id=uuid.uuid4(),
        kind="start_case",
        actor_name="Eve",
        idempotency_key=key,
        case_id=case_id,
    )


def test_a_repeated_key_returns_the_first_submission(db_engine):
    sessions = session_factory(db_engine)
    inbox = Inbox(sessions, None, task_queue="q")
    case_id = uuid.uuid4()
    first = store(inbox, "board-item-4", case_id)
    second = store(inbox, "board-item-4", uuid.uuid4())
    other = store(inbox, None, case_id)
    assert second.id == first.id and second.case_id == case_id
    assert other.id != first.id
    with sessions() as session:
        assert session.exec(select(func.count()).select_from(InboxCommand)).one() == 2
    assert first.status is CommandStatus.received


async def test_without_temporal_a_submission_stays_received_for_the_relay(db_engine):
    sessions = session_factory(db_engine)
    inbox = Inbox(sessions, None, task_queue="q")
    row = store(inbox, None, uuid.uuid4())
    assert await inbox.deliver(row) is CommandStatus.received
    assert [r.id for r in inbox._pending(10)] == [row.id]


def test_a_case_received_but_not_yet_recorded_says_so(db_engine):
    sessions = session_factory(db_engine)
    case_id = uuid.uuid4()
    store(Inbox(sessions, None, task_queue="q"), None, case_id)
    with sessions() as session, pytest.raises(NotFound, match="was received .* not recorded yet"):
        get_case(session=session, case_id=case_id)


def test_the_workflows_answer_is_kept_when_it_lands_while_the_row_is_marked_delivered(
    db_engine, monkeypatch: pytest.MonkeyPatch
):
    """The inbox signals the workflow, then marks the row delivered; a quick workflow may have
    applied the command and recorded its outcome in between. The outcome must stand."""
    sessions = session_factory(db_engine)
    inbox = Inbox(sessions, None, task_queue="q")
    row = store(inbox, None, uuid.uuid4())
    assert row.case_id is not None
    answered: list[bool] = []

    def now_after_the_workflow_answered() -> datetime:
        if not answered:
            answered.append(True)
            outcome = CommandOutcome(
                command_id=row.id, status=CommandStatus.applied, message="Note added."
            )
            step = StepRecord(
                key="case-x:1",
                at=utcnow(),
                workflow_id="case-x",
                case_id=row.case_id,
                action_id=None,
                outcomes=[outcome],
            )
            assert RecordActivities(sessions).record_step(step)
        return utcnow()

    monkeypatch.setattr("services.inbox.utcnow", now_after_the_workflow_answered)
    assert inbox._move(row.id, CommandStatus.delivered) is CommandStatus.applied
    assert answered
    kept = inbox.get(row.id)
    assert (kept.status, kept.outcome_message) == (CommandStatus.applied, "Note added.")
