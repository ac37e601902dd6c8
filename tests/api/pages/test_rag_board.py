"""The RAG board: every open action across boards, filtered by board, partner, owner, RAG and
due month, sorted, with counts; RAG always as the word with its colour. Actions are recorded and
rated through the real pages and workflows (dev server), on a clock policy whose first timer is
an hour away, so nothing changes colour while the test runs."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlmodel import select

from models.action import Action
from models.db import SessionFactory
from models.formatting import month_year
from models.partner import Owner
from models.policy import Policy
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board, add_owner
from tests.helpers import eventually
from tests.staff import StaffBrowser, day_fields, session_form, text_of
from tests.world import today


def _month_after(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 15)


@pytest.fixture
async def board(process_staff: BrowserFactory, sessions: SessionFactory) -> dict[str, object]:
    """Four open actions on two boards, rated Red, Amber, Green, and Amber (no owner named yet,
    no due date agreed: never better than the facts)."""
    add_board(sessions, slug="tht", policy=Policy.in_seconds(scale=1200))
    add_board(sessions, slug="nel", policy=Policy.in_seconds(scale=1200))
    priya = add_owner(sessions, name="Priya Shah", partner="Barts Health NHS Trust")
    jo = add_owner(sessions, name="Jo Miah", partner="London Borough of Tower Hamlets")
    lead, cv = await process_staff("engagement_lead"), await process_staff("cv_lead")
    soon, later = _month_after(today(), 2), _month_after(today(), 5)
    sessions_to_record = [
        ("tht", "Damp and mould", [("Survey flats", priya, soon), ("Fix vents", jo, later)]),
        ("nel", "Maternity", [("Audit outcomes", priya, later), ("Train midwives", None, None)]),
    ]
    for slug, theme, actions in sessions_to_record:
        fields: dict[str, str] = {}
        for i, (text, owner, due) in enumerate(actions):
            fields[f"actions-{i}-text"] = text
            if owner:
                fields[f"actions-{i}-owner_id"] = str(owner.id)
            if due:
                fields.update(day_fields(f"actions-{i}-due_date", due))
        form = session_form(board=slug, theme=theme, idempotency_key=theme, **fields)
        assert (await lead.submit("/cases/new", {**form, "intent": "save"})).status_code == 303
    await eventually(lambda: len(_actions(sessions)) == 4)
    by_text = {a.text: a for a in _actions(sessions)}
    for text, rag in (("Survey flats", "red"), ("Audit outcomes", "amber")):
        a = by_text[text]
        path = f"/cases/{a.case_id}/actions/{a.id}/rag"
        response = await cv.submit(path, {"rag": rag, "reason": "Seen at the ELG"})
        assert response.status_code == 303, text_of(response.text)
    return {"cv": cv, "priya": priya, "jo": jo, "soon": soon, "later": later}


def _actions(sessions: SessionFactory) -> list[Action]:
    with sessions() as session:
        return list(session.exec(select(Action)).all())


def _rows(page: str) -> list[str]:
    """The action texts of the board's table, top to bottom."""
    body = page.split('class="nhsuk-table app-rag-board"')[-1]
    body = body.split('<tbody class="nhsuk-table__body">')[1].split("</tbody>")[0]
    return [
        text_of(m).split(" (action")[0]
        for m in re.findall(r"<a href=\"/cases/[^>]+>(.*?)</a>", body, re.S)
    ]


def _counts(page: str) -> dict[str, int]:
    words = text_of(page.split('id="counts-heading"')[1].split("</ul>")[0])
    return {rag: int(n) for rag, n in re.findall(r"(Red|Amber|Green) (\d+)", words)}


async def test_all_open_actions_with_counts_and_the_rag_word(board: dict) -> None:
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    page = (await cv.get("/rag-board")).text
    assert _counts(page) == {"Red": 1, "Amber": 2, "Green": 1}
    assert "4 open in all" in text_of(page)
    assert _rows(page)[:2] == ["Survey flats", "Audit outcomes"]  # worst first
    assert set(_rows(page)) == {"Survey flats", "Audit outcomes", "Fix vents", "Train midwives"}
    words = text_of(page)
    assert "Red Set by the Community Voice Lead: Seen at the ELG" in words
    assert '<strong class="nhsuk-tag nhsuk-tag--red app-rag">' in page


async def test_filters_narrow_the_rows_and_counts_ignore_only_the_rag_filter(board: dict) -> None:
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    priya: Owner = board["priya"]  # type: ignore[assignment]
    red = (await cv.get("/rag-board?rag=red")).text
    assert _rows(red) == ["Survey flats"]
    assert _counts(red) == {"Red": 1, "Amber": 2, "Green": 1}
    assert set(_rows((await cv.get("/rag-board?board=nel")).text)) == {
        "Audit outcomes",
        "Train midwives",
    }
    by_owner = (await cv.get(f"/rag-board?owner={priya.id}")).text
    assert set(_rows(by_owner)) == {"Survey flats", "Audit outcomes"}
    assert _counts(by_owner) == {"Red": 1, "Amber": 1, "Green": 0}
    by_partner = (await cv.get(f"/rag-board?partner={priya.partner_id}&rag=amber")).text
    assert _rows(by_partner) == ["Audit outcomes"]
    soon: date = board["soon"]  # type: ignore[assignment]
    due = (await cv.get(f"/rag-board?due={soon:%Y-%m}")).text
    assert _rows(due) == ["Survey flats"]
    assert f'<option value="{soon:%Y-%m}" selected>{month_year(soon)}</option>' in due
    assert _rows((await cv.get("/rag-board?due=none")).text) == ["Train midwives"]


async def test_sorting_by_due_date_both_ways_and_saying_so(board: dict) -> None:
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    ascending = (await cv.get("/rag-board?sort=due")).text
    assert _rows(ascending)[0] == "Survey flats" and _rows(ascending)[-1] == "Train midwives"
    assert re.search(
        r'aria-sort="ascending">\s*<a href="/rag-board\?sort=due&amp;order=desc">Due', ascending
    )
    descending = (await cv.get("/rag-board?sort=due&order=desc")).text
    assert _rows(descending)[2:] == ["Survey flats", "Train midwives"]  # no due date: last
    assert 'aria-sort="descending"' in descending


async def test_filters_it_does_not_understand_are_left_out_not_an_error(board: dict) -> None:
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    response = await cv.get("/rag-board?partner=nonsense&owner=1&rag=purple&due=2026-13&sort=evil")
    assert response.status_code == 200
    assert len(_rows(response.text)) == 4


async def test_an_open_action_leaves_the_board_when_it_is_withdrawn(
    board: dict, process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    lead = await process_staff("engagement_lead")
    action = next(a for a in _actions(sessions) if a.text == "Fix vents")
    response = await lead.submit(
        f"/cases/{action.case_id}/actions/{action.id}/withdraw", {"reason": "Duplicate of 1"}
    )
    assert response.status_code == 303
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    page = (await cv.get("/rag-board")).text
    assert "Fix vents" not in _rows(page)
    assert "3 open in all" in text_of(page)


async def test_the_community_voice_leads_home_shows_the_counts_linking_to_the_board(
    board: dict,
) -> None:
    """Issue 16: the home is the queue and the counts, with links to the rest (no table)."""
    cv: StaffBrowser = board["cv"]  # type: ignore[assignment]
    home = (await cv.get("/")).text
    words = text_of(home)
    assert "Escalation queue" in words
    counts = text_of(home.split('id="rag-heading"')[1].split("</ul>")[0])
    assert dict(re.findall(r"(Red|Amber|Green) (\d+)", counts)) == {
        "Red": "1",
        "Amber": "2",
        "Green": "1",
    }
    assert "4 open in all: see the RAG board" in words
    assert 'href="/rag-board?rag=red"' in home
    assert "app-rag-board" not in home
