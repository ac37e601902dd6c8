"""The Temporal Schedule that runs ``RetentionWorkflow`` every day (03:00 London), catching up
a run missed while the server was down, one run at a time."""

from __future__ import annotations

from datetime import timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
)

from models.retention import RetentionInput
from workflows.schedules import TIME_ZONE, upsert_schedule

SCHEDULE_ID = "retention"


def build_schedule(task_queue: str, *, hour: int = 3) -> Schedule:
    return Schedule(
        action=ScheduleActionStartWorkflow(
            "RetentionWorkflow", RetentionInput(), id=SCHEDULE_ID, task_queue=task_queue
        ),
        spec=ScheduleSpec(
            calendars=[
                ScheduleCalendarSpec(
                    hour=[ScheduleRange(hour)],
                    minute=[ScheduleRange(0)],
                    second=[ScheduleRange(0)],
                    comment="daily retention",
                )
            ],
            time_zone_name=TIME_ZONE,
        ),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP, catchup_window=timedelta(days=7)),
        state=ScheduleState(note="Deletes presenters' contact details past each board's retention"),
    )


async def sync(client: Client, task_queue: str) -> str:
    await upsert_schedule(client, SCHEDULE_ID, build_schedule(task_queue))
    return SCHEDULE_ID
