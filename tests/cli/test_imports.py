"""``cvt import``'s words (a real process, a SQLite file; Temporal stopped, so the starts wait in
the inbox for the relay): the dry run says what the real run would, record by record."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from models.db import session_factory
from models.inbox import InboxCommand
from tests.cli.process import DECISIONS, DEMO, bare_environment, run_cvt
from tests.factories import add_board
from tests.live import TEST_SECRET, free_port
from tests.report_fixtures import count
from tests.temporal import TEST_PAYLOAD_KEYS


def test_a_dry_run_of_imported_records_says_already_imported_as_the_real_run_does(
    engine: Engine, tmp_path: Path
) -> None:
    sessions = session_factory(engine)
    add_board(sessions)
    env = bare_environment(
        tmp_path / "state",
        CVT_DATABASE_URL=str(engine.url),
        CVT_TEMPORAL_ADDRESS=f"127.0.0.1:{free_port()}",
        CVT_ENVIRONMENT="test",
        CVT_SECRET_KEY=TEST_SECRET,
        CVT_PAYLOAD_KEYS=TEST_PAYLOAD_KEYS,
    )
    imported = run_cvt("import", str(DEMO), "--decisions", str(DECISIONS), cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.splitlines()[-1] == "15 imported, 0 already there."
    stored = count(sessions, InboxCommand)

    checked = run_cvt(
        "import", str(DEMO), "--decisions", str(DECISIONS), "--dry-run", cwd=tmp_path, env=env
    )
    assert checked.returncode == 0, checked.stderr
    lines = checked.stdout.splitlines()
    heads = [line for line in lines if line.startswith("line ")]
    assert len(heads) == 15
    assert all(head.endswith(": already imported") for head in heads), heads
    assert lines[-2:] == ["0 to import, 15 already there.", "Dry run: nothing was written."]
    # What the source says about a record is its note, not something the record lacks.
    assert "    source note: Annual-report table rows carry a month name only" in checked.stdout
    assert not [line for line in lines if line.startswith("    lacks: source note")]
    assert "    lacks: meeting day not recorded: shown as January 2023" in lines

    again = run_cvt("import", str(DEMO), "--decisions", str(DECISIONS), cwd=tmp_path, env=env)
    assert again.stdout.splitlines()[-1] == "0 imported, 15 already there."
    assert count(sessions, InboxCommand) == stored
