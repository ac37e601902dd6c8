"""Bursts on loopback: how sign-in and the command path answer when many arrive at once.

``python -m bench.load [--sign-ins 200] [--commands 100] [--postgres URL]``

Real parts: the app served by uvicorn on 127.0.0.1 with a pool of 5 + 10 connections (one API
process), a Temporal dev server and a worker, a SQLite file (or a fresh schema on ``--postgres``).
Prints, for each burst, the answers by status code, latency p50 / p95 / max, the wall time, and
how long ``/healthz`` took in the middle of it. Nothing passes or fails.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from typing import Any

import httpx2
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import select

from models.action import Action
from models.base import utcnow
from models.db import create_engine, migrate, session_factory
from models.inbox import CommandStatus
from models.staff import Role, StaffUser
from services import intake
from services.commands import Commands
from services.inbox import Inbox
from services.passwords import hash_password
from tests.factories import LEAD, add_board, session_body, staff_headers
from tests.helpers import eventually, workflow_started
from tests.live import app_settings, serve_app
from tests.temporal import start_dev_server
from worker.build import build_worker

PASSWORD = "a long benchmark password"
POOL = {"pool_size": 5, "max_overflow": 10, "pool_timeout": 10}


async def _timed(request: Any) -> tuple[float, httpx2.Response]:
    start = time.perf_counter()
    response = await request
    return time.perf_counter() - start, response


async def _burst(name: str, client: httpx2.AsyncClient, requests: list[Any]) -> None:
    start = time.perf_counter()
    health = asyncio.create_task(_timed(client.get("/healthz")))
    results = await asyncio.gather(*(_timed(r) for r in requests))
    wall = time.perf_counter() - start
    healthz, _ = await health
    times = sorted(t for t, _ in results)
    codes = Counter(r.status_code for _, r in results)
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"{name}: {len(results)} at once → {dict(sorted(codes.items()))}; "
        f"p50 {statistics.median(times):.2f} s, p95 {p95:.2f} s, max {times[-1]:.2f} s; "
        f"all answered in {wall:.2f} s; /healthz during it {healthz:.2f} s"
    )


def _engines(postgres: str | None, folder: str) -> tuple[Engine, Engine]:
    """(the worker's engine, the API process's pooled engine) on one fresh database."""
    if postgres is None:
        url = f"sqlite:///{folder}/bench.db"
        migrate(create_engine(url))
        return create_engine(url), create_engine(url, **POOL)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with create_engine(postgres).begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    args = {"connect_args": {"options": f"-csearch_path={schema}"}}
    migrate(create_engine(postgres, **args))
    return create_engine(postgres, **args), create_engine(postgres, **args, **POOL)


async def main(sign_ins: int, commands: int, postgres: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        worker_engine, api_engine = _engines(postgres, folder)
        sessions = session_factory(worker_engine)
        add_board(sessions)
        password_hash = hash_password(PASSWORD)
        users = [
            StaffUser(
                email=f"v{i}@example.org",
                name=f"V{i}",
                role=Role.viewer,
                password_hash=password_hash,
            )
            for i in range(20)
        ]
        with sessions() as session:
            session.add_all(users)
            session.commit()
        env = await start_dev_server()
        task_queue = f"bench-{uuid.uuid4()}"
        settings = app_settings(task_queue=task_queue)
        limits = httpx2.Limits(max_connections=500, max_keepalive_connections=500)
        try:
            with ThreadPoolExecutor(16) as executor:
                worker = build_worker(
                    env.client, sessions=sessions, task_queue=task_queue, executor=executor
                )
                async with (
                    worker,
                    serve_app(engine=api_engine, client=env.client, settings=settings) as live,
                    httpx2.AsyncClient(base_url=live.base_url, timeout=300, limits=limits) as http,
                ):
                    await _burst(
                        "sign-ins (20 accounts)",
                        http,
                        [
                            http.post(
                                "/api/v1/auth/token",
                                data={"username": users[i % 20].email, "password": PASSWORD},
                            )
                            for i in range(sign_ins)
                        ],
                    )
                    actions = await _actions(sessions, env.client, task_queue)
                    headers = staff_headers(sessions, settings, "engagement_lead")
                    await _burst(
                        "commands (notes on 4 actions)",
                        http,
                        [
                            http.post(
                                f"/api/v1/actions/{actions[n % 4]}/notes",
                                json={"text": f"Note {n}"},
                                headers=headers,
                            )
                            for n in range(commands)
                        ],
                    )
        finally:
            await env.shutdown()


async def _actions(sessions: Any, client: Any, task_queue: str) -> list[uuid.UUID]:
    commands = Commands(sessions, Inbox(sessions, client, task_queue=task_queue))
    body = session_body(
        meeting_date=date.today(), actions=[{"text": f"Action {i}"} for i in range(4)]
    )
    row = await commands.start_case(
        lambda s, command_id: intake.case_input(
            s, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )
    await eventually(lambda: commands.inbox.get(row.id).status is CommandStatus.applied)
    with sessions() as session:
        ids = [a.id for a in session.exec(select(Action).where(Action.case_id == row.case_id))]
    for action_id in ids:
        await workflow_started(client, f"action-{action_id}")
    return ids


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sign-ins", type=int, default=200)
    parser.add_argument("--commands", type=int, default=100)
    parser.add_argument("--postgres", default=None, help="postgresql://… (a schema is made)")
    args = parser.parse_args()
    asyncio.run(main(args.sign_ins, args.commands, args.postgres))
