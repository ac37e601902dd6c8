"""Sessions for the report tests, run through the real engine (inbox, workflows, activities).

``small_year`` is the hand-counted fixture of the annual figures: see its docstring.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select
from temporalio.client import Client

from models.action import Action
from models.audit import Actor, ActorKind
from models.base import utcnow
from models.case import Case
from models.commands import (
    ConfirmPresenterContactBody,
    MarkDoneBody,
    WithdrawActionBody,
)
from models.db import SessionFactory
from models.inbox import CommandStatus
from models.policy import LONDON
from services import intake
from services.commands import Commands
from services.import_records import read_board_papers
from services.importer import import_sessions
from services.inbox import Inbox
from tests.factories import LEAD, add_owner, session_body
from tests.helpers import eventually

DEMO = Path(__file__).resolve().parent.parent / "demo" / "sessions-2022-12-to-2024-03.json"
#: The answers to the questions the demo file raises (AR-2023-10: no specific action).
DEMO_DECISIONS = DEMO.parent / "decisions.json"
OWNER = Actor(kind=ActorKind.owner_link, name="Priya Shah")


def commands_for(sessions: SessionFactory, client: Client, task_queue: str) -> Commands:
    return Commands(sessions, Inbox(sessions, client, task_queue=task_queue, wait_seconds=20))


def demo_records() -> list[dict[str, Any]]:
    return list(json.loads(DEMO.read_text()))


def demo_decisions() -> dict[str, str]:
    return dict(json.loads(DEMO_DECISIONS.read_text()))


def demo_actions() -> int:
    """Actions the demo import tracks: all listed, but those of sessions decided no_action."""
    decided = demo_decisions()
    return sum(len(r["actions"]) for r in demo_records() if decided.get(r["id"]) != "no_action")


def count(sessions: SessionFactory, table: Any) -> int:
    with sessions() as session:
        return len(session.exec(select(table)).all())


async def import_demo(sessions: SessionFactory, commands: Commands) -> None:
    items = read_board_papers(demo_records(), board="tht", decisions=demo_decisions())
    actor = Actor(kind=ActorKind.importer, name="Import of the demo data")
    report = await import_sessions(commands, items, board="tht", actor=actor, dry_run=False)
    assert report.ok
    await eventually(lambda: count(sessions, Case) == 15, timeout=60)
    await eventually(lambda: count(sessions, Action) == demo_actions(), timeout=60)


async def start_case(commands: Commands, body: Any) -> uuid.UUID:
    row = await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )
    assert row.status is CommandStatus.applied, row.outcome_message
    assert row.case_id is not None
    return row.case_id


async def applied(row: Any) -> None:
    assert row.status is CommandStatus.applied, (row.kind, row.status, row.outcome_message)


def actions_of(sessions: SessionFactory, case_id: uuid.UUID) -> list[Action]:
    with sessions() as session:
        return list(
            session.exec(select(Action).where(Action.case_id == case_id).order_by(Action.seq))
        )


@dataclass
class SmallYear:
    today: date
    case_a: uuid.UUID
    case_b: uuid.UUID
    period_start: date
    period_end: date


async def small_year(sessions: SessionFactory, commands: Commands) -> SmallYear:
    """Five sessions, counted by hand (D(n) is n days ago; "now" is when the test runs).

    A (held, D30; Amina Begum consents to be named, Bob does not): A1 due in 2 days, done now
    (on time); A2 due D25, done now (late); A3 due D20, left open (overdue). Presenters
    contacted now (30 days after the meeting).
    B (held, D20): B1 no owner, no due date, open; B2 no due date, done now (closed, on time
    unknown); B3 withdrawn; B4 due in 5 days, open. Presenters contacted now (20 days).
    C (cancelled, D10), D (deferred, D5), E (held with no specific action, D3; not contacted).

    Sessions: 5; held 3 (of which 1 with no specific action); cancelled 1; deferred 1.
    Actions: 7 agreed; 6 with a named owner; 1 withdrawn; closed 3 (A1, A2, B2); on time 1
    (A1); open and overdue 1 (A3). On-time rate 1 ÷ (3 + 1) = 25% (closed on time ÷ closed
    would say 33%). Median days to contact: (30, 20) → 25. Median days to closure: (30, 30,
    20) → 30. By partner: Barts Health 3 agreed / 2 closed; the council 3 / 1; no partner 1 / 0.
    """
    priya = add_owner(sessions, name="Priya Shah", partner="Barts Health NHS Trust")
    jo = add_owner(sessions, name="Jo Miah", partner="London Borough of Tower Hamlets")
    now = datetime.now(LONDON)
    today = now.date()

    def d(n: int) -> date:
        return today - timedelta(days=n)

    case_a = await start_case(
        commands,
        session_body(
            meeting_date=d(30),
            theme="Damp and mould in social housing",
            presenters=[
                {
                    "name": "Amina Begum",
                    "organisation": "Tenants' Forum",
                    "email": "amina@example.com",
                    "consent_to_publish_name": True,
                },
                {"name": "Bob Green", "organisation": "Carers Centre", "email": "bob@example.com"},
            ],
            actions=[
                {
                    "text": "Survey every flat on the estate",
                    "owner_id": str(priya.id),
                    "due_at": (now + timedelta(days=2)).isoformat(),
                },
                {
                    "text": "Write to residents about the survey",
                    "owner_id": str(priya.id),
                    "due_date": d(25).isoformat(),
                },
                {
                    "text": "Report mould cases to the board",
                    "owner_id": str(jo.id),
                    "due_date": d(20).isoformat(),
                },
            ],
        ),
    )
    case_b = await start_case(
        commands,
        session_body(
            meeting_date=d(20),
            theme="Youth mental health in schools",
            presenters=[{"organisation": "Youth Group", "email": "youth@example.org"}],
            actions=[
                {"text": "Link the group with school nurses", "owner_as_written": "Public Health"},
                {"text": "Share the youth survey with GPs", "owner_id": str(jo.id)},
                {
                    "text": "Fund a pilot in two schools",
                    "owner_id": str(priya.id),
                    "due_at": (now + timedelta(days=10)).isoformat(),
                },
                {
                    "text": "Train school staff",
                    "owner_id": str(jo.id),
                    "due_at": (now + timedelta(days=5)).isoformat(),
                },
            ],
        ),
    )
    await start_case(
        commands, session_body(meeting_date=d(10), outcome="cancelled", theme=None, presenters=[])
    )
    await start_case(
        commands, session_body(meeting_date=d(5), outcome="deferred", theme="Pharmacy access")
    )
    await start_case(
        commands, session_body(meeting_date=d(3), outcome="no_action", theme="Community transport")
    )
    a1, a2, a3 = actions_of(sessions, case_a)
    _b1, b2, b3, _b4 = actions_of(sessions, case_b)
    await eventually(lambda: actions_of(sessions, case_a)[1].rag.value == "red", timeout=20)
    done = MarkDoneBody(text="Done: every flat surveyed.")
    await applied(await commands.to_action(a1.id, "mark_done", done, OWNER))
    await applied(
        await commands.to_action(
            a2.id, "mark_done", MarkDoneBody(text="Letters sent to all residents."), OWNER
        )
    )
    await applied(
        await commands.to_action(
            b2.id, "mark_done", MarkDoneBody(text="Survey shared with every practice."), OWNER
        )
    )
    await applied(
        await commands.to_action(
            b3.id,
            "withdraw_action",
            WithdrawActionBody(reason="Funding moved to another pilot"),
            LEAD,
        )
    )
    for case_id in (case_a, case_b):
        await applied(
            await commands.to_case(
                case_id, "confirm_presenter_contact", ConfirmPresenterContactBody(), LEAD
            )
        )
    assert a3.due_date == d(20)
    return SmallYear(
        today=today, case_a=case_a, case_b=case_b, period_start=d(60), period_end=today
    )


async def draft_quarterly_in_20_days(
    http: Any, sessions: SessionFactory, cv_lead: dict[str, str]
) -> uuid.UUID:
    """A board meeting 20 days from today that receives the quarterly paper, and its draft
    (through the JSON API, as the Community Voice Lead)."""
    from models.board import BoardMeetingBase, MeetingKind
    from services import directory
    from tests.world import today

    board_meeting = today() + timedelta(days=20)
    with sessions() as session:
        directory.add_meeting(
            session=session,
            slug="tht",
            body=BoardMeetingBase(
                kind=MeetingKind.board, date=board_meeting, receives_quarterly_report=True
            ),
        )
    made = await http.post(
        "/api/v1/reports/quarterly",
        json={"board": "tht", "meeting_date": board_meeting.isoformat()},
        headers=cv_lead,
    )
    assert made.status_code == 201, made.text
    return uuid.UUID(made.json()["report_id"])
