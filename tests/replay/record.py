"""Record workflow histories for the replay test: ``python -m tests.replay.record``.

Runs one representative case (presenter contact, naming an owner, reminders, an escalation,
acknowledgement, an update, done, cannot deliver, closing, the annual report signal) on the
time-skipping server with a fresh SQLite database, and writes each workflow's history as JSON.
Re-record only when a change is meant to break replay, and put that change behind
``workflow.patched`` instead whenever running cases must survive it.

The histories in the repository were recorded before payloads were encrypted, so they are
readable; a history recorded now is encrypted with the tests' key (``tests/temporal.py``). The
replay test reads both, through the one shared converter.
"""

from __future__ import annotations

import asyncio
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from models.commands import (
    AcknowledgeBody,
    AssignOwnerBody,
    CannotDeliverBody,
    CloseActionBody,
    ConfirmPresenterContactBody,
    MarkDoneBody,
    PostUpdateBody,
)
from models.db import create_engine, migrate, session_factory
from models.messages import CaseReported
from tests.factories import CV_LEAD, add_board, add_owner
from tests.temporal import start_test_server
from tests.workflows.calendar_anchor import easter_week_monday, london
from tests.workflows.conftest import Scenario
from worker.build import build_worker
from workflows import case_workflow_id

HISTORIES = Path(__file__).parent / "histories"


async def record() -> list[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/replay.db")
        migrate(engine)
        sessions = session_factory(engine)
        add_board(sessions)
        owner = add_owner(sessions, name="Olu Owner")
        other = add_owner(sessions, name="Kim Other", partner="London Borough of Tower Hamlets")
        env = await start_test_server()
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                worker = build_worker(
                    env.client, sessions=sessions, task_queue="replay", executor=pool
                )
                async with worker:
                    now = await env.get_current_time()
                    s = Scenario(
                        env=env,
                        sessions=sessions,
                        task_queue="replay",
                        monday=easter_week_monday(now.date()),
                        owner=owner,
                        other_owner=other,
                    )
                    return await _run(s)
        finally:
            await env.shutdown()
            engine.dispose()


async def _run(s: Scenario) -> list[Path]:
    await s.go_to(london(s.monday, 14))
    case = await s.start(
        actions=[{"text": "Survey every flat", "owner_id": s.owner.id}, {"text": "Write to all"}]
    )
    case_id = case.state.record.id
    owned, unowned = (a.id for a in case.state.unstarted_actions)
    await s.go_to(london(s.monday + timedelta(days=9), 9, 30))
    await s.on_case(case_id, "confirm_presenter_contact", ConfirmPresenterContactBody(note="Met"))
    await s.go_to(london(s.monday + timedelta(days=16), 10))
    await s.act(unowned, "assign_owner", AssignOwnerBody(owner_id=s.other_owner.id))
    await s.act(owned, "acknowledge", AcknowledgeBody())
    await s.act(owned, "post_update", PostUpdateBody(text="Booked", rag="amber"))
    await s.act(owned, "mark_done", MarkDoneBody(text="Surveyed"))
    await s.act(unowned, "acknowledge", AcknowledgeBody())
    await s.act(unowned, "cannot_deliver", CannotDeliverBody(reason="No budget"))
    await s.act(unowned, "close_action", CloseActionBody(reason="Agreed"), CV_LEAD)
    handle = s.env.client.get_workflow_handle(case_workflow_id(case_id))
    await handle.signal("case_reported", CaseReported(report_id=case_id, published_at=s.now))
    await handle.result()
    written = []
    for name, workflow_id in [
        ("case", case_workflow_id(case_id)),
        ("action-owned", f"action-{owned}"),
        ("action-unowned", f"action-{unowned}"),
    ]:
        history = await s.env.client.get_workflow_handle(workflow_id).fetch_history()
        path = HISTORIES / f"{name}.json"
        path.write_text(history.to_json())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in asyncio.run(record()):
        print(f"wrote {path}")  # noqa: T201
