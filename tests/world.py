"""A running service for browser tests: real SQLite, a real Temporal dev server and worker, the
real app over HTTP, demo-like data recorded through the real pages, and Debian's Chromium."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from playwright.async_api import Browser, BrowserContext
from temporalio.client import Client

from models.db import SessionFactory, create_engine, session_factory
from models.partner import Owner
from models.staff import Role, StaffUser
from tests.live import LiveApp, app_settings, serve_app
from tests.staff import PASSWORD, add_staff
from tests.temporal import start_dev_server
from worker.build import build_worker


@dataclass
class World:
    app: LiveApp
    sessions: SessionFactory
    client: Client
    users: dict[Role, StaffUser] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.app.base_url

    def url(self, path: str) -> str:
        return self.app.base_url + path


@contextlib.asynccontextmanager
async def running_world(template_db: Path, directory: Path) -> AsyncIterator[World]:
    """Everything running, with one staff account per role."""
    path = directory / "cvt.db"
    shutil.copy(template_db, path)
    engine = create_engine(f"sqlite:///{path}")
    sessions = session_factory(engine)
    env = await start_dev_server()
    task_queue = f"world-{uuid.uuid4()}"
    try:
        with ThreadPoolExecutor(max_workers=16) as executor:
            worker = build_worker(
                env.client, sessions=sessions, task_queue=task_queue, executor=executor
            )
            async with worker:
                settings = app_settings(task_queue=task_queue)
                async with serve_app(engine=engine, client=env.client, settings=settings) as app:
                    world = World(app=app, sessions=sessions, client=env.client)
                    for role in Role:
                        world.users[role] = add_staff(sessions, role)
                    yield world
    finally:
        await env.shutdown()
        engine.dispose()


async def signed_in_context(browser: Browser, world: World, role: Role) -> BrowserContext:
    """A browser context signed in as ``role`` through the real sign-in page."""
    context = await browser.new_context(base_url=world.base_url)
    page = await context.new_page()
    await page.goto("/sign-in")
    await page.get_by_label("Email address").fill(world.users[role].email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.wait_for_url(world.url("/"))
    await page.close()
    return context


def owners(world: World) -> list[Owner]:
    from sqlmodel import select

    with world.sessions() as session:
        return list(session.exec(select(Owner)).all())


async def wait_for(check, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not within {timeout}s")
        await asyncio.sleep(0.2)


def today() -> date:
    from models.base import utcnow
    from models.policy import LONDON

    return utcnow().astimezone(LONDON).date()
