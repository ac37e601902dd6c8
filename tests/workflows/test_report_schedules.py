"""The report schedules on a real Temporal dev server (the time-skipping test server does not
implement Schedules: its CreateSchedule answers 'unimplemented').

A year is covered with the server's own backfill, which matches the schedules' calendars in
Europe/London and starts each run with its nominal time; an outage is real: no worker polls
while a schedule fires, then one starts.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.db import SessionFactory
from models.policy import LONDON, Policy, PolicyDuration
from models.report import Report, ReportKind
from models.report_timing import annual_moment, digest_moment, quarterly_moment
from services import directory
from services.report_schedules import sync_board
from tests.factories import add_board
from tests.helpers import eventually
from worker.build import build_worker
from workflows.schedules import catch_up, schedule_id

YEAR = 2025
#: Board meetings on the second Thursday; four of them receive the quarterly report.
BOARD_MEETINGS = [
    date(2025, 1, 9),
    date(2025, 2, 13),
    date(2025, 3, 13),
    date(2025, 4, 10),
    date(2025, 5, 8),
    date(2025, 6, 12),
    date(2025, 7, 10),
    date(2025, 9, 11),
    date(2025, 10, 9),
    date(2025, 11, 13),
    date(2025, 12, 11),
]
RECEIVING = {date(2025, 3, 13), date(2025, 6, 12), date(2025, 9, 11), date(2025, 12, 11)}
#: ELG meetings on the last Tuesday of each month.
ELG_MEETINGS = [
    date(2025, 1, 28),
    date(2025, 2, 25),
    date(2025, 3, 25),
    date(2025, 4, 29),
    date(2025, 5, 27),
    date(2025, 6, 24),
    date(2025, 7, 29),
    date(2025, 8, 26),
    date(2025, 9, 30),
    date(2025, 10, 28),
    date(2025, 11, 25),
    date(2025, 12, 30),
]


def add_calendar(sessions: SessionFactory, slug: str = "tht") -> None:
    with sessions() as session:
        for day in BOARD_MEETINGS:
            directory.add_meeting(
                session=session,
                slug=slug,
                body=BoardMeetingBase(
                    kind=MeetingKind.board, date=day, receives_quarterly_report=day in RECEIVING
                ),
            )
        for day in ELG_MEETINGS:
            directory.add_meeting(
                session=session, slug=slug, body=BoardMeetingBase(kind=MeetingKind.elg, date=day)
            )


def reports(sessions: SessionFactory) -> list[Report]:
    with sessions() as session:
        return list(session.exec(select(Report).order_by(Report.scheduled_for)).all())


async def test_a_year_of_meetings_gives_four_quarterly_twelve_digests_one_annual_once_each(
    dev_env: WorkflowEnvironment, sessions: SessionFactory, task_queue: str, executor
) -> None:
    policy = Policy()
    add_board(sessions, policy=policy)
    add_calendar(sessions)
    client = dev_env.client
    await sync_board(client, sessions, "tht", task_queue=task_queue)
    expected = {
        ReportKind.quarterly: sorted(quarterly_moment(policy, d) for d in RECEIVING),
        ReportKind.elg_digest: [digest_moment(policy, d) for d in ELG_MEETINGS],
        ReportKind.annual: [annual_moment(policy, YEAR)],
    }
    # The moments are London times: 9am, whatever the season (8am UTC in summer).
    assert expected[ReportKind.quarterly][0] == datetime(2025, 2, 27, 9, tzinfo=LONDON)
    assert expected[ReportKind.quarterly][1].astimezone(UTC).hour == 8
    # 5 working days before Tuesday 27 May 2025 skip the Spring bank holiday (Monday 26 May).
    assert expected[ReportKind.elg_digest][4].date() == date(2025, 5, 19)

    start = datetime(YEAR, 1, 1, tzinfo=LONDON)
    end = datetime(YEAR + 1, 1, 1, tzinfo=LONDON)
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        await catch_up(client, board="tht", start=start, end=end, kinds=list(ReportKind))
        await eventually(lambda: len(reports(sessions)) >= 17, timeout=60)
        # Caught up a second time (an operator re-running the backfill): nothing doubles.
        await catch_up(client, board="tht", start=start, end=end, kinds=list(ReportKind))
        await asyncio.sleep(3)
        await eventually(lambda: _all_runs_closed(client), timeout=60)
    made = reports(sessions)
    assert len(made) == 17
    for kind, moments in expected.items():
        mine = [r for r in made if r.kind is kind]
        assert [r.scheduled_for for r in mine] == moments, kind
        assert all(r.late for r in mine), "runs made long after their moment are shown late"
        assert all(r.workflow_id.startswith(schedule_id("tht", kind)) for r in mine)
    digests = [r for r in made if r.kind is ReportKind.elg_digest]
    assert [r.meeting_date for r in digests] == ELG_MEETINGS
    quarterly = [r for r in made if r.kind is ReportKind.quarterly]
    assert [r.meeting_date for r in quarterly] == sorted(RECEIVING)
    (annual,) = [r for r in made if r.kind is ReportKind.annual]
    assert (annual.period_start, annual.period_end) == (date(2024, 11, 1), date(2025, 10, 31))


async def _all_runs_closed(client) -> bool:  # type: ignore[no-untyped-def]
    running = [w async for w in client.list_workflows("ExecutionStatus='Running'")]
    return not running


async def test_a_run_missed_while_the_worker_was_down_is_caught_up_late_and_not_doubled(
    dev_env: WorkflowEnvironment,
    sessions: SessionFactory,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> None:
    client = dev_env.client
    policy, moment = seconds_board(sessions, "tht", meeting_in=timedelta(seconds=9))
    # Given the schedules are set while no worker is running,
    await sync_board(client, sessions, "tht", task_queue=task_queue, late_after_seconds=2)
    # when the moment passes with nobody to run it,
    await asyncio.sleep((moment - datetime.now(LONDON)).total_seconds() + 4)
    assert reports(sessions) == []
    # then once a worker is back the run is made, marked late, for its own period.
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        (report,) = await eventually(lambda: reports(sessions), timeout=30)
        assert report.late
        assert report.scheduled_for == moment
        assert report.generated_at - moment >= timedelta(seconds=4)
        # And catching up the same moment again changes nothing.
        await catch_up(
            client,
            board="tht",
            start=moment - timedelta(seconds=1),
            end=moment + timedelta(seconds=1),
            kinds=[ReportKind.elg_digest],
        )
        await asyncio.sleep(2)
        await eventually(lambda: _all_runs_closed(client), timeout=30)
    assert [r.id for r in reports(sessions)] == [report.id]


async def test_a_run_made_at_its_moment_is_not_late(
    dev_env: WorkflowEnvironment,
    sessions: SessionFactory,
    task_queue: str,
    executor: ThreadPoolExecutor,
) -> None:
    client = dev_env.client
    async with build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor):
        _, moment = seconds_board(sessions, "tht", meeting_in=timedelta(seconds=6))
        await sync_board(client, sessions, "tht", task_queue=task_queue, late_after_seconds=2)
        (report,) = await eventually(lambda: reports(sessions), timeout=30)
    assert report.scheduled_for == moment
    assert not report.late


def seconds_board(
    sessions: SessionFactory, slug: str, *, meeting_in: timedelta
) -> tuple[Policy, datetime]:
    """A board whose ELG digest is due 3 seconds before a meeting ``meeting_in`` from now."""
    send = (datetime.now(LONDON) + meeting_in).replace(microsecond=0)
    policy = Policy.in_seconds().model_copy(
        update={
            "elg_digest_lead": PolicyDuration.model_validate("3 seconds"),
            "send_time": send.time(),
        }
    )
    add_board(sessions, slug=slug, policy=policy)
    with sessions() as session:
        directory.add_meeting(
            session=session,
            slug=slug,
            body=BoardMeetingBase(kind=MeetingKind.elg, date=send.date()),
        )
    moment = digest_moment(policy, send.date())
    assert moment == send - timedelta(seconds=3)
    return policy, moment
