"""Reports from sessions run through the real engine on a Temporal dev server: the annual
figures of a small year counted by hand, the on-time rule, and the demo data's quarterly and
annual tables in Word, PDF and CSV."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.db import SessionFactory, session_factory
from models.formatting import month_year
from models.messages import CaseState
from models.outbox import OutboxMessage
from models.policy import Policy
from models.report import (
    ANNUAL_COLUMNS,
    QUARTERLY_COLUMNS,
    Report,
    ReportKind,
    ReportRunInput,
    ReportTrigger,
    RowSection,
)
from services import directory, report_render, reports
from services.report_view import build_view, figure_lines
from tests.factories import add_board
from tests.report_fixtures import (
    commands_for,
    demo_actions,
    demo_records,
    import_demo,
    small_year,
)
from worker.build import build_worker
from workflows import case_workflow_id

pytestmark = pytest.mark.slow


@pytest.fixture
def sessions(db_engine) -> SessionFactory:
    """SQLite, and PostgreSQL too when CVT_TEST_POSTGRES_URL is set."""
    return session_factory(db_engine)


def run_input(kind: ReportKind, **fields: object) -> ReportRunInput:
    return ReportRunInput(
        board="tht", kind=kind, trigger=ReportTrigger.manual, requested_by="Cara Lead", **fields
    )


async def test_annual_figures_of_a_small_year_match_the_hand_count(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        commands = commands_for(sessions, client, task_queue)
        year = await small_year(sessions, commands)
        result = await reports.run_report(
            client,
            run_input(
                ReportKind.annual, period_start=year.period_start, period_end=year.period_end
            ),
            task_queue=task_queue,
        )
        assert result.created
        with sessions() as session:
            report, rows, board = reports.get_report(session=session, report_id=result.report_id)
        f = report.content["figures"]
        assert f["sessions"] == {
            "total": 5,
            "held": 3,
            "no_action": 1,
            "withdrawn": 0,
            "cancelled": 1,
            "deferred": 1,
        }
        a = f["actions"]
        assert (a["agreed"], a["named_owner"], a["withdrawn"]) == (7, 6, 1)
        assert (a["closed"], a["closed_on_time"], a["open_overdue"]) == (3, 1, 1)
        assert a["closed_no_due_date"] == 1
        # The on-time rule: closed on time ÷ (closed + open and overdue), not ÷ closed.
        assert a["on_time_rate"] == pytest.approx(1 / 4)
        assert f["median_days_to_contact"] == 25.0
        assert f["median_days_to_closure"] == 30.0
        assert f["presenter_answers"] == {"met": 0, "partly": 0, "not_met": 0}
        assert f["actions_by_partner"] == [
            {"partner": "Barts Health NHS Trust", "agreed": 3, "closed": 2, "on_time": 1},
            {"partner": "London Borough of Tower Hamlets", "agreed": 3, "closed": 1, "on_time": 0},
            {"partner": "No partner named", "agreed": 1, "closed": 0, "on_time": 0},
        ]
        last = f["rag_over_time"][-1]
        assert last["blue"] == 3 and last["red"] == 1 and last["not_rated"] == 0
        assert (
            dict(figure_lines(f))["On-time rate: closed on time ÷ (closed + open and overdue)"]
            == "25% (1 of 4)"
        )

        # One row per session, withdrawn/cancelled/deferred/no-action included, in date order.
        assert [r.detail["outcome"] for r in rows] == [
            "held",
            "held",
            "cancelled",
            "deferred",
            "no_action",
        ]
        first = rows[0]
        assert first.community_voice == (
            "Damp and mould in social housing\n"
            "Presented by: Amina Begum (Tenants' Forum); Carers Centre"
        ), "a presenter is named only with consent"
        assert "Bob" not in " ".join(r.community_voice + r.comment for r in rows)
        # The board's format: what was said, then each agreed action with owner and due date.
        assert first.action.splitlines()[:2] == [
            "You said: Residents described children's asthma made worse by mould.",
            "ACTION 1: Survey every flat on the estate. Owner: Priya Shah, Barts Health NHS "
            f"Trust. Due {_long(first)}.",
        ]
        assert first.partner_text, "the comment quotes what the owner wrote"
        assert rows[2].action.splitlines()[-1] == "None: the meeting was cancelled"
        assert rows[4].action.splitlines()[-1] == "No specific action agreed"
        assert rows[2].rag_text == "Not applicable"

        # The Community Voice Lead approves and publishes: each included case is told.
        with sessions() as session:
            reports.approve(session=session, report_id=report.id, by="Cara Lead")
        published = await reports.publish_annual(
            client, report.id, "Cara Lead", task_queue=task_queue
        )
        assert published.signalled == 5
        state = await client.get_workflow_handle(case_workflow_id(year.case_a)).query(
            "get_state", result_type=CaseState
        )
        assert state.reported_in_annual and state.annual_report_id == report.id
    with sessions() as session:
        ready = session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == "report_draft_ready")
        ).all()
    assert [m.recipient_role.value for m in ready] == ["cv_lead"]


def _long(row) -> str:  # type: ignore[no-untyped-def]
    from models.formatting import long_date

    return long_date(date.fromisoformat(row.detail["actions"][0]["due_date"]))


async def test_demo_data_quarterly_and_annual_tables_in_word_pdf_and_csv(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions)
    with sessions() as session:
        for day, receives in ((date(2023, 12, 14), True), (date(2024, 4, 11), True)):
            directory.add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(
                    kind=MeetingKind.board, date=day, receives_quarterly_report=receives
                ),
            )
    records = demo_records()
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        await import_demo(sessions, commands_for(sessions, client, task_queue))
        quarterly = await reports.run_report(
            client,
            run_input(ReportKind.quarterly, meeting_date=date(2024, 4, 11)),
            task_queue=task_queue,
        )
        annual = await reports.run_report(
            client,
            run_input(
                ReportKind.annual, period_start=date(2022, 12, 1), period_end=date(2024, 3, 31)
            ),
            task_queue=task_queue,
        )
        again = await reports.run_report(
            client,
            run_input(ReportKind.quarterly, meeting_date=date(2024, 4, 11)),
            task_queue=task_queue,
        )
    assert again.report_id == quarterly.report_id and not again.created
    with sessions() as session:
        assert len(session.exec(select(Report)).all()) == 2
        q_report, q_rows, board = reports.get_report(session=session, report_id=quarterly.report_id)
        a_report, a_rows, _ = reports.get_report(session=session, report_id=annual.report_id)

    # Quarterly: the sessions since the last report's meeting (14 December 2023: the December
    # session, known by its month only, was held there), one row each, the cancelled January
    # meeting included; earlier sessions with open actions follow.
    period = [r for r in q_rows if r.section is RowSection.period]
    assert [r.board_month for r in period] == [
        "December 2023",
        "January 2024",
        "February 2024",
        "March 2024",
    ]
    by_month = {r["board_month"]: r for r in records}
    _december, january, february, march = period
    assert january.community_voice == "Meeting cancelled"
    assert january.action == "None: the meeting was cancelled"
    assert january.rag_text == "Not applicable" and january.rag is None
    assert january.comment == by_month["2024-01"]["outcome"]
    assert march.community_voice == (
        "Health and housing\nPresented by: Coffee Afrik; A local resident"
    ), "presenters without consent are shown by organisation only"
    march_actions = by_month["2024-03"]["actions"]
    assert march.action.splitlines() == [
        f"You said: {by_month['2024-03']['said']}",
        *(
            f"ACTION {i}: {a['text']}. Owner as recorded: {a['owner']}. No due date."
            for i, a in enumerate(march_actions, start=1)
        ),
    ]
    assert {line.split(". ")[-1] for line in march.rag_text.splitlines()} == {
        "Not rated — historical record"
    }, "never Green"
    assert len(march.rag_text.splitlines()) == 1 + len(march_actions)
    assert march.comment == by_month["2024-03"]["outcome"]
    carried = [r for r in q_rows if r.section is RowSection.carried_forward]
    assert [r.board_month for r in carried] == [
        month_year(date.fromisoformat(r["board_month"] + "-01"))
        for r in records
        if r["actions"] and r["board_month"] < "2023-12" and r["id"] != "AR-2023-10"
    ], "October 2023 was decided 'no specific action': its item is noted, not tracked"

    view = build_view(q_report, q_rows, board.name, board=board)
    document = Document(io.BytesIO(report_render.to_docx(view)))
    table = document.tables[1]  # after the cover sheet
    assert tuple(c.text for c in table.rows[0].cells) == QUARTERLY_COLUMNS
    for docx_row, row in zip(table.rows[1:], period, strict=True):
        cells = docx_row.cells
        assert cells[0].text == row.board_month
        assert cells[1].text == row.community_voice
        assert cells[2].text == row.action
        assert cells[3].text == row.rag_text
        assert cells[4].text == row.comment
        fill = cells[3]._tc.tcPr.xpath("./w:shd/@w:fill")
        assert fill == ([] if row.rag is None else [{"not_rated": "E8EDEE"}[row.rag]])
    assert len(document.tables[2].rows) == 1 + len(carried)

    pdf = PdfReader(io.BytesIO(report_render.to_pdf(view)))
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    assert "You Said, We Did: report to the Tower Hamlets Together Board on 11 April 2024" in text
    for column in QUARTERLY_COLUMNS:
        assert column in text
    assert "Meeting cancelled" in text and "March 2024" in text and "Coffee Afrik" in text
    assert "Not applicable" in text

    lines = list(csv.reader(io.StringIO(report_render.to_csv(view))))
    assert lines[0] == ["Section", *QUARTERLY_COLUMNS]
    assert lines[1:5] == [
        [
            "Sessions in this period",
            r.board_month,
            r.community_voice,
            r.action,
            r.rag_text,
            r.comment,
        ]
        for r in period
    ]

    # Annual: the board's own table, one row per session, "Outcome and reflection" as written.
    a_view = build_view(a_report, a_rows, board.name, board=board)
    annual_doc = Document(io.BytesIO(report_render.to_docx(a_view)))
    assert [c.title for c in report_render.charts(a_view)] == [
        "Sessions by outcome",
        "Actions by status as recorded",
        "Actions by partner",
    ], "imported history has no ratings: charts of what was recorded instead"
    assert len(annual_doc.inline_shapes) == 3, "the charts, as images"
    session_table = annual_doc.tables[-1]
    assert tuple(c.text for c in session_table.rows[0].cells) == ANNUAL_COLUMNS
    assert [(r.cells[0].text, r.cells[3].text) for r in session_table.rows[1:]] == [
        (month_year(date.fromisoformat(r["board_month"] + "-01")), r["outcome"]) for r in records
    ]
    figures = {r.cells[0].text: r.cells[1].text for r in annual_doc.tables[1].rows}
    assert figures["Sessions held"] == "14 (of which 1 with no specific action)"
    assert figures["Sessions cancelled"] == "1"
    assert figures["Actions agreed"] == str(demo_actions())
    assert figures["Actions with a named owner"] == "0"
    annual_pdf = PdfReader(io.BytesIO(report_render.to_pdf(a_view)))
    annual_text = " ".join(" ".join(p.extract_text().split()) for p in annual_pdf.pages)
    assert "Outcome and reflection" in annual_text and "Pride in Practice" in annual_text
