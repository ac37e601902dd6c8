"""Report workflows, started by Temporal Schedules (one per board and kind) or by a person.

``ReportWorkflow`` drafts one report for the period its moment belongs to (the activity makes
this at most once per period) and, for the quarterly report, asks every owner of an open action
for an update by signalling that action's own workflow. ``PublishReportWorkflow`` publishes an
approved report and, for the annual report, tells each included case's workflow.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy, SearchAttributeKey

with workflow.unsafe.imports_passed_through():
    from models.messages import CaseReported
    from models.report import (
        DraftReportInput,
        DraftReportResult,
        PublishInput,
        PublishResult,
        ReportKind,
        ReportRunInput,
        UpdateRequest,
    )
    from workflows import action_workflow_id, case_workflow_id

ACTIVITY_TIMEOUT = timedelta(minutes=5)
RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(minutes=1),
)
SCHEDULED_START = SearchAttributeKey.for_datetime("TemporalScheduledStartTime")


def scheduled_start() -> datetime | None:
    """The nominal time of the schedule run that started this workflow, if one did."""
    info = workflow.info()
    moment = info.typed_search_attributes.get(SCHEDULED_START)
    if moment is not None:
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    # The schedule names its runs "<schedule workflow id>-<nominal time>".
    stamp = info.workflow_id[-20:]
    if stamp.endswith("Z") and stamp[4] == "-" and stamp[10] == "T":
        try:
            return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


@workflow.defn
class ReportWorkflow:
    @workflow.run
    async def run(self, input: ReportRunInput) -> DraftReportResult:
        now = workflow.now()
        scheduled = input.scheduled_for or scheduled_start() or now
        result: DraftReportResult = await workflow.execute_activity(
            "draft_report",
            DraftReportInput(
                **input.model_dump(exclude={"scheduled_for"}),
                scheduled_for=scheduled,
                started_at=now,
                workflow_id=workflow.info().workflow_id,
            ),
            result_type=DraftReportResult,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=RETRY,
            summary=f"draft {input.kind.value} for {input.board}",
        )
        if input.kind is ReportKind.quarterly and result.created and result.report_id:
            request = UpdateRequest(
                key=str(result.report_id),
                report_id=result.report_id,
                meeting_date=result.meeting_date,
                cutoff_at=scheduled,
            )
            await asyncio.gather(
                *(
                    workflow.get_external_workflow_handle(action_workflow_id(a)).signal(
                        "request_update", request
                    )
                    for a in result.update_targets
                ),
                return_exceptions=True,  # an action that closed meanwhile needs no update
            )
        return result


@workflow.defn
class PublishReportWorkflow:
    @workflow.run
    async def run(self, input: PublishInput) -> PublishResult:
        result: PublishResult = await workflow.execute_activity(
            "publish_report",
            input,
            result_type=PublishResult,
            start_to_close_timeout=ACTIVITY_TIMEOUT,
            retry_policy=RETRY,
        )
        reported = CaseReported(report_id=result.report_id, published_at=result.published_at)
        outcomes = await asyncio.gather(
            *(
                workflow.get_external_workflow_handle(case_workflow_id(c)).signal(
                    "case_reported", reported
                )
                for c in result.case_ids
            ),
            return_exceptions=True,  # a case whose workflow is gone needs no signal
        )
        result.signalled = sum(1 for o in outcomes if not isinstance(o, BaseException))
        return result
