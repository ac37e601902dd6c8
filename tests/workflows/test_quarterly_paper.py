"""The quarterly "You Said, We Did" paper from the board's own published sessions (the demo
data), drafted for a named period on a Temporal dev server: each row's Action column holds what
was said and the agreed actions, month-only sessions fall in the right period, and a draft can
be redrafted or discarded until it is approved, never after."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from models.audit import AuditEvent
from models.board import BoardMeetingBase, MeetingKind
from models.case import Case
from models.db import SessionFactory, session_factory
from models.report import Report, ReportKind, ReportRunInput, ReportTrigger, RowSection
from services import directory, report_drafts, reports, said_summaries
from services.errors import Conflict, InvalidInput
from tests.factories import add_board
from tests.public_text_fixtures import decide_every_place
from tests.report_fixtures import commands_for, demo_records, import_demo
from worker.build import build_worker

pytestmark = pytest.mark.slow

DECEMBER, APRIL = date(2023, 12, 14), date(2024, 4, 11)


@pytest.fixture
def sessions(db_engine) -> SessionFactory:
    """SQLite, and PostgreSQL too when CVT_TEST_POSTGRES_URL is set."""
    return session_factory(db_engine)


def quarterly(meeting: date, **fields: object) -> ReportRunInput:
    return ReportRunInput(
        board="tht",
        kind=ReportKind.quarterly,
        meeting_date=meeting,
        trigger=ReportTrigger.manual,
        requested_by="Cara Lead",
        **fields,
    )


def add_meetings(sessions: SessionFactory) -> None:
    with sessions() as session:
        for day, receives in ((DECEMBER, True), (date(2024, 2, 8), False), (APRIL, True)):
            directory.add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(
                    kind=MeetingKind.board, date=day, receives_quarterly_report=receives
                ),
            )


async def draft(client: Client, task_queue: str, run: ReportRunInput):  # type: ignore[no-untyped-def]
    return await reports.run_report(client, run, task_queue=task_queue)


async def test_the_paper_for_a_named_period_has_what_was_said_and_each_action(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions)
    add_meetings(sessions)
    records = {r["id"]: r for r in demo_records()}
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        await import_demo(sessions, commands_for(sessions, client, task_queue))
        named = await draft(client, task_queue, quarterly(APRIL, period_start=date(2023, 12, 1)))
        # With no earlier receiving meeting, the period is chosen and said.
        first = await draft(client, task_queue, quarterly(DECEMBER))

    assert named.created and named.title and "11 April 2024" in named.title
    assert (named.period_start, named.period_end) == (date(2023, 12, 1), date(2024, 4, 10))
    assert named.period_note == "Period as asked: 1 December 2023 to 10 April 2024."
    assert (named.rows, named.carried_forward) == (4, 10)

    assert (first.period_start, first.period_end) == (date(2023, 9, 1), date(2023, 12, 13))
    assert first.period_note.startswith(
        "No earlier meeting in the calendar receives the quarterly report, so the period is "
        "the three months before December 2023 and December 2023 up to the meeting: "
        "1 September 2023 to 13 December 2023."
    )
    with sessions() as session:
        _, rows, _ = reports.get_report(session=session, report_id=named.report_id)
        _, first_rows, _ = reports.get_report(session=session, report_id=first.report_id)

    period = [r for r in rows if r.section is RowSection.period]
    assert [r.board_month for r in period] == [
        "December 2023",
        "January 2024",
        "February 2024",
        "March 2024",
    ]
    for row in rows:
        record = records[row.detail["source_ref"]]
        lines = row.action.splitlines()
        if record["said"]:
            assert lines[0] == f"You said: {record['said']}"
        numbered = len(record["actions"]) > 1
        for i, action in enumerate(record["actions"], start=1):
            label = f"ACTION {i}:" if numbered else "ACTION:"
            owner = (
                f"Owner as recorded: {action['owner']}."
                if action["owner"]
                else "No owner recorded."
            )
            text = action["text"].rstrip(".")
            assert f"{label} {text}. {owner} No due date." in lines, row.action
        assert "(no named person)" not in row.action
        # Known by its month only: never given a day it did not have.
        assert not re.search(r"\b1 (January|February|March|December) 20\d\d", row.action)

    # The December session was held at the 14 December meeting: in the April paper's period,
    # not the December one's (which ends the day before); October's is in December's.
    assert [r.board_month for r in first_rows if r.section is RowSection.period] == [
        "October 2023",
        "November 2023",
    ]
    october = first_rows[0]
    assert october.action.splitlines()[1:] == [
        "No specific action agreed",
        "Noted (not an agreed action): Board expressed desire to visit the BBBC in future "
        "(owner as recorded: THT Board)",
    ], "the record says no specific action: its listed item is noted, not tracked"
    assert october.rag_text == "Not applicable"

    # A period that starts after the December meeting leaves the December session out.
    with sessions() as session:
        december = session.exec(select(Case).where(Case.source_ref == "AR-2023-12")).one()
    assert december.meeting_month_only and december.meeting_date == date(2023, 12, 1)


async def test_a_draft_is_redrafted_or_discarded_until_it_is_approved(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions)
    add_meetings(sessions)
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        await import_demo(sessions, commands_for(sessions, client, task_queue))
        made = await draft(client, task_queue, quarterly(APRIL))
        assert made.created and made.rows == 4
        again = await draft(client, task_queue, quarterly(APRIL))
        assert not again.created and again.report_id == made.report_id
        assert "redraft it (or discard it)" in again.note

        # The engagement lead summarises what was said; once approved the draft shows it.
        with sessions() as session:
            march = session.exec(select(Case).where(Case.source_ref == "AR-2024-03")).one()
            said_summaries.write(
                session=session,
                case_id=march.id,
                text="Residents described the harm poor housing does to health.",
                by="Eve Engagement",
            )
            said_summaries.approve(session=session, case_id=march.id, by="Cara Lead")
            _, rows, _ = reports.get_report(session=session, report_id=made.report_id)
        shown = next(r for r in rows if r.case_id == march.id)
        assert shown.action.splitlines()[0] == (
            "You said: Residents described the harm poor housing does to health."
        )
        assert shown.action.splitlines()[1].startswith("ACTION 1: Public Health convened")

        # Redraft with another period: the same report, new rows.
        with sessions() as session:
            redrafted = await report_drafts.redraft(
                client,
                session=session,
                report_id=made.report_id,
                by="Cara Lead",
                task_queue=task_queue,
                period_start=date(2024, 2, 1),
            )
        assert redrafted.created and redrafted.redrafted
        assert redrafted.report_id == made.report_id
        assert (redrafted.period_start, redrafted.rows) == (date(2024, 2, 1), 2)
        with sessions() as session:
            _, rows, _ = reports.get_report(session=session, report_id=made.report_id)
            assert [r.board_month for r in rows if r.section is RowSection.period] == [
                "February 2024",
                "March 2024",
            ]
            assert rows[1].action.splitlines()[0].startswith("You said: Residents described the")

            # Discard it: it is gone, and the audit trail says so.
            report_drafts.discard(session=session, report_id=made.report_id, by="Cara Lead")
            assert session.get(Report, made.report_id) is None
            verbs = [e.verb for e in session.exec(select(AuditEvent)).all()]
        assert verbs.count("report.drafted") == 1 and "report.redrafted" in verbs
        assert "report.discarded" in verbs

        remade = await draft(client, task_queue, quarterly(APRIL))
        assert remade.created and remade.report_id == made.report_id and remade.rows == 4
        with sessions() as session:
            assert decide_every_place(session, remade.report_id) > 0, "the demo names people"
            reports.approve(session=session, report_id=remade.report_id, by="Cara Lead")
            _, approved_rows, _ = reports.get_report(session=session, report_id=remade.report_id)
        refused = await draft(client, task_queue, quarterly(APRIL, redraft=True))
        with sessions() as session:
            with pytest.raises(Conflict) as discarding:
                report_drafts.discard(session=session, report_id=remade.report_id, by="Cara Lead")
            with pytest.raises(Conflict) as redrafting:
                report_drafts.redraft_request(
                    session=session, report_id=remade.report_id, by="Cara Lead"
                )
            _, still, _ = reports.get_report(session=session, report_id=remade.report_id)
        with pytest.raises(InvalidInput) as bad:
            await draft(
                client,
                task_queue,
                quarterly(APRIL, period_start=date(2024, 3, 1), period_end=date(2024, 2, 1)),
            )
    assert refused.refused and not refused.created
    for message in (refused.note, str(discarding.value), str(redrafting.value)):
        assert message.startswith("This report was approved on ")
        assert "by Cara Lead: its rows are kept exactly as approved, so it cannot be " in message
        assert message.endswith("redrafted or discarded.")
    assert [r.model_dump() for r in still] == [r.model_dump() for r in approved_rows]
    assert bad.value.errors[0].field == "period_start"
    assert "is after the period's end, 1 February 2024" in bad.value.errors[0].message


async def test_a_meeting_at_the_edge_of_the_calendar_is_refused_by_field(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions)
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        with pytest.raises(InvalidInput) as bad:
            await draft(client, task_queue, quarterly(date(1, 1, 1)))
    assert bad.value.errors[0].field == "meeting_date"
    assert "too near the start or end of the calendar" in bad.value.errors[0].message
