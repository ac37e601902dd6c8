"""The ``cvt`` command, run as a real process against a real database (and Temporal)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import select

from models.case import Case
from models.staff import Role, StaffUser
from tests.factories import add_board
from tests.live import TEST_SECRET
from tests.temporal import TEST_PAYLOAD_KEYS

PROJECT = Path(__file__).resolve().parents[2]
DEMO = PROJECT / "demo" / "sessions-2022-12-to-2024-03.json"


def cvt(
    *args: str, engine, temporal: str = "127.0.0.1:1", task_queue: str = "cli"
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "CVT_ENVIRONMENT": "test",
        "CVT_SECRET_KEY": TEST_SECRET,
        "CVT_PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
        "CVT_DATABASE_URL": str(engine.url),
        "CVT_TEMPORAL_ADDRESS": temporal,
        "CVT_TASK_QUEUE": task_queue,
        "CVT_COMMAND_WAIT_SECONDS": "20",
    }
    return subprocess.run(
        [sys.executable, "-m", "cli.main", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_web_app_refuses_to_listen_beyond_this_machine_with_development_settings(engine):
    """``cvt api --host 0.0.0.0`` with no settings: refused, saying why and what to set."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CVT_")}
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "api", "--host", "0.0.0.0", "--port", "1"],  # noqa: S104
        cwd=PROJECT,
        env={**env, "CVT_DATABASE_URL": str(engine.url)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "Refusing to listen on 0.0.0.0" in result.stderr
    assert "CVT_ENVIRONMENT=production" in result.stderr


def test_user_add_creates_a_staff_account(engine, sessions):
    result = cvt(
        "user",
        "add",
        "Cara.Lead@Example.org",
        "--name",
        "Cara Lead",
        "--role",
        "cv_lead",
        "--password",
        "a long enough password",
        engine=engine,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Created cara.lead@example.org (cv_lead)."
    with sessions() as session:
        user = session.exec(select(StaffUser)).one()
    assert (user.role, user.password_hash.startswith("$argon2")) == (Role.cv_lead, True)


def test_user_add_says_what_is_wrong(engine):
    result = cvt(
        "user",
        "add",
        "not-an-email",
        "--name",
        "X",
        "--role",
        "viewer",
        "--password",
        "short",
        engine=engine,
    )
    assert result.returncode == 2
    assert "email: value is not a valid email address" in result.stderr
    assert "password: String should have at least 12 characters" in result.stderr


def test_import_dry_run_reports_what_each_session_lacks_and_asks_what_it_cannot_tell(
    engine, sessions
):
    add_board(sessions)
    result = cvt("import", str(DEMO), "--dry-run", engine=engine)
    assert result.returncode == 2
    assert "line 44 (AR-2023-01): checked" in result.stdout  # the line its record starts on
    assert "    lacks: action 3: no owner recorded" in result.stdout
    assert "    lacks: meeting day not recorded: shown as January 2023" in result.stdout
    # October 2023's own outcome says "no specific action", and it lists one: it asks.
    assert "(AR-2023-10): NEEDS A DECISION" in result.stdout
    assert "    decide: recorded as no specific action (its outcome says so)" in result.stdout
    assert "1 record(s) need a decision: nothing was imported. Give each with --decide" in (
        result.stderr
    )
    assert "Dry run: nothing was written." in result.stderr

    decided = cvt(
        "import", str(DEMO), "--dry-run", "--decide", "AR-2023-10=no_action", engine=engine
    )
    assert decided.returncode == 0, decided.stderr
    assert "(AR-2023-10): checked" in decided.stdout
    assert (
        "    noted, not tracked: Board expressed desire to visit the BBBC in future"
        in decided.stdout
    )
    assert decided.stdout.strip().endswith(
        "15 to import, 0 already there.\nDry run: nothing was written."
    )
    from_file = cvt(
        "import", str(DEMO), "--dry-run", "--decisions", str(DEMO.parent / "decisions.json"),
        engine=engine,
    )  # fmt: skip
    assert from_file.returncode == 0, from_file.stderr
    bad = cvt("import", str(DEMO), "--dry-run", "--decide", "AR-2023-10", engine=engine)
    assert bad.returncode == 2 and "--decide: 'AR-2023-10' is not REF=DECISION" in bad.stderr
    with sessions() as session:
        assert session.exec(select(Case)).all() == []


def test_import_into_an_unknown_board_imports_nothing(engine):
    result = cvt("import", str(DEMO), "--board", "nowhere", engine=engine)
    assert result.returncode == 2
    assert "line 2 (AR-2022-12): NOT IMPORTED: board: there is no board 'nowhere'" in result.stderr
    assert "15 bad record(s): nothing was imported" in result.stderr


@pytest.mark.e2e
async def test_case_start_records_a_session_from_a_file(
    dev_env, dev_worker, engine, sessions, task_queue, tmp_path
):
    add_board(sessions)
    session_file = tmp_path / "session.json"
    session_file.write_text(
        json.dumps(
            {
                "board": "tht",
                "meeting_date": date.today().isoformat(),
                "theme": "GP access",
                "presenters": [{"organisation": "Healthwatch Tower Hamlets"}],
                "actions": [{"text": "Publish GP access data", "owner_as_written": "NEL ICB"}],
            }
        )
    )
    address = dev_env.client.service_client.config.target_host
    import asyncio

    result = await asyncio.to_thread(
        cvt,
        "case",
        "start",
        str(session_file),
        "--as",
        "Eve Engagement",
        engine=engine,
        temporal=address,
        task_queue=task_queue,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("applied. The session is recorded.")
    with sessions() as session:
        case = session.exec(select(Case)).one()
    assert (case.theme, case.recorded_by) == ("GP access", "Eve Engagement")

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"board": "tht", "meeting_date": "yesterday"}))
    result = cvt("case", "start", str(bad), engine=engine)
    assert result.returncode == 2
    assert "meeting_date: 'yesterday' is not a date: write it as YYYY-MM-DD" in result.stderr
