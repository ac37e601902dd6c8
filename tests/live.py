"""Real processes for end-to-end and browser tests: a Temporal dev server, a worker, and the web
app served by uvicorn on a free loopback port."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass

import uvicorn
from sqlalchemy.engine import Engine
from temporalio.client import Client

from api.main import create_app
from models.settings import Settings
from tests.temporal import TEST_PAYLOAD_KEYS

TEST_SECRET = "test-secret-" + "x" * 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def app_settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "environment": "test",
        "secret_key": TEST_SECRET,
        "payload_keys": TEST_PAYLOAD_KEYS,
        "command_wait_seconds": 10.0,
        "relay_interval_seconds": 0.5,
    }
    values.update(overrides)
    return Settings.model_validate(values)


@dataclass
class LiveApp:
    base_url: str
    settings: Settings


@contextlib.asynccontextmanager
async def serve_app(
    *, engine: Engine, client: Client | None, settings: Settings
) -> AsyncIterator[LiveApp]:
    """The real app over real HTTP on 127.0.0.1 (in this event loop)."""
    port = free_port()
    settings = settings.model_copy(update={"base_url": f"http://127.0.0.1:{port}"})
    app = create_app(settings, engine=engine, client=client)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    try:
        yield LiveApp(base_url=settings.base_url, settings=settings)
    finally:
        server.should_exit = True
        await task
