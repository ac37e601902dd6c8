"""The real app over real HTTP, with a real Temporal dev server and worker behind it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx2
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import func, select

from models.db import SessionFactory
from models.policy import Policy
from models.settings import Settings
from tests.factories import add_board, add_owner, staff_headers
from tests.live import LiveApp, app_settings, serve_app


@dataclass
class Api:
    live: LiveApp
    sessions: SessionFactory
    settings: Settings

    def as_role(self, role: str) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(
            base_url=self.live.base_url,
            headers=staff_headers(self.sessions, self.settings, role),
            timeout=30,
        )

    def anonymous(self) -> httpx2.AsyncClient:
        return httpx2.AsyncClient(base_url=self.live.base_url, timeout=30)

    def count(self, table: Any) -> int:
        with self.sessions() as session:
            return session.exec(select(func.count()).select_from(table)).one()


@pytest.fixture
async def api(dev_env, dev_worker, engine, sessions, task_queue) -> AsyncIterator[Api]:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    settings = app_settings(task_queue=task_queue)
    async with serve_app(engine=engine, client=dev_env.client, settings=settings) as live:
        yield Api(live=live, sessions=sessions, settings=settings)


@pytest.fixture
async def live_app(engine: Engine) -> AsyncIterator[LiveApp]:
    """The app with no Temporal: enough for every page that only reads or does plain CRUD."""
    async with serve_app(engine=engine, client=None, settings=app_settings()) as app:
        yield app


@pytest.fixture
def owner(sessions):
    return add_owner(sessions)
