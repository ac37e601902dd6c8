"""The monthly ELG digest from sessions run through the engine (dev server, seconds policy):
new sessions, RAG changes with their cause, escalations opened and resolved, actions due next
month, owners not responding; sent by email (outbox) to the leads."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.db import SessionFactory, session_factory
from models.escalation import Escalation, EscalationRule
from models.outbox import OutboxMessage
from models.policy import LONDON, Policy
from models.report import ReportKind, ReportRunInput, ReportTrigger
from models.report_timing import digest_moment
from services import directory, reports
from tests.factories import add_board
from tests.helpers import eventually
from tests.report_fixtures import commands_for, small_year
from worker.build import build_worker

pytestmark = pytest.mark.slow


@pytest.fixture
def sessions(db_engine) -> SessionFactory:
    """SQLite, and PostgreSQL too when CVT_TEST_POSTGRES_URL is set."""
    return session_factory(db_engine)


def not_acknowledged(sessions: SessionFactory) -> list[Escalation]:
    with sessions() as session:
        return list(
            session.exec(
                select(Escalation).where(Escalation.rule == EscalationRule.not_acknowledged)
            )
        )


async def test_the_digest_tells_the_elg_what_changed_and_who_is_not_responding(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    policy = Policy.in_seconds(scale=1)
    add_board(sessions, policy=policy)
    now = datetime.now(LONDON)
    meeting = now.date()
    while digest_moment(policy, meeting) <= now:
        meeting += timedelta(days=1)
    with sessions() as session:
        directory.add_meeting(
            session=session, slug="tht", body=BoardMeetingBase(kind=MeetingKind.elg, date=meeting)
        )
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        await small_year(sessions, commands_for(sessions, client, task_queue))
        # Jo Miah never acknowledges her actions: escalated after 6 seconds.
        await eventually(lambda: not_acknowledged(sessions), timeout=30)
        result = await reports.run_report(
            client,
            ReportRunInput(
                board="tht",
                kind=ReportKind.elg_digest,
                meeting_date=meeting,
                trigger=ReportTrigger.manual,
            ),
            task_queue=task_queue,
        )
    assert result.created
    with sessions() as session:
        report, rows, _ = reports.get_report(session=session, report_id=result.report_id)
        mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "elg_digest")).all()
    assert rows == []
    s = report.content["sections"]
    texts = {key: [item["text"] for item in items] for key, items in s.items()}
    assert len(texts["new_sessions"]) == 5
    assert any(
        t.endswith(": Damp and mould in social housing (Held: 3 actions)")
        for t in texts["new_sessions"]
    )
    # One net change an action: "Write to residents" went Red and was then done this month.
    overdue = [t for t in texts["rag_changes"] if "Write to residents about the survey" in t]
    assert len(overdue) == 1 and "→ Complete. Why: " in overdue[0], overdue
    assert any(
        t.startswith("Action overdue: “Write to residents about the survey”")
        for t in texts["escalations_opened"]
    )
    assert any(
        "Write to residents about the survey" in t and "The action was closed (done)" in t
        for t in texts["escalations_resolved"]
    )
    assert [t for t in texts["due_next_month"] if "Train school staff" in t]
    assert not [t for t in texts["due_next_month"] if "Survey every flat" in t], "closed"
    jo = [t for t in texts["owners_not_responding"] if t.startswith("Jo Miah, ")]
    assert len(jo) == 1, "one line a person"
    assert jo[0].startswith("Jo Miah, London Borough of Tower Hamlets: ")
    assert "owner has not acknowledged (" in jo[0]
    headline = dict(report.content["headline"])
    assert headline["New sessions"].startswith("5 (3 held, of which 1 with no specific action")
    assert sorted(m.recipient_role.value for m in mail) == ["cv_lead", "engagement_lead"]
    assert {m.reply_to for m in mail} == {"eve.engagement@example.org"}
    facts = mail[0].facts
    assert facts["meeting_date"] == meeting.isoformat()
    assert facts["headline"][0]["label"] == "New sessions"
    assert [i["text"] for i in facts["sections"]["owners_not_responding"]] == texts[
        "owners_not_responding"
    ]
