"""What email costs: rendering a message, delivering the outbox to a real SMTP server on
loopback (aiosmtpd) from a SQLite file, and gathering reminders. ``python -m bench.mail``.

Prints figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from typing import Any

from aiosmtpd.controller import Controller
from sqlmodel import select

from models.base import utcnow
from models.board import Board, BoardCreate
from models.case import Case
from models.db import SessionFactory, create_engine, migrate, session_factory
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.policy import Policy
from models.settings import Settings
from notifications.delivery import MailDelivery
from notifications.gathering import gather
from notifications.links import Links
from notifications.render import Renderer
from notifications.types import (
    ActionFacts,
    CaseFacts,
    MessageType,
    OwnerActionAssigned,
    OwnerUpdateReminder,
)
from services import directory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, *_: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        self.count += 1
        return "250 OK"


def _setup(path: str) -> tuple[SessionFactory, uuid.UUID]:
    engine = create_engine(f"sqlite:///{path}")
    migrate(engine)
    sessions = session_factory(engine)
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
                policy=Policy(),
            ),
        )
        board = session.exec(select(Board)).one()
        case = Case(board_id=board.id, meeting_date=date(2027, 1, 5), theme="Bench")
        session.add(case)
        session.commit()
        return sessions, case.id


def _facts(case_id: uuid.UUID, kind: MessageType) -> dict[str, Any]:
    c = CaseFacts(case_id=case_id, board_name="Bench board", meeting_date=date(2027, 1, 5))
    a = ActionFacts(action_id=uuid.uuid4(), seq=1, text="Survey every flat", owner_id=uuid.uuid4())
    if kind is MessageType.owner_update_reminder:
        now = utcnow()
        return OwnerUpdateReminder(
            case=c, action=a, assignment_no=1, last_progress_at=now, escalates_at=now
        ).model_dump(mode="json")
    return OwnerActionAssigned(case=c, action=a, assignment_no=1).model_dump(mode="json")


def _queue(
    sessions: SessionFactory, case_id: uuid.UUID, n: int, kind: MessageType, people: int
) -> None:
    now = utcnow() - timedelta(minutes=5)
    with sessions() as session:
        for i in range(n):
            session.add(
                OutboxMessage(
                    kind=kind.value,
                    case_id=case_id,
                    recipient_role=RecipientRole.owner,
                    recipient_name=f"Owner {i % people}",
                    recipient_email=f"owner{i % people}@example.org",
                    facts=_facts(case_id, kind),
                    created_at=now,
                )
            )
        session.commit()


async def run(messages: int) -> None:
    links = Links("bench-secret-" + "x" * 30, "https://cv.example.org")
    renderer = Renderer(links)
    facts = _facts(uuid.uuid4(), MessageType.owner_action_assigned)
    samples = []
    for _ in range(300):
        started = time.perf_counter()
        renderer.render(MessageType.owner_action_assigned, facts, to="Olu Owner")
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"render one message (subject, text, HTML, signed link): "
        f"p50 {statistics.median(samples):.2f} ms, p95 {sorted(samples)[284]:.2f} ms"
    )

    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        for workers in (1, 2):
            with tempfile.TemporaryDirectory() as tmp:
                sessions, case_id = _setup(f"{tmp}/bench.db")
                _queue(sessions, case_id, messages, MessageType.owner_action_assigned, messages)
                settings = Settings.model_validate(
                    {"environment": "development", "smtp_host": "127.0.0.1", "smtp_port": port}
                )
                deliveries = [
                    MailDelivery(sessions, settings, renderer, batch=messages)
                    for _ in range(workers)
                ]
                before = sink.count
                started = time.perf_counter()
                await asyncio.gather(*(d.deliver_due() for d in deliveries))
                elapsed = time.perf_counter() - started
                sent = sink.count - before
                print(
                    f"deliver {sent} messages, {workers} worker(s), SQLite file, loopback SMTP: "
                    f"{elapsed:.2f} s, {sent / elapsed:.0f} messages/s"
                )

        with tempfile.TemporaryDirectory() as tmp:
            sessions, case_id = _setup(f"{tmp}/bench.db")
            _queue(sessions, case_id, messages, MessageType.owner_update_reminder, messages // 10)
            started = time.perf_counter()
            with sessions() as session:
                made = gather(session, utcnow())
            elapsed = time.perf_counter() - started
            with sessions() as session:
                gathered = len(
                    session.exec(
                        select(OutboxMessage.id).where(
                            OutboxMessage.status == OutboxStatus.gathered
                        )
                    ).all()
                )
            print(
                f"gather {gathered} reminders for {messages // 10} people into {len(made)} "
                f"emails: {elapsed * 1000:.0f} ms"
            )
    finally:
        controller.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=500)
    args = parser.parse_args()
    asyncio.run(run(args.messages))


if __name__ == "__main__":
    main()
