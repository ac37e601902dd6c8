"""Every status change of an inbox row is a compare-and-set: the workflow's answer, recorded
while the API (or the relay) is between reading a row and writing it, is never overwritten.

The interleaving is forced, not hoped for: the inbox's ``_send`` (the moment between the API's
read of the row and its write) runs the worker's real ``record_step`` first. SQLite, and
PostgreSQL when CVT_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from activities.record import RecordActivities
from models.base import utcnow
from models.db import SessionFactory, session_factory
from models.inbox import CommandOutcome, CommandStatus, InboxCommand
from models.messages import CaseReported, StepRecord
from services.inbox import Channel, Inbox, _Gone
from services.inbox_watch import OutcomeWatch

APPLIED = "Recorded: the owner acknowledged it."


def record(sessions: SessionFactory, row: InboxCommand, status: CommandStatus, n: int = 1) -> None:
    """The worker's record step writing the workflow's answer to ``row``."""
    RecordActivities(sessions).record_step(
        StepRecord(
            key=f"{row.workflow_id}:{n}",
            at=utcnow(),
            workflow_id=row.workflow_id,
            case_id=row.case_id or uuid.uuid4(),
            outcomes=[CommandOutcome(command_id=row.id, status=status, message=APPLIED)],
        )
    )


class RacingInbox(Inbox):
    """An inbox whose delivery lets ``between(row)`` run where Temporal would be called."""

    def __init__(self, sessions: SessionFactory, between: Callable[[InboxCommand], None]) -> None:
        super().__init__(sessions, client=object(), task_queue="q", wait_seconds=2)  # type: ignore[arg-type]
        self.between = between

    async def _send(self, command: InboxCommand) -> None:
        self.between(command)


def nothing(_: InboxCommand) -> None:
    """Delivery with nothing happening in between."""


def store(inbox: Inbox) -> InboxCommand:
    case_id = uuid.uuid4()
    return inbox.store(
        channel=Channel.case,
        workflow_id=f"case-{case_id}",
        payload=CaseReported(report_id=case_id, published_at=utcnow()),
        command_id=uuid.uuid4(),
        kind="add_note",
        actor_name="Eve",
        case_id=case_id,
    )


def status(inbox: Inbox, row: InboxCommand) -> tuple[CommandStatus, str | None]:
    now = inbox.get(row.id)
    return now.status, now.outcome_message


@pytest.fixture
def sessions(db_engine: Any) -> SessionFactory:
    return session_factory(db_engine)


@pytest.mark.parametrize("outcome", [CommandStatus.applied, CommandStatus.rejected])
async def test_received_to_delivered_never_overwrites_the_workflows_answer(sessions, outcome):
    inbox = RacingInbox(sessions, lambda row: record(sessions, row, outcome))
    row = store(inbox)  # the API has read the row: received
    assert await inbox.deliver(row) is outcome  # and writes "delivered" after the worker
    assert status(inbox, row) == (outcome, APPLIED)


async def test_the_api_answers_applied_when_the_workflow_applied_it_first(sessions):
    """The README's "Try it" POST: 200 applied at once, not 202 after the wait."""
    inbox = RacingInbox(sessions, lambda row: record(sessions, row, CommandStatus.applied))
    row = store(inbox)
    answered = await inbox.settle(row, timeout=30)
    assert (answered.status, answered.outcome_message) == (CommandStatus.applied, APPLIED)


async def test_received_to_rejected_as_closed_never_overwrites_applied(sessions):
    """The command closed the action and was applied; a relay's late delivery finds the
    workflow closed and would have marked it rejected."""

    def applied_then_closed(row: InboxCommand) -> None:
        record(sessions, row, CommandStatus.applied)
        raise _Gone("This action is closed, so it can no longer be changed.")

    inbox = RacingInbox(sessions, applied_then_closed)
    row = store(inbox)
    assert await inbox.deliver(row) is CommandStatus.applied
    assert status(inbox, row) == (CommandStatus.applied, APPLIED)


async def test_a_failed_delivery_noted_after_the_workflow_applied_it_changes_nothing(sessions):
    """The signal went through but its answer was lost (a timeout): the attempt is noted only
    on a row still waiting to be delivered."""

    def applied_then_timed_out(row: InboxCommand) -> None:
        record(sessions, row, CommandStatus.applied)
        raise TimeoutError("the signal's answer did not come back")

    inbox = RacingInbox(sessions, applied_then_timed_out)
    row = store(inbox)
    assert await inbox.deliver(row) is CommandStatus.applied
    after = inbox.get(row.id)
    assert (after.status, after.attempts, after.last_delivery_error) == (
        CommandStatus.applied,
        0,
        None,
    )


async def test_a_failed_delivery_is_noted_on_a_row_still_received(sessions):
    def timed_out(row: InboxCommand) -> None:
        raise TimeoutError("Temporal did not answer")

    inbox = RacingInbox(sessions, timed_out)
    row = store(inbox)
    assert await inbox.deliver(row) is CommandStatus.received
    after = inbox.get(row.id)
    assert (after.status, after.attempts) == (CommandStatus.received, 1)
    assert after.last_delivery_error == "Temporal did not answer"


async def test_the_relay_never_overwrites_an_answer_recorded_after_it_read_the_rows(sessions):
    inbox = RacingInbox(sessions, lambda row: record(sessions, row, CommandStatus.applied))
    rows = [store(inbox) for _ in range(3)]
    assert await inbox.deliver_pending() == 3
    assert {status(inbox, row)[0] for row in rows} == {CommandStatus.applied}


@pytest.mark.parametrize("before", [CommandStatus.received, CommandStatus.delivered])
def test_the_record_step_answers_a_received_or_delivered_command(sessions, before):
    inbox = RacingInbox(sessions, nothing)
    row = store(inbox)
    if before is CommandStatus.delivered:
        assert inbox._move(row.id, CommandStatus.delivered) is CommandStatus.delivered
    record(sessions, row, CommandStatus.applied)
    assert status(inbox, row) == (CommandStatus.applied, APPLIED)


def test_a_final_answer_is_never_overwritten_by_a_later_step(sessions):
    inbox = RacingInbox(sessions, nothing)
    row = store(inbox)
    record(sessions, row, CommandStatus.applied, n=1)
    record(sessions, row, CommandStatus.rejected, n=2)  # a relay's duplicate, say
    assert status(inbox, row) == (CommandStatus.applied, APPLIED)
    assert inbox._move(row.id, CommandStatus.delivered) is CommandStatus.applied
    assert inbox._note_attempt(row.id, "late") is CommandStatus.applied
    assert inbox.get(row.id).attempts == 0


async def test_waiting_requests_share_one_query_a_round(sessions):
    inbox = RacingInbox(sessions, nothing)
    rows = [store(inbox) for _ in range(20)]
    reads: list[int] = []
    watch = OutcomeWatch(sessions, interval=0.01)
    original = watch._statuses
    watch._statuses = lambda ids: reads.append(len(ids)) or original(ids)  # type: ignore[method-assign]

    waits = [asyncio.create_task(watch.final(row.id, timeout=30)) for row in rows]
    while not reads:
        await asyncio.sleep(0.01)
    assert max(reads) == 20  # every waiting request in one query
    for n, row in enumerate(rows):
        record(sessions, row, CommandStatus.applied, n=n)
    assert await asyncio.gather(*waits) == [CommandStatus.applied] * 20


async def test_the_apis_write_waits_for_the_workers_transaction_and_then_changes_nothing(
    sessions, db_engine
):
    """Inside the write itself: the worker's step has marked the row applied but not yet
    committed; the API's compare-and-set waits for the row, then finds it applied. (A read then
    an unconditional write, as before, overwrote it on PostgreSQL.) On PostgreSQL the test
    waits until the API's update is seen blocked on the worker's lock."""
    from sqlalchemy import text

    from activities.record import _record_outcome

    inbox = RacingInbox(sessions, nothing)
    row = store(inbox)
    worker = sessions()
    _record_outcome(
        worker,
        CommandOutcome(command_id=row.id, status=CommandStatus.applied, message=APPLIED),
        utcnow(),
    )
    worker.flush()
    api = asyncio.create_task(asyncio.to_thread(inbox._move, row.id, CommandStatus.delivered))
    if db_engine.dialect.name == "postgresql":

        def blocked() -> bool:
            with db_engine.connect() as connection:
                return bool(
                    connection.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                            " AND query LIKE 'UPDATE inbox_command%'"
                        )
                    ).scalar()
                )

        while not await asyncio.to_thread(blocked):
            await asyncio.sleep(0.01)
    worker.commit()
    worker.close()
    assert await api is CommandStatus.applied
    assert status(inbox, row) == (CommandStatus.applied, APPLIED)


async def test_a_command_sent_before_its_workflow_started_is_offered_again_while_waiting(
    sessions,
):
    """An owner acts a moment after the case started, before the action's child workflow
    exists: the request keeps offering the command until it is taken (no relay needed)."""
    offers: list[int] = []

    def not_started_yet(row: InboxCommand) -> None:
        offers.append(1)
        if len(offers) < 3:
            raise RuntimeError("workflow not found")
        record(sessions, row, CommandStatus.applied)

    inbox = RacingInbox(sessions, not_started_yet)
    row = store(inbox)
    answered = await inbox.settle(row, timeout=30)
    assert answered.status is CommandStatus.applied
    assert len(offers) == 3 and answered.attempts == 2
