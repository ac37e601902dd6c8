"""``cvt import`` and ``cvt export`` as a person runs them: the real command in a subprocess,
against a real SQLite file, a Temporal dev server and a worker."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.case import Case
from models.db import create_engine, migrate, session_factory
from models.inbox import InboxCommand
from tests.factories import add_board
from tests.helpers import eventually
from tests.report_fixtures import count, demo_records
from tests.temporal import TEST_PAYLOAD_KEYS, start_dev_server
from worker.build import build_worker

pytestmark = pytest.mark.slow
CVT = str(Path(sys.executable).parent / "cvt")


async def cvt(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        CVT,
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def cli_env(db: Path, dev_env: WorkflowEnvironment, task_queue: str) -> dict[str, str]:
    return {
        "CVT_DATABASE_URL": f"sqlite:///{db}",
        "CVT_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "CVT_TASK_QUEUE": task_queue,
        "CVT_ENVIRONMENT": "development",
        "CVT_PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
    }


def write_records(path: Path, records: list[Any]) -> list[int]:
    """Write a JSON list, one record after another; returns the line each record starts on."""
    parts = [json.dumps(r, indent=1, ensure_ascii=False) for r in records]
    starts, line = [], 2
    for part in parts:
        starts.append(line)
        line += part.count("\n") + 1
    path.write_text("[\n" + ",\n".join(parts) + "\n]\n", encoding="utf-8")
    return starts


async def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    dev_env: WorkflowEnvironment, engine, tmp_path: Path, task_queue: str
) -> None:
    sessions = session_factory(engine)
    add_board(sessions)
    records = demo_records()
    records[3]["board_month"] = "2023-13"
    records[7]["actions"][0]["due_date"] = "2020-01-01"
    del records[10]["actions"][1]["text"]
    file = tmp_path / "sessions.json"
    starts = write_records(file, records)
    env = cli_env(Path(engine.url.database), dev_env, task_queue)

    code, out, err = await cvt(env, "import", str(file))

    assert code == 2
    bad = [line for line in err.splitlines() if "NOT IMPORTED" in line]
    assert bad == [
        f"line {starts[3]} (AR-2023-03): NOT IMPORTED: board_month: '2023-13' is not a month: "
        "write it as YYYY-MM",
        f"line {starts[7]} (AR-2023-07): NOT IMPORTED: actions.0.due_date: 2020-01-01 is before "
        "the meeting on 2023-07-01; give a date on or after it",
        f"line {starts[10]} (AR-2023-11): NOT IMPORTED: text: missing",
    ]
    assert "3 bad record(s): nothing was imported" in err
    assert count(sessions, Case) == 0 and count(sessions, InboxCommand) == 0
    # The good records were checked and said what they lack.
    assert (
        "lacks: action 1: no named owner (recorded as 'Chair of THT Board; THT Clinical Lead')"
        in out
    )

    code, out, _ = await cvt(env, "import", "--dry-run", str(tmp_path / "missing.json"))
    assert code == 2  # typer: the file does not exist


async def test_import_is_idempotent_and_the_export_round_trips_as_json_and_csv(
    dev_env: WorkflowEnvironment, engine, tmp_path: Path, task_queue: str, executor
) -> None:
    sessions = session_factory(engine)
    add_board(sessions)
    demo = Path(__file__).resolve().parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"
    env = cli_env(Path(engine.url.database), dev_env, task_queue)

    decisions = ("--decisions", str(demo.parent / "decisions.json"))
    code, out, _ = await cvt(env, "import", "--dry-run", *decisions, str(demo))
    assert code == 0 and "Dry run: nothing was written." in out
    assert count(sessions, Case) == 0

    async with build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    ):
        code, out, err = await cvt(env, "import", *decisions, str(demo))
        assert code == 0, err
        assert out.splitlines()[-1] == "15 imported, 0 already there."
        await eventually(lambda: count(sessions, Case) == 15, timeout=60)
        commands = count(sessions, InboxCommand)

        code, out, _ = await cvt(env, "import", *decisions, str(demo))
        assert out.splitlines()[-1] == "0 imported, 15 already there."
        assert count(sessions, InboxCommand) == commands

        exported_json, exported_csv = tmp_path / "export.json", tmp_path / "export.csv"
        assert (await cvt(env, "export", "-o", str(exported_json)))[0] == 0
        assert (await cvt(env, "export", "--format", "csv", "-o", str(exported_csv)))[0] == 0
        # The product's own export, imported again into the same database: nothing changes.
        for file in (exported_json, exported_csv):
            code, out, err = await cvt(env, "import", str(file))
            assert code == 0, err
            assert out.splitlines()[-1] == "0 imported, 15 already there."
        assert count(sessions, InboxCommand) == commands

    rows = list(csv.DictReader(io.StringIO(exported_csv.read_text())))
    decided = {"AR-2023-10"}  # no specific action: its listed item is noted, not an action
    assert len(rows) == sum(
        1 if r["id"] in decided else max(1, len(r["actions"])) for r in demo_records()
    )
    october = next(r for r in rows if r["session_ref"] == "AR-2023-10")
    assert october["status"] == "no_action" and "visit the BBBC" in october["noted"]
    assert october["meeting_date"] == "" and october["board_month"] == "2023-10"
    cancelled = next(r for r in rows if r["session_ref"] == "AR-2024-01")
    assert (cancelled["status"], cancelled["action_text"]) == ("cancelled", "")

    # Into a new installation (database and Temporal), the CSV export recreates the same
    # sessions with the same ids.
    fresh_db = tmp_path / "fresh.db"
    fresh = create_engine(f"sqlite:///{fresh_db}")
    migrate(fresh)
    fresh_sessions = session_factory(fresh)
    add_board(fresh_sessions)
    other = await start_dev_server()
    fresh_env = cli_env(fresh_db, other, task_queue)
    async with (
        other,
        build_worker(
            other.client, sessions=fresh_sessions, task_queue=task_queue, executor=executor
        ),
    ):
        code, out, err = await cvt(fresh_env, "import", str(exported_csv))
        assert code == 0, err
        await eventually(lambda: count(fresh_sessions, Case) == 15, timeout=60)
        again = tmp_path / "again.json"
        assert (await cvt(fresh_env, "export", "-o", str(again)))[0] == 0
    first, second = (json.loads(p.read_text()) for p in (exported_json, again))
    assert [stable(s) for s in second["sessions"]] == [stable(s) for s in first["sessions"]]
    with fresh_sessions() as session:
        ids = {c.id for c in session.exec(select(Case))}
    assert ids == {__import__("uuid").UUID(s["case_id"]) for s in first["sessions"]}
    fresh.dispose()


def stable(session: dict[str, Any]) -> dict[str, Any]:
    """What an import carries: the session, its presenters, its actions as agreed."""
    keep = (
        "id",
        "case_id",
        "board",
        "meeting_date",
        "status",
        "theme",
        "said",
        "presenters",
        "outcome",
        "board_month",
        "noted",
    )
    return {
        **{k: session[k] for k in keep},
        "actions": [(a["text"], a["owner"], a["due_date"]) for a in session["actions"]],
    }
