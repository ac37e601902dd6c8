"""Board papers as documents: Word and PDF open with the board's cover sheet, number their
pages with a footer giving the title and status, keep headings with what follows, and show
each chart's description; the table's text, owners included, is the same in all four formats.

Real parts: python-docx and fpdf2 write the files; python-docx and pypdf read them back.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from api.templating import templates
from models.board import Board
from models.report import ReportKind, ReportRecord, ReportRowRecord, ReportStatus, RowSection
from services import report_render
from services.report_view import ReportView, build_view

BOARD = Board(
    slug="tht",
    name="Tower Hamlets Together Board",
    engagement_lead_name="Eve Engagement",
    engagement_lead_email="eve@example.org",
    cv_lead_name="Cara Lead",
    cv_lead_email="cara@example.org",
    paper_agenda_item="Item 4: Community Voice",
    paper_author="Eve Engagement, Engagement and Community Communications Lead",
    paper_presenter="Cara Lead, Community Voice Lead",
    paper_purpose="For assurance.",
    paper_recommendation="The Board is asked to note the progress on each action.",
    policy_json={},
)
TITLE = "You Said, We Did: report to the Tower Hamlets Together Board on 11 April 2024"
OWNER = "ACTION: Review the leaflet. Owner as recorded: Rachel Vincent (presenter). No due date."
COVER = [
    ("Meeting", "Tower Hamlets Together Board, 11 April 2024"),
    ("Agenda item", "Item 4: Community Voice"),
    ("Author", "Eve Engagement, Engagement and Community Communications Lead"),
    ("Presenter", "Cara Lead, Community Voice Lead"),
    ("Purpose", "For assurance."),
    ("Recommendation", "The Board is asked to note the progress on each action."),
]


def report(kind: ReportKind = ReportKind.quarterly, **fields: Any) -> ReportRecord:
    at = datetime(2024, 3, 28, 9, tzinfo=UTC)
    values: dict[str, Any] = {
        "board_id": uuid.uuid4(),
        "kind": kind,
        "period_key": "2024-04-11",
        "period_start": date(2023, 12, 14),
        "period_end": date(2024, 4, 10),
        "meeting_date": date(2024, 4, 11) if kind is not ReportKind.annual else None,
        "title": TITLE,
        "scheduled_for": at,
        "generated_at": at,
        "workflow_id": "report-test",
        "content": {},
    }
    return ReportRecord(**(values | fields))


def row(seq: int, action: str, *, section: RowSection = RowSection.period) -> ReportRowRecord:
    return ReportRowRecord(
        report_id=uuid.uuid4(),
        seq=seq,
        section=section,
        meeting_date=date(2024, 1, 11),
        board_month="January 2024",
        community_voice=f"Theme {seq}\nPresented by: Coffee Afrik",
        action=action,
        rag="amber",
        rag_text="Amber",
        comment=f"1. In progress. Update {seq}.",
    )


def pdf_pages(data: bytes) -> list[list[str]]:
    return [
        [
            " ".join(line.split())
            for line in (page.extract_text() or "").splitlines()
            if line.strip()
        ]
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def test_word_opens_with_the_cover_sheet_and_numbers_its_pages() -> None:
    view = build_view(report(), [row(1, OWNER)], BOARD.name, board=BOARD)
    document = Document(io.BytesIO(report_render.to_docx(view)))

    body = document.element.body
    assert body[0] is document.paragraphs[0]._p and document.paragraphs[0].text == TITLE
    cover = document.tables[0]
    assert [(r.cells[0].text, r.cells[1].text) for r in cover.rows][: len(COVER)] == COVER
    # The cover sheet is a page of its own: a page break comes before the report.
    breaks = body.xpath("./w:p[w:r/w:br[@w:type='page']]")
    assert breaks and body.index(breaks[0]) < body.index(document.tables[1]._tbl)

    footer = document.sections[0].footer._element
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"], "real page number fields, not fixed text"
    assert len(footer.xpath(".//w:fldChar[@w:fldCharType='begin']")) == 2
    assert f"{TITLE}  |  DRAFT  |  Page" in "".join(footer.itertext())

    for paragraph in document.paragraphs:
        if paragraph.style.name.startswith(("Heading", "Title")):
            assert paragraph.paragraph_format.keep_with_next, paragraph.text


def test_an_approved_paper_says_approved_in_its_footer() -> None:
    approved = report(
        status=ReportStatus.approved,
        approved_at=datetime(2024, 4, 1, 10, tzinfo=UTC),
        approved_by="Cara Lead",
    )
    view = build_view(approved, [row(1, OWNER)], BOARD.name, board=BOARD)
    footer = Document(io.BytesIO(report_render.to_docx(view))).sections[0].footer._element
    assert f"{TITLE}  |  APPROVED  |  Page" in "".join(footer.itertext())
    pages = pdf_pages(report_render.to_pdf(view))
    assert all(f"{TITLE} | APPROVED" in page[-1] for page in pages)


def test_the_pdf_opens_with_the_cover_sheet_and_numbers_every_page() -> None:
    rows = [row(n, OWNER + "\nMore words about the action." * 3) for n in range(1, 60)]
    view = build_view(report(), rows, BOARD.name, board=BOARD)
    pages = pdf_pages(report_render.to_pdf(view))

    cover = " ".join(pages[0])
    assert cover.startswith(TITLE[:40])
    for label, value in COVER:
        assert label in cover and value in cover, label
    assert "Sessions in this period" not in cover, "the cover sheet is a page of its own"
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        tail = page[-1]  # the footer
        assert f"{TITLE} | DRAFT" in tail, page[-2:]
        assert f"Page {number} of {len(pages)}" in tail


def test_no_heading_is_the_last_line_of_a_pdf_page() -> None:
    """Sections of every length, so that headings fall at every height of the page."""
    view = build_view(report(ReportKind.elg_digest), [], BOARD.name, board=BOARD)
    view.digest = [
        (f"Section heading {n}", [f"Line {n}.{k} of the section." for k in range(1 + n % 7)])
        for n in range(60)
    ]
    view.tables = build_view(report(), [row(1, OWNER)], BOARD.name).tables
    headings = {title for title, _ in view.digest} | {t.heading for t in view.tables}
    pages = pdf_pages(report_render.to_pdf(view))

    seen = [line for page in pages for line in page if line in headings]
    assert len(seen) == len(headings), "every heading is in the text"
    for page in pages[1:]:
        *body, footer = page
        assert footer.startswith(f"{TITLE} | FOR INFORMATION"), footer
        assert body[-1] not in headings, f"stranded heading: {body[-1]}"


def annual_view() -> ReportView:
    figures = {
        "sessions": {
            "total": 6,
            "held": 4,
            "no_action": 1,
            "withdrawn": 1,
            "cancelled": 1,
            "deferred": 0,
        },
        "actions": {
            "agreed": 5,
            "named_owner": 0,
            "closed": 2,
            "closed_on_time": 0,
            "closed_no_due_date": 2,
            "open_overdue": 0,
            "open": 3,
            "withdrawn": 0,
        },
        "median_days_to_contact": None,
        "median_days_to_closure": None,
        "presenter_answers": {"met": 0, "partly": 0, "not_met": 0},
        "rag_over_time": [
            {"month": "2024-01", "green": 0, "amber": 0, "red": 0, "blue": 0, "not_rated": 5}
        ],
        "actions_by_partner": [{"partner": "No partner named", "agreed": 5, "closed": 2}],
        "actions_by_status": [
            {"status": "Done", "count": 2},
            {"status": "In progress", "count": 3},
        ],
    }
    annual = report(ReportKind.annual, content={"figures": figures}, title="Annual report")
    return build_view(annual, [row(1, OWNER)], BOARD.name, board=BOARD)


def test_chart_descriptions_are_in_the_pdf_and_word_and_say_something_without_ratings() -> None:
    view = annual_view()
    charts = report_render.charts(view)
    assert [c.title for c in charts] == [
        "Sessions by outcome",
        "Actions by status as recorded",
        "Actions by partner",
    ], "no RAG chart where nothing was rated; outcomes and statuses instead"
    assert "Held, with actions agreed: 3; Held, no specific action: 1" in charts[0].alt
    assert "Done: 2; In progress: 3" in charts[1].alt

    text = re.sub(r"\s+", " ", " ".join(" ".join(p) for p in pdf_pages(report_render.to_pdf(view))))
    for chart in charts:
        assert f"Description: {chart.alt}" in text, chart.title
    document = Document(io.BytesIO(report_render.to_docx(view)))
    paragraphs = [p.text for p in document.paragraphs]
    for chart in charts:
        assert f"Description: {chart.alt}" in paragraphs
    assert len(document.inline_shapes) == len(charts)


def test_owners_are_worded_once_the_same_in_all_four_formats() -> None:
    view = build_view(report(), [row(1, OWNER)], BOARD.name, board=BOARD)
    owner = "Owner as recorded: Rachel Vincent (presenter)."

    docx_cell = Document(io.BytesIO(report_render.to_docx(view))).tables[1].rows[1].cells[2]
    assert docx_cell.text == OWNER
    csv_cell = list(csv.reader(io.StringIO(report_render.to_csv(view))))[1][3]
    assert csv_cell == OWNER
    html = templates.env.get_template("reports/document.jinja").render(view=view, charts=[])
    assert OWNER in html
    pdf_text = re.sub(
        r"\s+", " ", " ".join(" ".join(p) for p in pdf_pages(report_render.to_pdf(view)))
    )
    assert owner in pdf_text
    for text in (docx_cell.text, csv_cell, html, pdf_text):
        assert "(no named person)" not in text
