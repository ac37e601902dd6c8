"""Ratings are dated at their cause: updates sent while no worker runs change the rating, once a
worker is back, at the updates' own times (in the RAG history and the audit trail)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from models.action import RagChange
from models.audit import AuditEvent
from models.base import utcnow
from models.commands import AcknowledgeBody, PostUpdateBody
from models.inbox import CommandStatus, InboxCommand
from models.rag import Rag
from services.commands import Commands
from services.inbox import Inbox
from tests.factories import LEAD, add_board, add_owner, case_input, session_body
from tests.helpers import eventually, workflow_started
from worker.build import build_worker
from workflows import action_workflow_id, case_workflow_id


async def test_rating_changes_carry_the_updates_times_after_a_worker_outage(
    dev_env, sessions, task_queue, executor
):
    add_board(sessions)
    owner = add_owner(sessions)
    now = utcnow()
    waiting = Inbox(sessions, dev_env.client, task_queue=task_queue, wait_seconds=60)
    commands = Commands(sessions, waiting)
    due = (now + timedelta(days=120)).date().isoformat()
    case = case_input(
        sessions,
        session_body(
            meeting_date=now.date(),
            actions=[{"text": "Survey every flat", "owner_id": owner.id, "due_date": due}],
        ),
        now=now,
    )
    action_id = case.state.unstarted_actions[0].id
    async with build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    ):
        await dev_env.client.start_workflow(
            "CaseWorkflow", case, id=case_workflow_id(case.state.record.id), task_queue=task_queue
        )
        await workflow_started(dev_env.client, action_workflow_id(action_id))
        acknowledged = await commands.to_action(action_id, "acknowledge", AcknowledgeBody(), LEAD)
        assert acknowledged.status is CommandStatus.applied

    # No worker runs: three updates are stored and signalled, and wait for one.
    stored = Commands(
        sessions, Inbox(sessions, dev_env.client, task_queue=task_queue, wait_seconds=0.2)
    )
    for rating in (Rag.amber, Rag.red, Rag.green):
        row = await stored.to_action(
            action_id, "post_update", PostUpdateBody(text=f"Now {rating}", rag=rating), LEAD
        )
        assert row.status is not CommandStatus.applied, "no worker ran to apply it"

    with sessions() as session:
        sent = session.exec(
            select(InboxCommand)
            .where(InboxCommand.kind == "post_update")
            .order_by(col(InboxCommand.received_at))
        ).all()
    times = [c.received_at for c in sent]
    assert len(times) == 3
    back = utcnow()

    async with build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    ):

        def changes() -> list[RagChange]:
            with sessions() as session:
                return list(
                    session.exec(
                        select(RagChange)
                        .where(RagChange.action_id == action_id)
                        .order_by(col(RagChange.at))
                    ).all()
                )

        try:
            found = await eventually(lambda: len(changes()) >= 3 and changes(), timeout=60)
        except AssertionError:
            with sessions() as session:
                rows = session.exec(select(InboxCommand)).all()
            raise AssertionError(
                [(r.kind, r.status, r.outcome_message) for r in rows], changes()
            ) from None
        assert [(c.to_rag, c.at) for c in found] == [
            (Rag.amber, times[0]),
            (Rag.red, times[1]),
            (Rag.green, times[2]),
        ], "each change at its update's time, not when the worker came back"
        assert max(times) < back
        with sessions() as session:
            audited = session.exec(
                select(AuditEvent)
                .where(AuditEvent.verb == "rag.changed", AuditEvent.action_id == action_id)
                .order_by(col(AuditEvent.at))
            ).all()
        assert [a.at for a in audited] == times
