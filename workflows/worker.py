"""The worker process: runs the case and action workflows and their activities.

``python -m workflows.worker`` (or ``cvt worker``). Scale out by running more of them: Temporal
shares the task queue between workers.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.record import RecordActivities
from activities.report import ReportActivities
from models.db import SessionFactory, create_engine, session_factory
from models.settings import get_settings
from workflows.action import ActionWorkflow
from workflows.case import CaseWorkflow
from workflows.client import connect
from workflows.reports import PublishReportWorkflow, ReportWorkflow

WORKFLOWS = [CaseWorkflow, ActionWorkflow, ReportWorkflow, PublishReportWorkflow]

#: Modules the workflows use, imported once outside the sandbox: deterministic, free of side
#: effects, and shared so that classes such as ``Refused`` are one class everywhere.
#: ``email_validator`` is imported lazily by pydantic's ``EmailStr``.
PASSTHROUGH = (
    "models",
    "notifications",
    "workflows.action_rules",
    "workflows.case_rules",
    "workflows.base",
    "workflows.step",
    "email_validator",
    "sqlmodel",
    "sqlalchemy",
    "dateutil",
)


def workflow_runner() -> SandboxedWorkflowRunner:
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH)
    )


def build_worker(
    client: Client, *, sessions: SessionFactory, task_queue: str, executor: ThreadPoolExecutor
) -> Worker:
    record = RecordActivities(sessions)
    reports = ReportActivities(sessions)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        workflow_runner=workflow_runner(),
        activities=[record.record_step, reports.draft_report, reports.publish_report],
        activity_executor=executor,
        max_concurrent_activities=16,
    )


async def sync_report_schedules(client: Client, sessions: SessionFactory, task_queue: str) -> None:
    """Bring every board's report schedules in line with its calendar (idempotent)."""
    from api.services.report_schedules import sync_all

    try:
        boards = await sync_all(client, sessions, task_queue=task_queue)
    except Exception:  # the worker still runs cases; schedules are synced again next start
        logging.getLogger(__name__).exception("could not sync the report schedules")
        return
    logging.getLogger(__name__).info(
        "report schedules synced for %s", ", ".join(boards) or "no board"
    )


async def run_worker() -> None:
    settings = get_settings()
    engine = create_engine(settings.database_url)
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
            mail = None
            if settings.mail_delivery:
                from notifications.delivery import from_settings

                delivery = from_settings(settings, session_factory(engine), client)
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
