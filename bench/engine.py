"""How fast the engine records sessions and applies commands, on a real Temporal dev server
(SQLite, WAL) and a real worker, with a SQLite file database: ``python -m bench.engine``.

Prints: sessions recorded per second (each with three actions, so four workflows), and the
latency from a staff command's submission to its application (p50, p95).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from sqlmodel import col, func, select

from models.action import Action
from models.audit import Actor, ActorKind
from models.base import utcnow
from models.board import BoardCreate
from models.case import CaseCreate
from models.commands import AcknowledgeBody, PostUpdateBody
from models.db import SessionFactory, create_engine, migrate, session_factory
from models.inbox import CommandStatus
from models.partner import OwnerCreate, PartnerCreate
from models.timer import PendingTimer
from services import directory, intake
from services.commands import Commands
from services.inbox import Inbox
from tests.temporal import start_dev_server
from worker.build import build_worker

ACTOR = Actor(kind=ActorKind.staff, name="Benchmark")


async def run(cases: int, commands_n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{tmp}/bench.db")
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
                ),
            )
            partner = directory.create_partner(session=session, body=PartnerCreate(name="Trust"))
            owner = directory.create_owner(
                session=session,
                body=OwnerCreate(name="Olu Owner", email="olu@example.org", partner_id=partner.id),
            )
        env = await start_dev_server(
            database_file=f"{tmp}/temporal.db",
            extra_args=["--sqlite-pragma", "synchronous=NORMAL"],
        )
        try:
            with ThreadPoolExecutor(max_workers=16) as pool:
                worker = build_worker(
                    env.client, sessions=sessions, task_queue="bench", executor=pool
                )
                async with worker:
                    inbox = Inbox(sessions, env.client, task_queue="bench", wait_seconds=60)
                    commands = Commands(sessions, inbox)
                    body = CaseCreate.model_validate(
                        {
                            "board": "tht",
                            "meeting_date": date.today(),
                            "theme": "Benchmark",
                            "presenters": [{"name": "P", "email": "p@example.org"}],
                            "actions": [
                                {"text": f"Action {n}", "owner_id": owner.id} for n in range(3)
                            ],
                        }
                    )
                    started = time.perf_counter()
                    await asyncio.gather(
                        *(
                            commands.start_case(
                                lambda session, command_id: intake.case_input(
                                    session, body, actor=ACTOR, now=utcnow(), command_id=command_id
                                ),
                                ACTOR,
                                wait=False,
                            )
                            for _ in range(cases)
                        )
                    )
                    while not _all_started(sessions, cases):
                        await asyncio.sleep(0.05)
                    elapsed = time.perf_counter() - started
                    print(
                        f"sessions recorded: {cases} (with {3 * cases} actions) in {elapsed:.2f} s"
                    )
                    print(
                        f"  = {cases / elapsed:.1f} sessions/s, "
                        f"{4 * cases / elapsed:.1f} workflows/s"
                    )

                    with sessions() as session:
                        action_ids = [a.id for a in session.exec(select(Action)).all()]
                    latencies = []
                    for n in range(commands_n):
                        action_id = action_ids[n % len(action_ids)]
                        kind, cmd_body = (
                            ("acknowledge", AcknowledgeBody())
                            if n < len(action_ids)
                            else ("post_update", PostUpdateBody(text=f"Update {n}"))
                        )
                        t0 = time.perf_counter()
                        row = await commands.to_action(action_id, kind, cmd_body, ACTOR)
                        assert row.status is CommandStatus.applied, row.outcome_message
                        latencies.append((time.perf_counter() - t0) * 1000)
                    latencies.sort()
                    p95 = latencies[int(0.95 * (len(latencies) - 1))]
                    print(
                        f"command submitted -> applied ({commands_n} sequential): "
                        f"p50 {statistics.median(latencies):.0f} ms, p95 {p95:.0f} ms"
                    )
        finally:
            await env.shutdown()
            engine.dispose()


def _all_started(sessions: SessionFactory, cases: int) -> bool:
    """Every action workflow has run its first step (its timers are recorded)."""
    with sessions() as session:
        with_timers = session.exec(
            select(func.count(func.distinct(PendingTimer.action_id))).where(
                col(PendingTimer.action_id).is_not(None)
            )
        ).one()
    return with_timers >= 3 * cases


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=50)
    parser.add_argument("--commands", type=int, default=100)
    args = parser.parse_args()
    await run(args.cases, args.commands)


if __name__ == "__main__":
    asyncio.run(main())
