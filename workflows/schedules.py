"""Temporal Schedules for reports: one per board and kind, in the Europe/London time zone.

The quarterly and digest schedules list the exact London moments computed from the board's
meeting calendar and policy (a calendar entry per meeting); the annual schedule fires on the
policy's draft day every year. Each kind has its own catch-up window (a run missed while the
server was down is still made, and shown as late) and overlap policy (runs are buffered, never
skipped). Re-syncing after a calendar change updates the schedules in place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleBackfill,
    ScheduleCalendarSpec,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleRange,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
)

from models.policy import LONDON, Policy
from models.report import ReportKind, ReportRunInput
from models.report_timing import annual_moment, digest_moment, quarterly_moment

TIME_ZONE = "Europe/London"


@dataclass(frozen=True)
class KindPolicy:
    catchup_window: timedelta
    overlap: ScheduleOverlapPolicy
    why: str


#: Per report: how long after a missed moment it is still caught up, and what to do when runs
#: overlap. Every run drafts a different period and is idempotent, so runs are buffered in
#: order (never skipped, never run over each other).
KIND_POLICIES = {
    ReportKind.quarterly: KindPolicy(
        timedelta(days=60),
        ScheduleOverlapPolicy.BUFFER_ALL,
        "a missed cut-off is still drafted (late) up to two months on",
    ),
    ReportKind.elg_digest: KindPolicy(
        timedelta(days=31),
        ScheduleOverlapPolicy.BUFFER_ALL,
        "a missed digest is still sent (late) up to a month on",
    ),
    ReportKind.annual: KindPolicy(
        timedelta(days=365),
        ScheduleOverlapPolicy.BUFFER_ALL,
        "a missed annual draft is still made (late) up to a year on",
    ),
}


def schedule_id(board: str, kind: ReportKind) -> str:
    return f"report-{board}-{kind.value.replace('_', '-')}"


def _one(value: int) -> list[ScheduleRange]:
    return [ScheduleRange(value)]


def calendar_at(moment: datetime) -> ScheduleCalendarSpec:
    """A calendar entry matching exactly one London moment."""
    local = moment.astimezone(LONDON)
    return ScheduleCalendarSpec(
        year=_one(local.year),
        month=_one(local.month),
        day_of_month=_one(local.day),
        hour=_one(local.hour),
        minute=_one(local.minute),
        second=_one(local.second),
        comment=local.isoformat(),
    )


def report_moments(
    policy: Policy, kind: ReportKind, meeting_dates: Sequence[date]
) -> list[datetime]:
    moment_of = quarterly_moment if kind is ReportKind.quarterly else digest_moment
    return sorted({moment_of(policy, d) for d in meeting_dates})


def schedule_spec(policy: Policy, kind: ReportKind, meeting_dates: Sequence[date]) -> ScheduleSpec:
    if kind is ReportKind.annual:
        first = annual_moment(policy, 2000)
        calendars = [
            ScheduleCalendarSpec(
                month=_one(first.month),
                day_of_month=_one(first.day),
                hour=_one(first.hour),
                minute=_one(first.minute),
                second=_one(first.second),
                comment="annual draft",
            )
        ]
    else:
        calendars = [calendar_at(m) for m in report_moments(policy, kind, meeting_dates)]
    return ScheduleSpec(calendars=calendars, time_zone_name=TIME_ZONE)


def build_schedule(
    *,
    board: str,
    kind: ReportKind,
    policy: Policy,
    meeting_dates: Sequence[date],
    task_queue: str,
    late_after_seconds: int = 3600,
) -> Schedule:
    rules = KIND_POLICIES[kind]
    spec = schedule_spec(policy, kind, meeting_dates)
    return Schedule(
        action=ScheduleActionStartWorkflow(
            "ReportWorkflow",
            ReportRunInput(board=board, kind=kind, late_after_seconds=late_after_seconds),
            id=schedule_id(board, kind),
            task_queue=task_queue,
        ),
        spec=spec,
        policy=SchedulePolicy(overlap=rules.overlap, catchup_window=rules.catchup_window),
        state=ScheduleState(
            note=f"{kind.value} reports for {board}: {rules.why}",
            paused=not spec.calendars,
        ),
    )


async def upsert_schedule(client: Client, schedule_id_: str, schedule: Schedule) -> None:
    try:
        await client.create_schedule(schedule_id_, schedule)
    except ScheduleAlreadyRunningError:
        handle = client.get_schedule_handle(schedule_id_)

        def replace(_: ScheduleUpdateInput) -> ScheduleUpdate:
            return ScheduleUpdate(schedule=schedule)

        await handle.update(replace)


async def sync_board(
    client: Client,
    *,
    board: str,
    policy: Policy,
    board_meetings: Sequence[date],
    elg_meetings: Sequence[date],
    task_queue: str,
    late_after_seconds: int = 3600,
) -> dict[ReportKind, str]:
    """Create or update the board's three report schedules; returns their ids."""
    dates = {
        ReportKind.quarterly: board_meetings,
        ReportKind.elg_digest: elg_meetings,
        ReportKind.annual: [],
    }
    out = {}
    for kind, meeting_dates in dates.items():
        sid = schedule_id(board, kind)
        await upsert_schedule(
            client,
            sid,
            build_schedule(
                board=board,
                kind=kind,
                policy=policy,
                meeting_dates=meeting_dates,
                task_queue=task_queue,
                late_after_seconds=late_after_seconds,
            ),
        )
        out[kind] = sid
    return out


async def catch_up(
    client: Client, *, board: str, start: datetime, end: datetime, kinds: Sequence[ReportKind]
) -> None:
    """Run every moment of ``kinds`` between ``start`` and ``end`` that has not run (backfill).

    Safe to repeat: a report that exists for its period is left as it is.
    """
    for kind in kinds:
        handle = client.get_schedule_handle(schedule_id(board, kind))
        await handle.backfill(
            ScheduleBackfill(start_at=start, end_at=end, overlap=ScheduleOverlapPolicy.BUFFER_ALL)
        )
