"""The worker process: workflows and activities, mail delivery, the report and retention
schedules.

``python -m worker`` (or ``cvt worker``).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client

from models.db import SessionFactory, create_engine, session_factory
from models.settings import get_settings
from services.report_schedules import sync_all
from worker.build import build_worker
from worker.mail import mail_delivery
from workflows import retention_schedule
from workflows.client import connect


async def sync_report_schedules(client: Client, sessions: SessionFactory, task_queue: str) -> None:
    """Bring every board's report schedules in line with its calendar (idempotent)."""
    try:
        boards = await sync_all(client, sessions, task_queue=task_queue)
    except Exception:  # the worker still runs cases; schedules are synced again next start
        logging.getLogger(__name__).exception("could not sync the report schedules")
        return
    logging.getLogger(__name__).info(
        "report schedules synced for %s", ", ".join(boards) or "no board"
    )


async def sync_retention_schedule(client: Client, task_queue: str) -> None:
    """The daily retention run (idempotent)."""
    try:
        await retention_schedule.sync(client, task_queue)
    except Exception:  # synced again next start
        logging.getLogger(__name__).exception("could not sync the retention schedule")


async def run_worker() -> None:
    settings = get_settings()
    engine = create_engine(settings.database_url, **settings.engine_options())
    client = await connect(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    with ThreadPoolExecutor(max_workers=16) as executor:
        worker = build_worker(
            client,
            sessions=session_factory(engine),
            task_queue=settings.task_queue,
            executor=executor,
        )
        async with worker:
            logging.getLogger(__name__).info("worker polling task queue %s", settings.task_queue)
            await sync_report_schedules(client, session_factory(engine), settings.task_queue)
            await sync_retention_schedule(client, settings.task_queue)
            mail = None
            if settings.mail_delivery:
                delivery = mail_delivery(settings, session_factory(engine), client)
                mail = asyncio.create_task(delivery.run(stop))
            await stop.wait()
            if mail is not None:
                await mail
    engine.dispose()


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s worker %(levelname)s %(message)s")
    asyncio.run(run_worker())


if __name__ == "__main__":
    main()
