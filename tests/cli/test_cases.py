"""``cvt case start`` checks a session file in one round (a real process, a SQLite file,
Temporal stopped: nothing reaches it): every problem at once, in the file's own field names."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from models.db import session_factory
from models.inbox import InboxCommand
from tests.cli.process import bare_environment, run_cvt
from tests.factories import add_board
from tests.live import TEST_SECRET, free_port
from tests.report_fixtures import count
from tests.temporal import TEST_PAYLOAD_KEYS


@pytest.fixture
def env(engine: Engine, tmp_path: Path) -> dict[str, str]:
    add_board(session_factory(engine))
    return bare_environment(
        tmp_path / "state",
        CVT_DATABASE_URL=str(engine.url),
        CVT_TEMPORAL_ADDRESS=f"127.0.0.1:{free_port()}",
        CVT_ENVIRONMENT="test",
        CVT_SECRET_KEY=TEST_SECRET,
        CVT_PAYLOAD_KEYS=TEST_PAYLOAD_KEYS,
    )


def test_every_problem_of_a_session_file_is_reported_at_once(
    engine: Engine, env: dict[str, str], tmp_path: Path
) -> None:
    owner = uuid.uuid4()
    file = tmp_path / "session.json"
    file.write_text(
        json.dumps(
            {
                "board": "nowhere",
                "meeting_date": "11/04/2024",
                "presenters": [{"name": "Amina Begum", "email": "not an address"}],
                "actions": [{"text": "Do", "due_date": "soon", "owner_id": str(owner)}],
            },
            indent=1,
        )
    )
    result = run_cvt("case", "start", str(file), cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "board: there is no board 'nowhere'; use one of: tht",
        "meeting_date: '11/04/2024' is not a date: write it as YYYY-MM-DD",
        "presenters.0.email: value is not a valid email address: An email address must have an "
        "@-sign.",
        "actions.0.text: String should have at least 3 characters",
        "actions.0.due_date: 'soon' is not a date: write it as YYYY-MM-DD",
        f"actions.0.owner_id: there is no active owner with id {owner}; choose one from the "
        "directory (GET /api/v1/owners) or add them first",
        "theme: say what the session was about",
        f"7 problem(s) in {file}: nothing was recorded. Fix them and run it again.",
    ]
    assert count(session_factory(engine), InboxCommand) == 0


def test_a_file_the_schema_accepts_still_gets_every_rule_at_once(
    engine: Engine, env: dict[str, str], tmp_path: Path
) -> None:
    """The board, the meeting date and the theme, which the schema cannot check, together."""
    tomorrow = date.today() + timedelta(days=1)
    file = tmp_path / "session.json"
    file.write_text(json.dumps({"meeting_date": tomorrow.isoformat(), "board": "thtt"}))
    result = run_cvt("case", "start", str(file), cwd=tmp_path, env=env)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("meeting_date: ") and lines[0].endswith(
        "is in the future: record a session after the board has met"
    )
    assert lines[1:] == [
        "board: there is no board 'thtt'; use one of: tht",
        "theme: say what the session was about",
        f"3 problem(s) in {file}: nothing was recorded. Fix them and run it again.",
    ]
    assert count(session_factory(engine), InboxCommand) == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "{file} is empty: write the session as JSON (README, 'Try it')."),
        (
            b'{"board": "tht",\n  "theme": }',
            "{file} is not valid JSON: Expecting value at line 2, column 12.",
        ),
        (b"[]", "{file} holds no session: give one JSON object, as in README's 'Try it'."),
        (b"\xff\xfe{", "{file} is not UTF-8 text: save it as UTF-8 and run it again."),
    ],
)
def test_a_file_that_is_not_a_session_is_one_line(
    content: bytes, expected: str, env: dict[str, str], tmp_path: Path
) -> None:
    file = tmp_path / "session.json"
    file.write_bytes(content)
    result = run_cvt("case", "start", str(file), cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [expected.format(file=file)]
