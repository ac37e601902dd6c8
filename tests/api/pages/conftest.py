"""Page tests over real HTTP: the real app (uvicorn) on a free port, SQLite.

Signed-link pages (owners, presenters): a real Temporal time-skipping server and worker behind
the app, on the default policy, so no timer fires here. Staff pages: the app alone for pages that
only read or do plain CRUD, or the real Temporal dev server and a worker where commands must be
applied."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx2
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.action import Action
from models.db import SessionFactory
from models.inbox import InboxCommand
from models.presenter import Presenter
from models.settings import Settings
from models.staff import Role
from notifications.links import Links
from services.commands import Commands
from tests.factories import staff_headers
from tests.live import LiveApp, app_settings, serve_app
from tests.mailflow import commands_for, start_case
from tests.staff import StaffBrowser, signed_in

_HIDDEN = re.compile(r'name="(csrf_token|submission)" value="([^"]+)"')


@dataclass
class LinkSite:
    live: LiveApp
    settings: Settings
    sessions: SessionFactory
    commands: Commands
    case_id: uuid.UUID
    action_id: uuid.UUID

    @property
    def links(self) -> Links:
        return Links(
            self.settings.secret_key.get_secret_value(),
            self.live.base_url,
            max_age=timedelta(days=self.settings.link_max_age_days),
        )

    def action(self, action_id: uuid.UUID | None = None) -> Action:
        with self.sessions() as session:
            row = session.get(Action, action_id or self.action_id)
            assert row is not None
            return row

    def owner_link(self, action_id: uuid.UUID | None = None, links: Links | None = None) -> str:
        a = self.action(action_id)
        assert a.owner_id is not None
        return (links or self.links).owner_url(a.id, a.owner_id, a.assignment_no)

    def presenter(self) -> Presenter:
        with self.sessions() as session:
            return session.exec(select(Presenter).where(Presenter.case_id == self.case_id)).one()

    def browser(self) -> httpx2.AsyncClient:
        """A person's browser: keeps cookies, does not follow redirects by itself."""
        return httpx2.AsyncClient(base_url=self.live.base_url, timeout=30)

    def staff(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            base_url=self.live.base_url,
            headers=staff_headers(self.sessions, self.settings, "cv_lead"),
            timeout=30,
        )

    def count(self, table: Any) -> int:
        with self.sessions() as session:
            return int(session.exec(select(func.count()).select_from(table)).one())

    def commands_stored(self) -> int:
        return self.count(InboxCommand)


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the first form on a page (CSRF token, submission id)."""
    return dict(_HIDDEN.findall(html))


async def submit(
    browser: httpx2.AsyncClient, page_url: str, action: str, **fields: str
) -> httpx2.Response:
    """Open ``page_url`` as a person would, then send its form to ``action``."""
    page = await browser.get(page_url)
    assert page.status_code == 200, page.text
    return await browser.post(action, data={**form_fields(page.text), **fields})


@pytest.fixture
async def site(
    ts_worker: Worker, engine: Any, sessions: SessionFactory, task_queue: str
) -> AsyncIterator[LinkSite]:
    settings = app_settings(task_queue=task_queue)
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(
        commands, sessions, said="Children's asthma is worse <b>because</b> of mould."
    )
    async with serve_app(engine=engine, client=ts_worker.client, settings=settings) as live:
        yield LinkSite(live, live.settings, sessions, commands, case_id, action_id)


# --- staff pages ---------------------------------------------------------------------------

BrowserFactory = Callable[[Role | str], Awaitable[StaffBrowser]]
Anonymous = Callable[..., StaffBrowser]


@pytest.fixture
async def live_process_app(
    engine: Engine, dev_env: WorkflowEnvironment, dev_worker: Worker, task_queue: str
) -> AsyncIterator[LiveApp]:
    """The app wired to a real Temporal dev server with a worker: commands are applied."""
    settings = app_settings(task_queue=task_queue)
    async with serve_app(engine=engine, client=dev_env.client, settings=settings) as app:
        yield app


async def _browsers(base_url: str, sessions: SessionFactory) -> AsyncIterator[BrowserFactory]:
    made: list[StaffBrowser] = []

    async def make(role: Role | str) -> StaffBrowser:
        browser = await signed_in(base_url, sessions, role)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        await browser.client.aclose()


@pytest.fixture
async def staff(live_app: LiveApp, sessions: SessionFactory) -> AsyncIterator[BrowserFactory]:
    """``await staff("cv_lead")``: a new staff member of that role, signed in."""
    async for make in _browsers(live_app.base_url, sessions):
        yield make


@pytest.fixture
async def process_staff(
    live_process_app: LiveApp, sessions: SessionFactory
) -> AsyncIterator[BrowserFactory]:
    async for make in _browsers(live_process_app.base_url, sessions):
        yield make


@pytest.fixture
async def anonymous(live_app: LiveApp) -> AsyncIterator[Anonymous]:
    """``anonymous()``: a browser not signed in (closed at the end of the test)."""
    made: list[StaffBrowser] = []

    def make(**kwargs: object) -> StaffBrowser:
        client = httpx2.AsyncClient(base_url=live_app.base_url, timeout=30, **kwargs)  # type: ignore[arg-type]
        made.append(StaffBrowser(client))
        return made[-1]

    yield make
    for browser in made:
        await browser.client.aclose()
