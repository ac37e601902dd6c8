"""How fast the staff pages answer with a realistic load behind them, on real parts: a Temporal
dev server and worker, a SQLite file, the app served by uvicorn, real HTTP (httpx2).

``python -m bench.staff_pages [--cases 100] [--requests 30]``
``python -m bench.staff_pages --scale 1000,10000 [--requests 30]``: the pages at the scale of an
integrated care system instead (``bench.page_scale``: rows written straight to the tables).

Records ``--cases`` sessions through the intake form (each: one presenter, three actions, one
with no owner), lets the seconds-long policy raise escalations (presenters not contacted, no
owner named), then prints p50/p95 latency of each page as a signed-in Community Voice Lead, of
signing in (Argon2), and of recording a session through the form until its case page shows.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import httpx2
import uvicorn
from sqlmodel import col, func, select

from api.main import create_app
from bench import page_scale
from models.board import BoardCreate
from models.db import create_engine, migrate, session_factory
from models.escalation import Escalation
from models.partner import OwnerCreate, PartnerCreate
from models.policy import Policy
from models.settings import Settings
from models.staff import Role, StaffUserCreate
from services import directory
from tests.temporal import TEST_PAYLOAD_KEYS, start_dev_server
from worker.build import build_worker

PASSWORD = "a long benchmark password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(sessions) -> str:  # type: ignore[no-untyped-def]
    with sessions() as session:
        directory.create_board(
            session=session,
            body=BoardCreate(
                slug="tht",
                name="Bench board",
                engagement_lead_name="E",
                engagement_lead_email="e@example.org",
                cv_lead_name="C",
                cv_lead_email="c@example.org",
                policy=Policy.in_seconds(),
            ),
        )
        partner = directory.create_partner(session=session, body=PartnerCreate(name="Trust"))
        owner = directory.create_owner(
            session=session,
            body=OwnerCreate(name="Olu Owner", email="olu@example.org", partner_id=partner.id),
        )
        for role in (Role.engagement_lead, Role.cv_lead):
            directory.create_user(
                session=session,
                body=StaffUserCreate(
                    email=f"{role.value}@example.org", name=role.value, role=role, password=PASSWORD
                ),
            )
    return str(owner.id)


def _session_form(owner_id: str, n: int) -> dict[str, str]:
    today = date.today()
    return {
        "idempotency_key": str(uuid.uuid4()),
        "board": "tht",
        "meeting_date[day]": str(today.day),
        "meeting_date[month]": str(today.month),
        "meeting_date[year]": str(today.year),
        "outcome": "held",
        "theme": f"Benchmark session {n}",
        "presenters-0-name": "Amina Begum",
        "presenters-0-email": "amina@example.org",
        "actions-0-text": "Survey every flat",
        "actions-0-owner_id": owner_id,
        "actions-1-text": "Write to residents",
        "actions-1-owner_id": owner_id,
        "actions-2-text": "Report back",
        "intent": "save",
    }


async def _signed_in(base_url: str, email: str) -> httpx2.AsyncClient:
    client = httpx2.AsyncClient(base_url=base_url, timeout=60)
    page = await client.get("/sign-in")
    token = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    return client


async def _timed(n: int, call: Callable[[], Awaitable[object]]) -> list[float]:
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        await call()
        out.append((time.perf_counter() - t0) * 1000)
    return sorted(out)


def _line(label: str, ms: list[float]) -> str:
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return f"  {label:<34} p50 {statistics.median(ms):6.1f} ms   p95 {p95:6.1f} ms   (n={len(ms)})"


async def run(cases: int, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        sessions = session_factory(engine)
        owner_id = _seed(sessions)
        env = await start_dev_server(database_file=f"{tmp}/temporal.db")
        port = _free_port()
        settings = Settings.model_validate(
            {
                "environment": "test",
                "secret_key": "bench-" + "x" * 40,
                "payload_keys": TEST_PAYLOAD_KEYS,
                "task_queue": "bench",
                "base_url": f"http://127.0.0.1:{port}",
                "command_wait_seconds": 30,
            }
        )
        app = create_app(settings, engine=engine, client=env.client)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                async with build_worker(
                    env.client, sessions=sessions, task_queue="bench", executor=pool
                ):
                    serving = asyncio.create_task(server.serve())
                    while not server.started:
                        await asyncio.sleep(0.02)
                    base = settings.base_url
                    lead = await _signed_in(base, "engagement_lead@example.org")
                    cv = await _signed_in(base, "cv_lead@example.org")

                    recorded: list[float] = []
                    case_path = ""
                    for n in range(cases):
                        page = await lead.get("/cases/new")
                        form = _session_form(owner_id, n)
                        form["csrf_token"] = _CSRF.search(page.text).group(1)  # type: ignore[union-attr]
                        t0 = time.perf_counter()
                        response = await lead.post("/cases/new", data=form)
                        shown = await lead.get(response.headers["location"])
                        recorded.append((time.perf_counter() - t0) * 1000)
                        assert shown.status_code == 200, shown.status_code
                        case_path = response.headers["location"].split("?")[0]
                    recorded.sort()
                    print(f"recorded {cases} sessions (3 actions each) through the intake form")
                    print(_line("intake form POST -> case page", recorded))

                    deadline = time.monotonic() + 60
                    while _escalations(sessions) < 2 * cases and time.monotonic() < deadline:
                        await asyncio.sleep(0.5)
                    print(f"open escalations in the queue: {_escalations(sessions)}")

                    pages = [
                        "/",
                        "/escalations",
                        "/escalations/state.json",
                        "/rag-board",
                        "/rag-board?sort=due&order=desc",
                        "/cases",
                        case_path,
                    ]
                    print(
                        f"pages as the Community Voice Lead ({requests} sequential requests each):"
                    )
                    for path in pages:
                        ms = await _timed(requests, lambda path=path: cv.get(path))
                        label = "/cases/{id}" if path == case_path else path
                        print(_line(f"GET {label}", ms))
                    ms = await _timed(10, lambda: _signed_in(base, "cv_lead@example.org"))
                    print(_line("sign in (GET form + POST, Argon2)", ms))
                    await lead.aclose()
                    await cv.aclose()
                    server.should_exit = True
                    await serving
        finally:
            await env.shutdown()
            engine.dispose()


def _escalations(sessions) -> int:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return int(session.exec(select(func.count(col(Escalation.id)))).one())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--scale",
        help="open actions to seed, comma-separated (e.g. 1000,10000): measure at those sizes",
    )
    args = parser.parse_args()
    if args.scale:
        sizes = [int(n) for n in args.scale.split(",")]
        asyncio.run(page_scale.run(sizes, args.requests))
    else:
        asyncio.run(run(args.cases, args.requests))


if __name__ == "__main__":
    main()
