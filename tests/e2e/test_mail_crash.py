"""Kill the worker (a real process, SIGKILL) in the middle of sending an email: no message is
sent twice. Killed after the mail server has the message but before the worker records it: the
message is not resent (its row says so). Killed before the hand-over: it is sent once, later."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.base import utcnow
from models.outbox import OutboxStatus
from models.policy import Policy
from services import intake
from tests.factories import LEAD, add_board, add_owner, session_body
from tests.helpers import eventually
from tests.live import TEST_SECRET
from tests.mailflow import commands_for, outbox
from tests.smtp import SmtpServer
from tests.temporal import TEST_PAYLOAD_KEYS

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PROJECT = Path(__file__).resolve().parents[2]


class Worker:
    """``python -m worker`` (workflows, activities and mail delivery) as a process."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "worker"],
            cwd=PROJECT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        assert self.process.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def worker(dev_env: Any, engine: Any, task_queue: str, smtp_server: SmtpServer):
    env = {
        **os.environ,
        "CVT_ENVIRONMENT": "test",
        "CVT_SECRET_KEY": TEST_SECRET,
        "CVT_PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
        "CVT_DATABASE_URL": str(engine.url),
        "CVT_TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "CVT_TASK_QUEUE": task_queue,
        "CVT_BASE_URL": "http://127.0.0.1:9",
        "CVT_SMTP_HOST": smtp_server.host,
        "CVT_SMTP_PORT": str(smtp_server.port),
        "CVT_MAIL_POLL_SECONDS": "0.2",
        "CVT_MAIL_CLAIM_SECONDS": "3",
    }
    process = Worker(env)
    yield process
    process.stop()


async def start_case(dev_env: Any, sessions: Any, task_queue: str) -> None:
    add_board(sessions, policy=Policy())
    owner = add_owner(sessions)
    body = session_body(
        meeting_date=date.today(), actions=[{"text": "Survey every flat", "owner_id": owner.id}]
    )
    commands = commands_for(sessions, dev_env.client, task_queue)
    await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
        wait=False,
    )


def settled(sessions: Any) -> dict[str, OutboxStatus] | None:
    rows = outbox(sessions)
    if len(rows) < 2 or any(r.status in (OutboxStatus.pending, OutboxStatus.sending) for r in rows):
        return None
    return {r.kind: r.status for r in rows}


async def test_killed_after_the_server_has_the_message_it_is_not_sent_again(
    dev_env, sessions, task_queue, smtp_server, worker
):
    killed: list[str] = []

    def kill_once(message: Any) -> None:  # the server has kept the message; no 250 yet
        if not killed:
            killed.append(str(message["Message-ID"]))
            worker.kill()

    smtp_server.recorder.on_data = kill_once
    worker.start()
    await start_case(dev_env, sessions, task_queue)
    await eventually(lambda: killed, timeout=60)
    worker.start()
    states = await eventually(lambda: settled(sessions), timeout=60)

    received = Counter(str(m["Message-ID"]) for m in smtp_server.messages)
    assert set(received.values()) == {1}, f"a message was sent twice: {received}"
    assert len(received) == 2, "both messages (presenter thanks, owner's action) arrived"
    [crashed] = [r for r in outbox(sessions) if r.message_id == killed[0]]
    assert crashed.status is OutboxStatus.unconfirmed
    assert "may have been delivered" in (crashed.last_error or "")
    assert sorted(states.values()) == [OutboxStatus.sent, OutboxStatus.unconfirmed]


async def test_killed_before_handing_over_it_is_sent_once_after_the_restart(
    dev_env, sessions, task_queue, smtp_server, worker
):
    killed: list[str] = []

    def kill_once(_: str) -> None:  # envelope only: the server has no message yet
        if not killed:
            killed.append("rcpt")
            worker.kill()

    smtp_server.recorder.on_rcpt = kill_once
    worker.start()
    await start_case(dev_env, sessions, task_queue)
    await eventually(lambda: killed, timeout=60)
    assert smtp_server.messages == []
    worker.start()
    states = await eventually(lambda: settled(sessions), timeout=60)

    received = Counter(str(m["Message-ID"]) for m in smtp_server.messages)
    assert received == Counter({f"<cvt.{r.id}@example.org>": 1 for r in outbox(sessions)})
    assert set(states.values()) == {OutboxStatus.sent}
