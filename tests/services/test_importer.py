"""Importing the board's published sessions: gaps kept and reported, idempotent, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from models.action import Action, ActionStatus
from models.audit import Actor, ActorKind
from models.case import Case, CaseOutcome
from models.inbox import InboxCommand
from services.commands import Commands
from services.import_records import read_board_papers
from services.importer import import_sessions
from services.inbox import Inbox
from tests.factories import add_board
from tests.helpers import eventually

DEMO = Path(__file__).resolve().parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"
IMPORTER = Actor(kind=ActorKind.importer, name="Import of the demo file")
DECISIONS = {"AR-2023-10": "no_action"}


def demo_records() -> list[dict]:
    return json.loads(DEMO.read_text())


def test_the_demo_sessions_are_read_with_what_each_lacks():
    items = read_board_papers(demo_records(), board="tht")
    assert len(items) == 15
    assert all(not item.errors for item in items)
    january = next(i for i in items if i.source_ref == "AR-2023-01")
    assert january.action_gaps == [
        ["no named owner (recorded as 'Children and Family Executive (CFE)')", "no due date"],
        [
            "no named owner (recorded as 'Children and Family Executive (CFE) / Adolescent "
            "Partnership Working Group')",
            "no due date",
        ],
        ["no owner recorded", "no due date"],
    ]
    assert "meeting day not recorded: shown as January 2023" in january.gaps
    assert january.month_only and january.body.meeting_date.day == 1
    assert "no contact details for Spotlight" in january.gaps
    cancelled = next(i for i in items if i.source_ref == "AR-2024-01")
    assert cancelled.body.outcome is CaseOutcome.cancelled
    assert "no theme recorded" in cancelled.gaps
    assert cancelled.body.actions == []


def test_a_bad_record_is_reported_by_its_number():
    records = demo_records()[:3]
    records[1] = {**records[1], "board_month": "sometime"}
    records[2] = {**records[2], "status": "postponed"}
    items = read_board_papers(records, board="tht")
    assert items[0].errors == []
    assert "invalid literal" in items[1].errors[0] or "board_month" in items[1].errors[0]
    assert "status: 'postponed' is not a session outcome" in items[2].errors[0]
    assert [i.number for i in items if i.errors] == [2, 3]


async def test_import_is_all_or_nothing_and_idempotent(ts_env, ts_worker, sessions, task_queue):
    add_board(sessions)
    commands = Commands(sessions, Inbox(sessions, ts_env.client, task_queue=task_queue))

    def count(table) -> int:
        with sessions() as session:
            from sqlmodel import func, select

            return session.exec(select(func.count()).select_from(table)).one()

    dry = await import_sessions(
        commands,
        read_board_papers(demo_records(), board="tht"),
        board="tht",
        actor=IMPORTER,
        dry_run=True,
    )
    # October 2023 says "no specific action" and lists one: the dry run asks, never guesses.
    assert not dry.ok and [i.source_ref for i in dry.undecided] == ["AR-2023-10"]
    assert count(InboxCommand) == 0
    undecided = await import_sessions(
        commands,
        read_board_papers(demo_records(), board="tht"),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert not undecided.ok and count(InboxCommand) == 0, "nothing until it is decided"

    bad = read_board_papers(demo_records(), board="nowhere")
    report = await import_sessions(commands, bad, board="nowhere", actor=IMPORTER, dry_run=False)
    assert not report.ok
    assert report.sessions[0].errors == ["board: there is no board 'nowhere'; use one of: tht"]
    assert count(InboxCommand) == 0

    first = await import_sessions(
        commands,
        read_board_papers(demo_records(), board="tht", decisions=DECISIONS),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert [i.status for i in first.sessions] == ["imported"] * 15
    await eventually(lambda: count(Case) == 15 and count(Action) == 38, timeout=60)
    with sessions() as session:
        from sqlmodel import select

        action = session.exec(
            select(Action).where(Action.owner_as_written == "Healthwatch Tower Hamlets")
        ).first()
        case = session.get(Case, action.case_id)
    assert action.status is ActionStatus.unassigned
    assert action.gaps == [
        "no named owner (recorded as 'Healthwatch Tower Hamlets')",
        "no due date",
    ]
    assert case.historical and case.source_ref == "AR-2023-06"
    assert case.outcome_reflection.startswith("Healthwatch")

    again = await import_sessions(
        commands,
        read_board_papers(demo_records(), board="tht", decisions=DECISIONS),
        board="tht",
        actor=IMPORTER,
        dry_run=False,
    )
    assert [i.status for i in again.sessions] == ["already imported"] * 15
    assert count(InboxCommand) == 15
    assert count(Case) == 15
