"""Load on loopback degrades into refusals, never into 5xx or lost submissions.

The real app served by uvicorn on 127.0.0.1, hundreds of simultaneous requests over real HTTP,
SQLite and (with CVT_TEST_POSTGRES_URL) PostgreSQL, each with a connection pool of 5 + 10 as a
production process has. Commands go to a real Temporal dev server and worker.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import col, select

import services.passwords
from models.action import Action, ActionUpdate, UpdateKind
from models.base import utcnow
from models.db import create_engine, session_factory
from models.inbox import CommandStatus, InboxCommand
from models.settings import Settings
from models.staff import Role, StaffUser
from services import intake
from services.commands import Commands
from services.inbox import Inbox
from services.passwords import hash_password
from services.signin import MAX_FAILURES
from tests.factories import LEAD, add_board, session_body, staff_headers
from tests.helpers import eventually, workflow_started
from tests.live import app_settings, serve_app
from worker.build import build_worker

PASSWORD = "a long test password"
POOL = {"pool_size": 5, "max_overflow": 10, "pool_timeout": 10}


@pytest.fixture
def process_engine(db_engine: Engine) -> Iterator[Engine]:
    """The app's own engine on the test's database, pooled as one API process (5 + 10)."""
    if db_engine.dialect.name == "postgresql":
        with db_engine.connect() as connection:
            schema = connection.execute(sa.text("SELECT current_schema()")).scalar()
        url = db_engine.url.render_as_string(hide_password=False)
        engine = create_engine(url, connect_args={"options": f"-csearch_path={schema}"}, **POOL)
    else:
        engine = create_engine(str(db_engine.url), **POOL)
    yield engine
    engine.dispose()


def add_accounts(engine: Engine, n: int) -> list[StaffUser]:
    """``n`` viewers sharing one password hash (hashing n passwords would take seconds)."""
    password_hash = hash_password(PASSWORD)
    users = [
        StaffUser(
            email=f"viewer-{uuid.uuid4().hex[:8]}@example.org",
            name=f"Viewer {i}",
            role=Role.viewer,
            password_hash=password_hash,
        )
        for i in range(n)
    ]
    with session_factory(engine)() as session:
        session.add_all(users)
        session.commit()
    return users


def http(base_url: str) -> httpx2.AsyncClient:
    limits = httpx2.Limits(max_connections=300, max_keepalive_connections=300)
    return httpx2.AsyncClient(base_url=base_url, timeout=120, limits=limits)


def sign_in(client: httpx2.AsyncClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/api/v1/auth/token", data={"username": email, "password": password})


def assert_no_5xx_and_refusals_say_when(responses: list[httpx2.Response]) -> None:
    assert not [r for r in responses if r.status_code >= 500], Counter(
        r.status_code for r in responses
    )
    for r in responses:
        if r.status_code in (429, 503):
            assert int(r.headers["retry-after"]) >= 1


async def test_200_simultaneous_sign_ins_get_tokens_or_429_never_5xx(process_engine):
    users = add_accounts(process_engine, 20)
    async with (
        serve_app(engine=process_engine, client=None, settings=app_settings()) as live,
        http(live.base_url) as client,
    ):
        attempts = [sign_in(client, users[i % 20].email) for i in range(200)]
        health = client.get("/healthz")
        *responses, healthz = await asyncio.gather(*attempts, health)
    assert healthz.status_code == 200
    assert_no_5xx_and_refusals_say_when(responses)
    codes = Counter(r.status_code for r in responses)
    assert set(codes) <= {200, 429}, codes
    assert codes[200] >= 1


async def test_200_simultaneous_wrong_passwords_check_exactly_5_before_the_lock(
    process_engine, monkeypatch
):
    """Throttling set out of the way: up to the password checker's 18 places (2 threads, 16
    waiting) race for the account at once, and the lock alone decides what is checked."""
    [user] = add_accounts(process_engine, 1)
    checked: list[str] = []
    real_verify = services.passwords.verify_password

    def counting_verify(password: str, password_hash: str | None) -> bool:
        if password_hash is not None:  # a check against the account (not the dummy hash)
            checked.append(password)
        return real_verify(password, password_hash)

    monkeypatch.setattr(services.passwords, "verify_password", counting_verify)
    settings = app_settings(
        sign_in_per_address_per_minute=1000, sign_in_per_account_per_minute=1000
    )
    async with (
        serve_app(engine=process_engine, client=None, settings=settings) as live,
        http(live.base_url) as client,
    ):
        responses = await asyncio.gather(
            *(sign_in(client, user.email, f"guess {i}") for i in range(200))
        )
        after = await sign_in(client, user.email)  # the right password, after the lock
    assert_no_5xx_and_refusals_say_when(responses)
    codes = Counter(r.status_code for r in responses)
    assert set(codes) <= {401, 429} and codes[401] > MAX_FAILURES, codes
    assert len(checked) == MAX_FAILURES
    assert after.status_code == 401
    refusals = [r for r in [*responses, after] if r.status_code == 401]
    assert len({r.json()["detail"] for r in refusals}) == 1  # one answer, locked or not
    with session_factory(process_engine)() as session:
        locked = session.get(StaffUser, user.id)
        assert locked is not None and locked.locked_until is not None


@pytest.fixture
async def engine_process(dev_env, db_engine, process_engine, task_queue, executor):
    """A worker on the test's database and the app as one process with its own pool."""
    sessions = session_factory(db_engine)
    add_board(sessions)
    worker = build_worker(
        dev_env.client, sessions=sessions, task_queue=task_queue, executor=executor
    )
    async with worker:
        yield dev_env.client, sessions, app_settings(task_queue=task_queue)


async def test_100_simultaneous_commands_are_all_stored_and_answered_never_5xx_or_lost(
    engine_process: Any, process_engine: Engine
):
    client, sessions, settings = engine_process
    async with serve_app(engine=process_engine, client=client, settings=settings) as live:
        action_ids = await _a_case_with_actions(sessions, settings, client, 4)
        headers = staff_headers(sessions, settings, "engagement_lead")
        async with http(live.base_url) as api:
            keys = [f"note-{n}" for n in range(100)]
            responses = await asyncio.gather(
                *(
                    api.post(
                        f"/api/v1/actions/{action_ids[n % 4]}/notes",
                        json={"text": f"Note {n}"},
                        headers={**headers, "Idempotency-Key": keys[n]},
                    )
                    for n in range(100)
                )
            )
    assert_no_5xx_and_refusals_say_when(responses)
    codes = Counter(r.status_code for r in responses)
    assert set(codes) <= {200, 202, 429, 503}, codes
    answered = {r.json()["command_id"] for r in responses if r.status_code in (200, 202)}
    with sessions() as session:
        notes = select(InboxCommand).where(InboxCommand.kind == "add_note")
        stored = {str(row.id) for row in session.exec(notes).all()}
    assert stored == answered  # every stored one answered; every refused one not stored

    def applied() -> bool:
        with sessions() as session:
            statuses = session.exec(
                select(InboxCommand.status).where(InboxCommand.kind == "add_note")
            ).all()
            logged = session.exec(
                select(ActionUpdate).where(col(ActionUpdate.kind) == UpdateKind.note)
            ).all()
        return set(statuses) <= {CommandStatus.applied} and len(logged) == len(stored)

    await eventually(applied, timeout=120)  # none lost: each stored note is on its action


async def _a_case_with_actions(
    sessions: Any, settings: Settings, client: Any, n: int
) -> list[uuid.UUID]:
    """A case with ``n`` actions, each action's workflow running."""
    commands = Commands(sessions, Inbox(sessions, client, task_queue=settings.task_queue))
    body = session_body(
        meeting_date=date.today(), actions=[{"text": f"Action {i}"} for i in range(n)]
    )
    row = await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )
    await eventually(lambda: commands.inbox.get(row.id).status is CommandStatus.applied)
    with sessions() as session:
        ids = [a.id for a in session.exec(select(Action).where(Action.case_id == row.case_id))]
    for action_id in ids:
        await workflow_started(client, f"action-{action_id}")
    return ids
