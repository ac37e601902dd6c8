"""The Temporal worker: which workflows and activities it runs, and the sandbox they run in."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.record import RecordActivities
from activities.report import ReportActivities
from activities.retention import RetentionActivities
from models.db import SessionFactory
from workflows.action import ActionWorkflow
from workflows.case import CaseWorkflow
from workflows.reports import PublishReportWorkflow, ReportWorkflow
from workflows.retention import RetentionWorkflow

WORKFLOWS = [CaseWorkflow, ActionWorkflow, ReportWorkflow, PublishReportWorkflow, RetentionWorkflow]

#: Modules the workflows use, imported once outside the sandbox: deterministic, free of side
#: effects, and shared so that classes such as ``Refused`` are one class everywhere.
#: ``email_validator`` is imported lazily by pydantic's ``EmailStr``.
PASSTHROUGH = (
    "models",
    "notifications",
    "workflows.action_rules",
    "workflows.case_rules",
    "workflows.refused",
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
    retention = RetentionActivities(sessions)
    return Worker(
        client,
        task_queue=task_queue,
        workflows=WORKFLOWS,
        workflow_runner=workflow_runner(),
        activities=[
            record.record_step,
            reports.draft_report,
            reports.publish_report,
            retention.apply_retention,
        ],
        activity_executor=executor,
        max_concurrent_activities=16,
    )
