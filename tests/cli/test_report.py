"""``cvt report`` as a person runs it (a real process, a SQLite file, a Temporal dev server and a
worker): it prints the period it used and why, and how many rows (or digest items) it made;
a draft is redrafted or discarded until it is approved, and refused after it."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.case import Case
from models.db import session_factory
from services import directory, reports
from tests.cli.test_import_export import cli_env, cvt
from tests.factories import add_board
from tests.helpers import eventually
from tests.public_text_fixtures import decide_every_place
from tests.report_fixtures import count
from worker.build import build_worker

pytestmark = pytest.mark.slow
DEMO = Path(__file__).resolve().parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"
ELG = date.today() + timedelta(days=30)  # its month holds the import


async def test_the_report_commands_say_the_period_and_the_counts(
    dev_env: WorkflowEnvironment, engine, task_queue: str, executor
) -> None:
    sessions = session_factory(engine)
    add_board(sessions)
    with sessions() as session:
        for day, kind, receives in (
            (date(2023, 12, 14), MeetingKind.board, True),
            (date(2024, 4, 11), MeetingKind.board, True),
            (ELG, MeetingKind.elg, False),
        ):
            directory.add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(kind=kind, date=day, receives_quarterly_report=receives),
            )
    env = cli_env(Path(engine.url.database), dev_env, task_queue)
    async with build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    ):
        code, _, err = await cvt(
            env, "import", "--decisions", str(DEMO.parent / "decisions.json"), str(DEMO)
        )
        assert code == 0, err
        await eventually(lambda: count(sessions, Case) == 15, timeout=60)

        code, out, err = await cvt(
            env, "report", "quarterly", "--meeting", "2024-04-11", "--from", "2023-12-01"
        )
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0].startswith(
            "Drafted: You Said, We Did: report to the Tower Hamlets Together Board on "
            "11 April 2024 (report "
        )
        assert lines[1] == "Period as asked: 1 December 2023 to 10 April 2024."
        assert lines[2] == (
            "Rows: 4 session(s) in the period, 10 earlier session(s) with actions still open."
        )
        report_id = re.search(r"\(report ([0-9a-f-]{36})\)", lines[0]).group(1)  # type: ignore[union-attr]

        code, out, _ = await cvt(env, "report", "quarterly", "--meeting", "2024-04-11")
        assert code == 0 and out.startswith("Already there: ")
        assert "redraft it (or discard it)" in out

        code, out, err = await cvt(
            env, "report", "quarterly", "--meeting", "2024-04-11", "--redraft"
        )
        assert code == 0, err
        assert out.startswith("Redrafted: ")
        assert "Period: from the last meeting that received the report (14 December 2023) to " in (
            out
        )

        code, out, err = await cvt(env, "report", "discard", report_id)
        assert code == 0 and out.startswith("Discarded the draft: You Said, We Did"), err
        code, out, err = await cvt(env, "report", "quarterly", "--meeting", "2023-12-14")
        assert code == 0, err
        assert (
            "No earlier meeting in the calendar receives the quarterly report, so the period is "
            "the three months before December 2023" in out
        )
        first_id = re.search(r"\(report ([0-9a-f-]{36})\)", out).group(1)  # type: ignore[union-attr]
        with sessions() as session:
            decide_every_place(session, uuid.UUID(first_id))
            reports.approve(session=session, report_id=uuid.UUID(first_id), by="Cara")
        code, _, err = await cvt(env, "report", "redraft", first_id)
        assert code == 1 and err.startswith("Refused: This report was approved on ")
        code, _, err = await cvt(env, "report", "discard", first_id)
        assert code == 1 and "cannot be redrafted or discarded" in err

        code, _, err = await cvt(env, "report", "quarterly", "--meeting", "11 April")
        assert code == 2 and "--meeting: '11 April' is not a date; write it as YYYY-MM-DD" in err
        code, _, err = await cvt(
            env, "report", "quarterly", "--meeting", "2024-04-11", "--to", "2024-05-01"
        )
        assert code == 2 and err.startswith("period_end: 1 May 2024 is not before the meeting")

        code, out, err = await cvt(env, "report", "digest", "--meeting", ELG.isoformat())
        assert code == 0, err
        assert out.startswith("Made and emailed: Engagement Leads Group digest for the meeting")
        items = re.search(r"Items: (\d+) ", out)
        assert items is not None and int(items.group(1)) > 0 and "0 row(s)" not in out
    with sessions() as session:
        assert session.exec(select(Case)).first() is not None
