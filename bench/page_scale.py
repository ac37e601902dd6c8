"""Staff pages at the scale of an integrated care system: 1,000 and 10,000 open actions over 40
boards with 300 open escalations, rows written straight to the tables (``tests.open_actions``),
the app served by uvicorn, real HTTP. Prints p50, p95 and the HTML size of each page at both
sizes, the 10k/1k ratio of p95, and the goal (p95 < 100 ms, < 150 KB). Never fails on time.

Run through ``python -m bench.staff_pages --scale 1000,10000``.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from dataclasses import dataclass

import httpx2
import uvicorn

from api.main import create_app
from models.db import create_engine, migrate, session_factory
from models.settings import Settings
from models.staff import Role, StaffUserCreate
from services import directory
from tests.open_actions import seed
from tests.temporal import TEST_PAYLOAD_KEYS

PASSWORD = "a long benchmark password"
GOAL_MS, GOAL_KB = 100.0, 150.0


@dataclass
class Figure:
    p50: float
    p95: float
    kb: float


def _pages(board: str, case_id: str) -> list[tuple[str, str]]:
    """(label, path) of every staff page measured, as the Community Voice Lead."""
    return [
        ("/ (Community Voice Lead home)", "/"),
        ("/rag-board", "/rag-board"),
        ("/rag-board page 20", "/rag-board?page=20"),
        ("/rag-board?sort=due&order=desc", "/rag-board?sort=due&order=desc"),
        ("/rag-board?board=…&rag=red", f"/rag-board?board={board}&rag=red"),
        ("/escalations", "/escalations"),
        ("/escalations page 5", "/escalations?page=5"),
        ("/escalations/state.json", "/escalations/state.json"),
        ("/cases", "/cases"),
        ("/cases page 20", "/cases?page=20"),
        ("/cases/{id}", f"/cases/{case_id}"),
        ("/reports", "/reports"),
        ("/directory/partners", "/directory/partners"),
        ("/api/v1/cases?limit=500", "/api/v1/cases?limit=500"),
    ]


async def _measure(client: httpx2.AsyncClient, path: str, requests: int) -> Figure:
    await client.get(path)  # warm
    ms: list[float] = []
    size = 0
    for _ in range(requests):
        t0 = time.perf_counter()
        response = await client.get(path)
        ms.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        size = len(response.content)
    ms.sort()
    return Figure(statistics.median(ms), ms[int(0.95 * (len(ms) - 1))], size / 1024)


async def measure(open_actions: int, requests: int) -> dict[str, Figure]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/bench.db")
        migrate(engine)
        sessions = session_factory(engine)
        t0 = time.perf_counter()
        with sessions() as session:
            seeded = seed(session, open_actions=open_actions)
            directory.create_user(
                session=session,
                body=StaffUserCreate(
                    email="cv@example.org", name="Cara Lead", role=Role.cv_lead, password=PASSWORD
                ),
            )
        print(
            f"  seeded {seeded.open_actions} open actions, {len(seeded.case_ids)} sessions, "
            f"{len(seeded.boards)} boards, {seeded.open_escalations} open escalations "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        port = _free_port()
        settings = Settings.model_validate(
            {
                "environment": "test",
                "secret_key": "bench-" + "x" * 40,
                "payload_keys": TEST_PAYLOAD_KEYS,
                "base_url": f"http://127.0.0.1:{port}",
            }
        )
        app = create_app(settings, engine=engine, relay=False)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        figures: dict[str, Figure] = {}
        try:
            async with httpx2.AsyncClient(base_url=settings.base_url, timeout=60) as cv:
                await _sign_in(cv)
                for label, path in _pages(seeded.boards[0], str(seeded.case_ids[0])):
                    figures[label] = await _measure(cv, path, requests)
        finally:
            server.should_exit = True
            await serving
            engine.dispose()
        return figures


async def _sign_in(client: httpx2.AsyncClient) -> None:
    import re

    page = await client.get("/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = await client.post(
        "/sign-in", data={"email": "cv@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303, response.text
    api = await client.post(
        "/api/v1/auth/token", data={"username": "cv@example.org", "password": PASSWORD}
    )
    client.headers["Authorization"] = f"Bearer {api.json()['access_token']}"


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def run(sizes: list[int], requests: int) -> None:
    print(f"staff pages as the Community Voice Lead, {requests} sequential requests each")
    results: dict[int, dict[str, Figure]] = {}
    for size in sizes:
        print(f"with {size:,} open actions:")
        results[size] = await measure(size, requests)
    small, large = sizes[0], sizes[-1]
    print()
    print(
        f"{'page':<34} {'p50/p95 ms at ' + format(small, ','):>22} {'KB':>6}   "
        f"{'p50/p95 ms at ' + format(large, ','):>22} {'KB':>6}   {'p95 ratio':>9}   goal"
    )
    for label in results[small]:
        a, b = results[small][label], results[large][label]
        met = "met" if b.p95 < GOAL_MS and b.kb < GOAL_KB else "NOT met"
        print(
            f"{label:<34} {a.p50:10.1f} / {a.p95:6.1f}     {a.kb:6.1f}   "
            f"{b.p50:10.1f} / {b.p95:6.1f}     {b.kb:6.1f}   {b.p95 / a.p95:8.2f}x   "
            f"p95 < {GOAL_MS:.0f} ms, < {GOAL_KB:.0f} KB: {met}"
        )
