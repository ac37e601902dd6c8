"""RetentionWorkflow: applies every board's retention once (started daily by the Temporal
Schedule in ``workflows/retention_schedule.py``, or by hand)."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.retention import RetentionInput, RetentionResult

TIMEOUT = timedelta(minutes=10)
RETRY = RetryPolicy(initial_interval=timedelta(seconds=5), maximum_interval=timedelta(minutes=5))


@workflow.defn
class RetentionWorkflow:
    @workflow.run
    async def run(self, input: RetentionInput) -> RetentionResult:
        result: RetentionResult = await workflow.execute_activity(
            "apply_retention",
            RetentionInput(now=input.now or workflow.now()),
            result_type=RetentionResult,
            start_to_close_timeout=TIMEOUT,
            retry_policy=RETRY,
            summary="delete contact details past retention",
        )
        return result
