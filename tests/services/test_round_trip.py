"""The product's own export imports into a fresh database and exports again as the same file:
statuses as recorded, closures (with what was done), the log of updates and the ratings."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

from sqlmodel import func, select

from models.action import Action, ActionUpdate
from models.audit import Actor, ActorKind
from models.commands import AddNoteBody, CloseHistoryBody
from models.db import create_engine, session_factory
from models.inbox import CommandStatus
from services.commands import Commands
from services.export import export_sessions, to_json
from services.import_records import read_board_papers
from services.importer import import_sessions
from services.inbox import Inbox
from tests.factories import CV_LEAD, add_board
from tests.helpers import eventually
from tests.temporal import start_test_server
from worker.build import build_worker

DEMO = Path(__file__).resolve().parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"
IMPORTER = Actor(kind=ActorKind.importer, name="Import")


def count(sessions, table) -> int:
    with sessions() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def exported(sessions) -> dict:
    with sessions() as session:
        data = export_sessions(session, board="tht")
    data.pop("exported_at")
    return json.loads(to_json(data))


async def _import(commands, records, **kw) -> None:
    report = await import_sessions(
        commands,
        read_board_papers(records, board="tht", **kw),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert report.ok, [(s.source_ref, s.errors, s.questions) for s in report.sessions]


async def test_export_import_export_gives_the_same_file(
    ts_env, ts_worker, sessions, task_queue, template_db, tmp_path, executor
):
    add_board(sessions)
    commands = Commands(sessions, Inbox(sessions, ts_env.client, task_queue=task_queue))
    await _import(commands, json.loads(DEMO.read_text()), decisions={"AR-2023-10": "no_action"})
    await eventually(lambda: count(sessions, Action) == 38, timeout=60)
    with sessions() as session:
        first, second = session.exec(select(Action).order_by(Action.text)).all()[:2]
    closed = await commands.to_action(
        first.id,
        "close_history",
        CloseHistoryBody(text="Reached every practice", done_on=None),
        CV_LEAD,
    )
    noted = await commands.to_action(
        second.id, "add_note", AddNoteBody(text="Asked the council"), CV_LEAD
    )
    assert (closed.status, noted.status) == (CommandStatus.applied, CommandStatus.applied)
    await eventually(lambda: count(sessions, ActionUpdate) == 2)
    before = exported(sessions)

    path = tmp_path / "fresh.db"
    shutil.copy(template_db, path)
    engine = create_engine(f"sqlite:///{path}")
    fresh = session_factory(engine)
    add_board(fresh)
    queue = f"fresh-{uuid.uuid4()}"
    other = await start_test_server()  # a fresh installation: its own Temporal too
    try:
        async with build_worker(other.client, sessions=fresh, task_queue=queue, executor=executor):
            again = Commands(fresh, Inbox(fresh, other.client, task_queue=queue))
            await _import(again, before["sessions"])
            await eventually(
                lambda: count(fresh, Action) == 38 and count(fresh, ActionUpdate) == 2,
                timeout=30,
            )
            await eventually(lambda: exported(fresh) == before, timeout=30)
    finally:
        await other.shutdown()
        engine.dispose()
    after = exported(fresh)
    assert after == before
    actions = [a for s in after["sessions"] for a in s["actions"]]
    assert {a["rag"] for a in actions} == {"not_rated"}
    done = [a for a in actions if a["recorded_status"] == "done"]
    assert [(a["closure_note"], a["updates"][0]["text"]) for a in done] == [
        ("Reached every practice", "Reached every practice")
    ]
