"""Shared fixtures: real SQLite (and PostgreSQL when CVT_TEST_POSTGRES_URL is set), a real
Temporal time-skipping server per test, a worker on a unique task queue."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from models.db import SessionFactory, create_engine, migrate, session_factory
from tests.smtp import SmtpServer
from tests.temporal import start_dev_server, start_test_server
from worker.build import build_worker

POSTGRES_URL = os.environ.get("CVT_TEST_POSTGRES_URL")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()
    return path


@pytest.fixture
def engine(template_db: Path, tmp_path: Path) -> Iterator[Engine]:
    path = tmp_path / "cvt.db"
    shutil.copy(template_db, path)
    engine = create_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture(params=DATABASES)
def db_engine(request: pytest.FixtureRequest, engine: Engine) -> Iterator[Engine]:
    """SQLite, and PostgreSQL too when CVT_TEST_POSTGRES_URL is given (CI gives it)."""
    if request.param == "sqlite":
        yield engine
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    pg = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    migrate(pg)
    try:
        yield pg
    finally:
        # A connection still checked out now is a session left open, perhaps inside a
        # transaction holding locks: dropping the schema would wait for it for ever.
        left_open = pg.pool.checkedout()  # type: ignore[attr-defined]
        pg.dispose()
        if not left_open:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    assert not left_open, f"{left_open} database connection(s) left open (schema {schema} kept)"


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return session_factory(engine)


@pytest.fixture
def task_queue() -> str:
    return f"test-{uuid.uuid4()}"


@pytest.fixture
async def ts_env() -> AsyncIterator[WorkflowEnvironment]:
    """A fresh time-skipping test server: reliable with one workflow tree at a time."""
    env = await start_test_server()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture(scope="session")
def executor() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=16) as pool:
        yield pool


@pytest.fixture
async def ts_worker(
    ts_env: WorkflowEnvironment,
    sessions: SessionFactory,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> AsyncIterator[Worker]:
    worker = build_worker(
        ts_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    )
    async with worker:
        yield worker


@pytest.fixture
def client(ts_env: WorkflowEnvironment) -> Client:
    return ts_env.client


@pytest.fixture
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """A real Temporal dev server (in memory) for end-to-end tests."""
    env = await start_dev_server()
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
async def dev_worker(
    dev_env: WorkflowEnvironment,
    sessions: SessionFactory,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> AsyncIterator[Worker]:
    worker = build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    )
    async with worker:
        yield worker


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free loopback port, keeping what it receives."""
    server = SmtpServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


STUCK_AFTER_SECONDS = 240  # before pytest-timeout's 300: say where an async test is waiting


@pytest.fixture
async def _report_if_stuck() -> AsyncIterator[None]:
    """If an async test is still running after a few minutes, print every task's stack, so a
    hang (a stuck server, a lost wake-up) shows where it waits, not just the event loop."""
    loop = asyncio.get_running_loop()

    def report() -> None:
        sys.stderr.write(f"\n--- async tasks still waiting after {STUCK_AFTER_SECONDS}s ---\n")
        for task in asyncio.all_tasks(loop):
            task.print_stack(file=sys.stderr)

    handle = loop.call_later(STUCK_AFTER_SECONDS, report)
    yield
    handle.cancel()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if isinstance(item, pytest.Function) and asyncio.iscoroutinefunction(item.obj):
            item.fixturenames.insert(0, "_report_if_stuck")
