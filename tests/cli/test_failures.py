"""Every ``cvt`` failure is one line saying what to do, a non-zero exit, and nothing created:
real processes run from a folder outside the project, with Temporal stopped, a database out of
reach, refused settings and the bad files people give it."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models.case import Case
from models.db import session_factory
from models.inbox import InboxCommand
from tests.cli.process import DEMO, bare_environment, files_under, run_cvt
from tests.factories import add_board
from tests.live import TEST_SECRET, free_port
from tests.report_fixtures import count
from tests.temporal import TEST_PAYLOAD_KEYS


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """An empty folder outside the project, where the commands are run."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


def test_report_commands_with_temporal_stopped_say_so_in_one_line(
    engine: Engine, elsewhere: Path, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there
    env = bare_environment(
        tmp_path / "state",
        CVT_DATABASE_URL=str(engine.url),
        CVT_TEMPORAL_ADDRESS=f"127.0.0.1:{port}",
    )
    for args in (
        ["report", "quarterly", "--meeting", "2024-04-11"],
        ["report", "digest", "--meeting", "2024-04-16"],
        ["report", "annual"],
        ["report", "redraft", str(uuid.uuid4())],
        ["report", "schedules"],
    ):
        result = run_cvt(*args, cwd=elsewhere, env=env)
        assert result.returncode == 1, args
        assert one_line(result.stderr) == (
            f"Cannot reach Temporal at 127.0.0.1:{port}: start everything with 'make run' in "
            "the project folder, or set CVT_TEMPORAL_ADDRESS to where Temporal runs."
        )
        assert result.stdout == ""
    assert files_under(elsewhere) == []


@pytest.mark.parametrize(
    "args",
    [
        ["export"],
        ["export", "-o", "all.json"],
        ["mail", "list"],
        ["seed"],
        ["import", str(DEMO), "--decide", "AR-2023-10=no_action"],
        ["user", "add", "a@example.org", "--name", "A", "--role", "viewer", "--password", "p" * 12],
        ["report", "discard", str(uuid.uuid4())],
    ],
)
def test_outside_the_project_with_no_database_nothing_is_created(
    args: list[str], elsewhere: Path, tmp_path: Path
) -> None:
    """No ``make run`` has made the database: each command says where it looked and what to do,
    and creates no empty database (nor a ``var/`` folder) where it was run."""
    state = tmp_path / "state"
    result = run_cvt(*args, cwd=elsewhere, env=bare_environment(state))
    assert result.returncode == 1
    assert one_line(result.stderr) == (
        f"There is no database at {state / 'community-voice.db'}: start everything once with "
        "'make run' in the project folder (or run 'cvt db upgrade'), or set CVT_DATABASE_URL."
    )
    assert files_under(elsewhere) == [] and not state.exists()


def test_a_relative_database_path_is_not_made_in_the_folder_it_is_run_from(
    elsewhere: Path, tmp_path: Path
) -> None:
    env = bare_environment(tmp_path / "state", CVT_DATABASE_URL="sqlite:///var/community-voice.db")
    result = run_cvt("export", cwd=elsewhere, env=env)
    assert result.returncode == 1
    assert one_line(result.stderr).startswith(
        f"There is no database at {elsewhere / 'var' / 'community-voice.db'}: "
    )
    assert files_under(elsewhere) == []


def test_a_database_out_of_reach_or_without_tables_is_one_line(
    elsewhere: Path, tmp_path: Path
) -> None:
    port = free_port()
    url = f"postgresql://postgres@127.0.0.1:{port}/community_voice"
    result = run_cvt("export", cwd=elsewhere, env=bare_environment(tmp_path, CVT_DATABASE_URL=url))
    assert result.returncode == 1
    line = one_line(result.stderr)
    assert line.startswith(f"Cannot use the database {url}: ")
    assert line.endswith("Check CVT_DATABASE_URL, or start everything with 'make run'.")

    empty = tmp_path / "empty.db"
    empty.touch()
    env = bare_environment(tmp_path, CVT_DATABASE_URL=f"sqlite:///{empty}")
    result = run_cvt("mail", "list", cwd=elsewhere, env=env)
    assert result.returncode == 1
    assert one_line(result.stderr) == (
        f"The database sqlite:///{empty} has no tables yet: run 'cvt db upgrade' (make run "
        "does it)."
    )
    assert files_under(elsewhere) == []


def test_refused_settings_are_one_line(engine: Engine, elsewhere: Path, tmp_path: Path) -> None:
    env = bare_environment(tmp_path, CVT_DATABASE_URL=str(engine.url), CVT_ENVIRONMENT="production")
    result = run_cvt("export", cwd=elsewhere, env=env)
    assert result.returncode == 2
    assert one_line(result.stderr).startswith(
        "Settings refused: CVT_SECRET_KEY: set a long random secret outside development"
    )


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "empty.json": (b"", "No sessions found in {file}: the file is empty."),
    "blank.json": (b"  \n\n", "No sessions found in {file}: the file is empty."),
    "none.json": (b"[]", "No sessions found in {file}."),
    "no-sessions.json": (b'{"sessions": []}', "No sessions found in {file}."),
    "header-only.csv": (b"session_ref,status,board_month\n", "No sessions found in {file}."),
    "broken.json": (
        b'[{"id": "AR-1",]',
        "{file} is not valid JSON: Expecting property name enclosed in double quotes at line 1, "
        "column 16.",
    ),
    "object.json": (
        b'{"id": "AR-1"}',
        "{file} holds no list of sessions: give a JSON list of sessions (as in demo/), or this "
        "product's export (cvt export).",
    ),
    "columns.csv": (
        b"when,what\n2024-01-11,Damp\n",
        "The first line of {file} must name the columns; needed: session_ref, status and "
        "meeting_date or board_month (see 'cvt export --format csv').",
    ),
    "latin1.csv": (
        "session_ref,status,board_month\nAR-1,held,2024-01\nCaf\xe9,held,2024-02\n".encode(
            "latin-1"
        ),
        "{file} is not UTF-8 text: save it as UTF-8 (in a spreadsheet, as CSV UTF-8) and run "
        "it again.",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_import_file_is_one_plain_line_and_imports_nothing(
    name: str, engine: Engine, elsewhere: Path, tmp_path: Path
) -> None:
    sessions = session_factory(engine)
    add_board(sessions)
    content, expected = BAD_FILES[name]
    file = tmp_path / name
    file.write_bytes(content)
    env = bare_environment(
        tmp_path / "state",
        CVT_DATABASE_URL=str(engine.url),
        CVT_TEMPORAL_ADDRESS=f"127.0.0.1:{free_port()}",
        CVT_ENVIRONMENT="test",
        CVT_SECRET_KEY=TEST_SECRET,
        CVT_PAYLOAD_KEYS=TEST_PAYLOAD_KEYS,
    )
    dry_run = ["--dry-run"] if name == "empty.json" else []  # the same words either way
    result = run_cvt("import", str(file), *dry_run, cwd=elsewhere, env=env)
    assert result.returncode == 2
    assert one_line(result.stderr) == expected.format(file=file)
    assert result.stdout == ""
    assert count(sessions, Case) == 0 and count(sessions, InboxCommand) == 0
    assert files_under(elsewhere) == []
