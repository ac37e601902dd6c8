"""Staff pages with many open actions (issue 13): a page shows a fixed number of rows, with
NHS.UK pagination whose links keep the filters and counts from one grouped query, and costs the
same number of SQL statements whatever the number of open actions. The rows are written straight
to the tables (``tests.open_actions``); the app is served over real HTTP on SQLite."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import col, func, select

from models.action import Action, ActionStatus
from models.db import create_engine, session_factory
from models.rag import Rag
from services import oversight
from tests.live import LiveApp, app_settings, serve_app
from tests.open_actions import Seeded, seed
from tests.staff import StaffBrowser, signed_in, text_of


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine runs inside the block, but the inbox relay's poll (it
    runs in the background of the app, on its own clock)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "FROM inbox_command" not in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


class Site:
    def __init__(self, engine: Engine, live: LiveApp, seeded: Seeded, cv: StaffBrowser) -> None:
        self.engine, self.live, self.seeded, self.cv = engine, live, seeded, cv

    async def page(self, path: str) -> str:
        response = await self.cv.get(path)
        assert response.status_code == 200, path
        return response.text

    async def statements_for(self, path: str) -> int:
        await self.page(path)  # the first request of a kind may warm caches
        with statements(self.engine) as seen:
            await self.page(path)
        return len(seen)


@contextmanager
def _database(template_db: Path, path: Path, open_actions: int, escalations: int) -> Iterator[Any]:
    shutil.copy(template_db, path)
    engine = create_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    with sessions() as session:
        seeded = seed(session, open_actions=open_actions, boards=4, open_escalations=escalations)
    try:
        yield engine, sessions, seeded
    finally:
        engine.dispose()


async def _site(
    template_db: Path, path: Path, open_actions: int, escalations: int = 30
) -> AsyncIterator[Site]:
    with _database(template_db, path, open_actions, escalations) as (engine, sessions, seeded):
        async with serve_app(engine=engine, client=None, settings=app_settings()) as live:
            cv = await signed_in(live.base_url, sessions, "cv_lead")
            yield Site(engine, live, seeded, cv)
            await cv.client.aclose()


@pytest.fixture
async def site(template_db: Path, tmp_path: Path) -> AsyncIterator[Site]:
    """120 open actions over four boards, 30 open escalations."""
    async for s in _site(template_db, tmp_path / "site.db", 120):
        yield s


def _rows(page: str) -> list[str]:
    body = page.split('<tbody class="nhsuk-table__body">')[1].split("</tbody>")[0]
    return re.findall(r'<a href="(/cases/[^"]+)"', body)


def _nav(page: str) -> str:
    return page.split('<nav class="nhsuk-pagination')[1].split("</nav>")[0]


def _pagination_links(page: str) -> list[str]:
    nav = _nav(page)
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', nav)]


def _open_by_rag(site: Site, **where: Any) -> dict[Rag, int]:
    with session_factory(site.engine)() as session:
        query = select(Action.rag, func.count()).where(col(Action.closed_at).is_(None))
        for name, value in where.items():
            query = query.where(getattr(Action, name) == value)
        return {Rag(r): n for r, n in session.exec(query.group_by(col(Action.rag))).all()}


async def test_the_rag_board_shows_fifty_a_page_and_page_two_the_next_fifty(site: Site) -> None:
    first = await site.page("/rag-board")
    second = await site.page("/rag-board?page=2")
    third = await site.page("/rag-board?page=3")
    assert "Showing 1 to 50 of 120 open actions" in text_of(first)
    assert "Showing 51 to 100 of 120 open actions" in text_of(second)
    assert "Showing 101 to 120 of 120 open actions" in text_of(third)
    rows = _rows(first) + _rows(second) + _rows(third)
    assert len(_rows(first)) == 50 and len(_rows(third)) == 20
    assert len(set(rows)) == 120  # every open action once, none twice
    assert re.search(
        r'href="/rag-board\?page=2" aria-label="Page 2 of 3"\s+aria-current="page"', _nav(second)
    )
    counts = _open_by_rag(site)
    words = text_of(first.split('id="counts-heading"')[1].split("</ul>")[0])
    shown = {Rag(k.lower()): int(n) for k, n in re.findall(r"(Red|Amber|Green) (\d+)", words)}
    assert shown == {r: counts.get(r, 0) for r in (Rag.red, Rag.amber, Rag.green)}
    past_the_end = await site.page("/rag-board?page=99")
    assert _rows(past_the_end) == _rows(third)


async def test_pagination_links_keep_the_filters_and_counts_follow_them(site: Site) -> None:
    board = site.seeded.boards[1]
    path = f"/rag-board?board={board}&sort=due&order=desc"
    with session_factory(site.engine)() as session:
        matching = oversight.rag_counts_for(
            session=session, filters=oversight.RagFilters(board=board)
        )
    total = sum(matching.values())
    page = await site.page(path)
    assert f"{total} open actions" in text_of(page)
    for link in _pagination_links(page) if total > 50 else []:
        assert f"board={board}" in link and "sort=due" in link and "order=desc" in link
    red = await site.page(f"/rag-board?board={board}&rag=red")
    assert f"{matching.get(Rag.red, 0)} open action" in text_of(red)
    everything = await site.page("/rag-board?sort=due&order=desc&page=2")
    links = _pagination_links(everything)
    assert "/rag-board?sort=due&order=desc" in links  # page 1: no page number
    assert all("sort=due" in link and "order=desc" in link for link in links)


async def test_no_owner_filter_lists_the_actions_waiting_for_an_owner(site: Site) -> None:
    unowned = sum(_open_by_rag(site, status=ActionStatus.unassigned).values())
    page = await site.page("/rag-board?owner=none")
    assert f"{unowned} open action" in text_of(page)
    assert text_of(page).count("No owner yet") == min(unowned, 50)


async def test_the_escalation_queue_comes_in_pages_numbered_across_them(site: Site) -> None:
    first = await site.page("/escalations")
    second = await site.page("/escalations?page=2")
    assert "30 open escalations, oldest first." in text_of(first)
    assert first.count('class="nhsuk-card app-queue__item"') == 25
    assert second.count('class="nhsuk-card app-queue__item"') == 5
    assert re.search(r"<h2[^>]*>\s*26\. ", second)  # items are headed under the h1
    assert "/escalations?page=2" in _pagination_links(first)


async def test_the_community_voice_leads_home_is_the_queue_and_the_counts(site: Site) -> None:
    home = await site.page("/")
    words = text_of(home)
    assert home.count('class="nhsuk-card app-queue__item"') == 5  # the oldest five
    assert "See all 30 open escalations" in words
    assert '<a href="/escalations">See all 30 open escalations</a>' in home
    counts = _open_by_rag(site)
    assert f"{sum(counts.values())} open in all: see the RAG board" in words
    for rag in (Rag.red, Rag.amber, Rag.green):
        assert f'href="/rag-board?rag={rag.value}"' in home
    assert 'href="/cases?contact=due"' in home and 'href="/rag-board?owner=none"' in home
    assert "app-rag-board" not in home  # no table of actions
    assert "Latest sessions" not in words and "Presenters to contact" not in words
    assert len(re.findall(r"<a |<button", home)) < 60  # it was 94 tab stops


async def test_presenters_to_contact_link_lists_exactly_those_sessions(site: Site) -> None:
    home = await site.page("/")
    said = re.search(r"([\d,]+) sessions? with presenters to contact", text_of(home))
    assert said is not None
    listed = await site.page("/cases?contact=due")
    assert f"{said.group(1)} session" in text_of(listed)
    assert "with presenters to contact" in text_of(listed)


PAGES = [
    "/",
    "/rag-board",
    "/rag-board?page=2",
    "/rag-board?sort=owner",
    "/rag-board?sort=meeting&order=desc",
    "/escalations",
    "/cases",
    "/cases?page=2",
    "/directory/partners",
]


async def test_a_page_costs_the_same_statements_at_10_and_200_open_actions(
    template_db: Path, tmp_path: Path
) -> None:
    """Nothing the page does not show is loaded row by row: the number of SQL statements of
    each page is the same with 10 and with 200 open actions."""
    figures: dict[int, dict[str, int]] = {}
    for size in (10, 200):
        async for s in _site(template_db, tmp_path / f"{size}.db", size, escalations=8):
            figures[size] = {path: await s.statements_for(path) for path in PAGES}
            figures[size]["/api/v1/cases?limit=500"] = len(
                await _api_statements(s, "/api/v1/cases?limit=500")
            )
    assert figures[10] == figures[200]


async def _api_statements(site: Site, path: str) -> list[str]:
    from tests.factories import staff_headers

    headers = staff_headers(session_factory(site.engine), site.live.settings, "cv_lead")
    await site.cv.client.get(path, headers=headers)
    with statements(site.engine) as seen:
        response = await site.cv.client.get(path, headers=headers)
    assert response.status_code == 200
    return seen


async def test_the_directory_comes_in_pages_of_twenty_partners_with_their_owners(
    site: Site,
) -> None:
    total = len(site.seeded.partner_ids)
    first = await site.page("/directory/partners")
    last = await site.page(f"/directory/partners?page={-(-total // 20)}")
    assert f"Showing 1 to 20 of {total} partners" in text_of(first)
    assert first.count('<div class="nhsuk-card" id="partner-') == 20
    assert last.count('<div class="nhsuk-card" id="partner-') == total - 20 * (total // 20)
