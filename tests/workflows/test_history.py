"""History is history: the demo sessions imported on a seconds-long policy are neither rated
nor chased while a whole minute of timers passes on the time-skipping server; taken on, an
action runs the normal rules from that moment; closed, it keeps what was done."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from models.action import Action, ActionStatus, RagChange, RecordedStatus
from models.audit import Actor, ActorKind, AuditEvent
from models.commands import AddNoteBody, CloseHistoryBody, PostUpdateBody, TakeOnBody
from models.escalation import Escalation
from models.inbox import CommandStatus
from models.outbox import OutboxMessage
from models.policy import Policy
from models.rag import LABELS, Rag
from models.timer import PendingTimer
from services.commands import Commands
from services.errors import Conflict
from services.import_records import read_board_papers
from services.importer import import_sessions
from services.inbox import Inbox
from tests.factories import CV_LEAD, add_board, add_owner
from tests.helpers import advance, eventually

DEMO = Path(__file__).resolve().parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"
IMPORTER = Actor(kind=ActorKind.importer, name="Import of the demo file")
DECISIONS = {"AR-2023-10": "no_action"}


def count(sessions, table, *where) -> int:
    with sessions() as session:
        return session.exec(select(func.count()).select_from(table).where(*where)).one()


async def _import_demo(ts_env, sessions, task_queue) -> Commands:
    add_board(sessions, policy=Policy.in_seconds())
    inbox = Inbox(sessions, ts_env.client, task_queue=task_queue, wait_seconds=60)
    commands = Commands(sessions, inbox)
    report = await import_sessions(
        commands,
        read_board_papers(json.loads(DEMO.read_text()), board="tht", decisions=DECISIONS),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert report.ok
    await eventually(lambda: count(sessions, Action) == 38, timeout=60)
    await eventually(
        lambda: count(sessions, AuditEvent, AuditEvent.verb == "action.recorded") == 38,
        timeout=60,
    )
    return commands


async def test_imported_history_is_not_rated_or_chased_until_taken_on(
    ts_env, ts_worker, sessions, task_queue
):
    commands = await _import_demo(ts_env, sessions, task_queue)
    await advance(ts_env, timedelta(minutes=1))
    await advance(ts_env, timedelta(seconds=5))  # and the worker has had its turn

    with sessions() as session:
        actions = session.exec(select(Action)).all()
    assert {a.rag for a in actions} == {Rag.not_rated}
    assert {LABELS[a.rag] for a in actions} == {"Not rated — historical record"}
    assert all(a.recorded_status is RecordedStatus.not_known for a in actions)
    assert all(a.status_label == "Not known — as recorded" for a in actions)
    assert count(sessions, RagChange) == 0, "no rating change on any imported action"
    assert count(sessions, Escalation) == 0, "no escalation"
    assert count(sessions, OutboxMessage) == 0, "no reminder, no thanks, no email at all"
    assert count(sessions, PendingTimer) == 0, "no timer waits on any of them"

    # A note can be added to history; it changes no rating.
    chosen = next(a for a in actions if a.owner_as_written == "Healthwatch Tower Hamlets")
    noted = await commands.to_action(
        chosen.id, "add_note", AddNoteBody(text="Checked with Healthwatch"), CV_LEAD
    )
    assert noted.status is CommandStatus.applied

    # Take one on: from that moment the normal rules run.
    owner = add_owner(sessions)
    now = await ts_env.get_current_time()
    taken = await commands.to_action(
        chosen.id,
        "take_on",
        TakeOnBody(owner_id=owner.id, due_date=now.date(), due_at=now + timedelta(seconds=20)),
        CV_LEAD,
    )
    assert taken.status is CommandStatus.applied, taken.outcome_message
    await eventually(lambda: count(sessions, PendingTimer) > 0)
    live = _action(sessions, chosen.id)
    assert (live.status, live.owner_id) == (ActionStatus.awaiting_acknowledgement, owner.id)
    assert live.taken_on_at is not None

    await advance(ts_env, timedelta(minutes=1))
    await eventually(
        lambda: count(sessions, Escalation, col(Escalation.action_id) == chosen.id) >= 2
    )
    kinds = {m.kind for m in _rows(sessions, OutboxMessage) if m.action_id == chosen.id}
    assert {"owner_action_assigned", "owner_acknowledgement_reminder"} <= kinds
    changes = [c for c in _rows(sessions, RagChange) if c.action_id == chosen.id]
    first = changes[0]
    assert (first.from_rag, first.to_rag) == (Rag.not_rated, Rag.green)
    assert first.at == taken_at(sessions, chosen.id), "rated from the moment it was taken on"
    assert {e.rule.value for e in _rows(sessions, Escalation)} >= {"not_acknowledged", "overdue"}
    assert _action(sessions, chosen.id).rag is Rag.red
    # The rest are still history, untouched.
    assert count(sessions, RagChange, col(RagChange.action_id) != chosen.id) == 0
    assert count(sessions, Escalation, col(Escalation.action_id) != chosen.id) == 0
    # A live action refuses the history commands.
    with pytest.raises(Conflict, match="Only an action imported from past records"):
        await commands.to_action(chosen.id, "close_history", CloseHistoryBody(text="Done"), CV_LEAD)


async def test_an_imported_action_is_closed_with_what_was_done(
    ts_env, ts_worker, sessions, task_queue
):
    commands = await _import_demo(ts_env, sessions, task_queue)
    chosen = _rows(sessions, Action)[0]
    with pytest.raises(Conflict, match="historical record, not followed up here: take it on"):
        await commands.to_action(chosen.id, "post_update", PostUpdateBody(text="Going"), CV_LEAD)
    closed = await commands.to_action(
        chosen.id,
        "close_history",
        CloseHistoryBody(text="Pride in Practice reached every practice", done_on=None),
        CV_LEAD,
    )
    assert closed.status is CommandStatus.applied, closed.outcome_message
    await eventually(lambda: _action(sessions, chosen.id).closed_at is not None)
    done = _action(sessions, chosen.id)
    assert done.status is ActionStatus.done and done.recorded_status is RecordedStatus.done
    assert done.closure_note == "Pride in Practice reached every practice"
    assert done.rag is Rag.not_rated
    assert done.status_label == "Done — as recorded"
    assert count(sessions, RagChange) == 0


def _rows(sessions, table) -> list:
    with sessions() as session:
        return list(session.exec(select(table)).all())


def _action(sessions, action_id) -> Action:
    with sessions() as session:
        row = session.get(Action, action_id)
        assert row is not None
        return row


def taken_at(sessions, action_id):
    return _action(sessions, action_id).taken_on_at
