"""What the case and action workflows share: numbered steps, commands applied once, and when
to continue as new."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from models.commands import CommandEnvelope
    from models.inbox import CommandStatus
    from models.messages import StepRecord
    from models.timer import PendingTimerRecord
    from workflows.refused import Refused
    from workflows.step import Step


def new_step(step_no: int, now: datetime, case_id: uuid.UUID, action_id: uuid.UUID | None) -> Step:
    """Step ``step_no`` of this workflow, keyed for idempotent recording."""
    workflow_id = workflow.info().workflow_id
    return Step(
        key=f"{workflow_id}:{step_no}",
        at=now,
        workflow_id=workflow_id,
        case_id=case_id,
        action_id=action_id,
        new_id=workflow.uuid4,
    )


def apply_once(
    state: Any,
    cmd: CommandEnvelope,
    now: datetime,
    step: Step,
    apply: Callable[[Any, Any, datetime, Step], str],
) -> None:
    """``apply(state, cmd, now, step)`` unless seen before (a relay may deliver twice), and
    record its outcome for the inbox."""
    if cmd.command_id in state.seen_commands:
        return
    state.seen_commands.append(cmd.command_id)
    try:
        receipt = apply(state, cmd, now, step)
    except Refused as refused:
        step.outcome(cmd.command_id, CommandStatus.rejected, str(refused))
    else:
        step.outcome(cmd.command_id, CommandStatus.applied, receipt)


def should_continue_as_new(history_limit: int) -> bool:
    info = workflow.info()
    return info.is_continue_as_new_suggested() or info.get_current_history_length() > history_limit


RECORD_TIMEOUT = timedelta(seconds=30)
RECORD_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    maximum_interval=timedelta(seconds=60),
)


async def record(step: StepRecord) -> None:
    """Write a step through the ``record_step`` activity (retried until the database answers)."""
    await workflow.execute_activity(
        "record_step",
        step,
        start_to_close_timeout=RECORD_TIMEOUT,
        retry_policy=RECORD_RETRY,
        summary=f"record {step.key}",
    )


async def sleep_until(pending: list[PendingTimerRecord], woken: Callable[[], bool]) -> None:
    """Wait for the first pending timer, or until ``woken()`` (a command arrived)."""
    if not pending:
        await workflow.wait_condition(woken)
        return
    delay = pending[0].due_at - workflow.now()
    if delay <= timedelta(0):
        return
    try:
        await workflow.wait_condition(woken, timeout=delay, timeout_summary=pending[0].kind)
    except TimeoutError:
        pass
