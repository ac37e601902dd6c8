"""Kill the worker process (SIGKILL) mid-case and start new ones: no duplicated rows or outbox
messages, no missed timer, and a command sent while no worker ran is applied at the time it was
sent."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from models.action import Action, ActionStatus
from models.audit import AuditEvent
from models.base import utcnow
from models.commands import AcknowledgeBody
from models.escalation import Escalation
from models.inbox import CommandStatus
from models.outbox import OutboxMessage
from models.policy import Policy, PolicyDuration
from models.timer import RecordedStep
from services import intake
from services.commands import Commands
from services.inbox import Inbox
from tests.factories import LEAD, add_board, add_owner, session_body
from tests.helpers import eventually
from tests.live import TEST_SECRET
from tests.temporal import TEST_PAYLOAD_KEYS
from workflows.base import RECORD_TIMEOUT

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Reminders after 9 s, escalations after 18 s; updates are not chased during the test.
POLICY = Policy.in_seconds(scale=3).model_copy(
    update={
        "update_reminder": PolicyDuration.model_validate("1 hours"),
        "update_escalation": PolicyDuration.model_validate("2 hours"),
    }
)
PROJECT = Path(__file__).resolve().parents[2]


def start_worker(
    address: str, database: str, task_queue: str, log: Path
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "CVT_ENVIRONMENT": "test",
        "CVT_SECRET_KEY": TEST_SECRET,
        "CVT_PAYLOAD_KEYS": TEST_PAYLOAD_KEYS,
        "CVT_DATABASE_URL": database,
        "CVT_TEMPORAL_ADDRESS": address,
        "CVT_TASK_QUEUE": task_queue,
        "CVT_MAIL_DELIVERY": "false",  # this test is about workflows; email has its own
    }
    return subprocess.Popen(
        [sys.executable, "-m", "worker"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("ab"),
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL


class Workers:
    """Worker processes for one test, all stopped at the end."""

    def __init__(self, address: str, database: str, task_queue: str, log: Path) -> None:
        self.args = (address, database, task_queue, log)
        self.log = log
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        self.started.append(start_worker(*self.args))

    async def ready(self) -> None:
        """Wait until the latest worker polls its task queue (its log says so)."""
        count = len(self.started)
        await eventually(
            lambda: self.log.read_text().count("polling task queue") >= count, timeout=60
        )

    def kill_latest(self) -> None:
        kill(self.started[-1])

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=20)
            if process.stderr:
                process.stderr.close()


@pytest.fixture
def workers(dev_env, engine, task_queue, tmp_path):
    address = dev_env.client.service_client.config.target_host
    log = tmp_path / "workers.log"
    log.touch()
    pool = Workers(address, str(engine.url), task_queue, log)
    yield pool
    pool.stop_all()


async def test_killed_workers_lose_nothing_and_do_nothing_twice(
    dev_env, sessions, task_queue, workers
):
    add_board(sessions, policy=POLICY)
    owner = add_owner(sessions)
    commands = Commands(sessions, Inbox(sessions, dev_env.client, task_queue=task_queue))

    def rows(table):
        with sessions() as session:
            return list(session.exec(select(table)).all())

    workers.start()
    await workers.ready()
    body = session_body(
        meeting_date=date.today(),
        actions=[{"text": "Survey every flat", "owner_id": owner.id}, {"text": "Write to all"}],
    )
    started = await commands.start_case(
        lambda session, command_id: intake.case_input(
            session, body, actor=LEAD, now=utcnow(), command_id=command_id
        ),
        LEAD,
    )
    await eventually(
        lambda: commands.inbox.get(started.id).status is CommandStatus.applied, timeout=60
    )
    recorded_at = utcnow()
    owned, unowned = sorted(await eventually(lambda: rows(Action)), key=lambda a: a.seq)
    await eventually(lambda: len(rows(AuditEvent)) >= 5)

    # The worker dies while the case waits for its first timers.
    workers.kill_latest()
    acknowledged = await commands.to_action(owned.id, "acknowledge", AcknowledgeBody(), LEAD)
    assert acknowledged.status is CommandStatus.delivered  # stored and signalled, not yet applied

    # Every timer comes due while no worker runs (reminders at 9 s, escalations at 18 s).
    await asyncio.sleep(max(0.0, (recorded_at + timedelta(seconds=19) - utcnow()).total_seconds()))

    # A new worker is killed as soon as it has written something; a third one finishes.
    steps_before = len(rows(RecordedStep))
    workers.start()
    await eventually(lambda: len(rows(RecordedStep)) > steps_before, timeout=60, interval=0.01)
    workers.kill_latest()
    workers.start()
    # A step the killed worker had started is retried only once its start-to-close timeout
    # has passed, so each wait allows that timeout on top of the work itself.
    recovery = RECORD_TIMEOUT.total_seconds() + 60
    await eventually(lambda: len(rows(Escalation)) == 2, timeout=recovery)
    await eventually(
        lambda: commands.inbox.get(acknowledged.id).status is CommandStatus.applied,
        timeout=recovery,
    )
    await asyncio.sleep(1)  # anything still to come would come now

    kinds = Counter(m.kind for m in rows(OutboxMessage))
    assert kinds == {
        "presenter_thanks": 1,
        "owner_action_assigned": 1,
        "presenter_contact_reminder": 1,
        "owner_naming_reminder": 1,
        "escalation_raised": 2,
    }
    assert sorted(e.rule.value for e in rows(Escalation)) == [
        "owner_not_named",
        "presenter_contact_overdue",
    ]
    # The acknowledgement counts from when it was sent, before the reminder was due.
    owned = next(a for a in rows(Action) if a.id == owned.id)
    assert owned.status is ActionStatus.in_progress
    assert owned.acknowledged_at < owned.linked_at + timedelta(seconds=9)
    # Timers that fell due while no worker ran are recorded at their due time.
    naming = next(m for m in rows(OutboxMessage) if m.kind == "owner_naming_reminder")
    assert naming.created_at == POLICY.after(unowned.created_at, POLICY.owner_naming_reminder)
    events = Counter((e.verb, e.action_id, e.at, e.summary) for e in rows(AuditEvent))
    assert max(events.values()) == 1
