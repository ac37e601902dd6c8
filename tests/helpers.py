"""Waiting helpers for tests that watch real processes."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TypeVar

from temporalio.client import Client
from temporalio.service import RPCError
from temporalio.testing import WorkflowEnvironment

T = TypeVar("T")


async def eventually(
    check: Callable[[], T | Awaitable[T]], *, timeout: float = 30.0, interval: float = 0.05
) -> T:
    """Poll ``check`` until it returns something truthy; fail with its last value on timeout.

    The default allows for a 2-core machine busy with browsers and servers; a passing check
    returns as soon as it is true."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value  # type: ignore[return-value]
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s (last value: {value!r})")
        await asyncio.sleep(interval)


async def workflow_started(client: Client, workflow_id: str) -> None:
    """Wait until ``workflow_id`` exists (a child starts a moment after its parent)."""

    async def exists() -> bool:
        try:
            await client.get_workflow_handle(workflow_id).describe()
        except RPCError:
            return False
        return True

    await eventually(exists)


async def advance_to(env: WorkflowEnvironment, moment: datetime) -> None:
    """Skip the test server's clock forward to ``moment``."""
    now = await env.get_current_time()
    if moment > now:
        await env.sleep(moment - now)


async def advance(env: WorkflowEnvironment, delta: timedelta) -> None:
    await env.sleep(delta)
