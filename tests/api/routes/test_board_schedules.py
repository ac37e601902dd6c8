"""Adding a meeting through the API brings the board's report schedules in line (dev server)."""

from __future__ import annotations

from datetime import date

import httpx2
from temporalio.testing import WorkflowEnvironment

from models.policy import Policy
from models.report import ReportKind
from models.report_timing import digest_moment, quarterly_moment
from tests.factories import add_board, staff_headers
from tests.helpers import eventually
from tests.live import app_settings, serve_app
from workflows.schedules import TIME_ZONE, schedule_id


async def test_a_new_meeting_updates_the_schedules(
    dev_env: WorkflowEnvironment, engine, sessions, task_queue: str
) -> None:
    client = dev_env.client
    add_board(sessions)
    settings = app_settings(task_queue=task_queue)
    admin = staff_headers(sessions, settings, "admin")
    meetings = [
        {"kind": "board", "date": "2031-06-12", "receives_quarterly_report": True},
        {"kind": "elg", "date": "2031-06-24"},
    ]
    async with (
        serve_app(engine=engine, client=client, settings=settings) as live,
        httpx2.AsyncClient(base_url=live.base_url) as http,
    ):
        for meeting in meetings:
            made = await http.post("/api/v1/boards/tht/meetings", json=meeting, headers=admin)
            assert made.status_code == 201

        async def times(kind: ReportKind) -> list:
            try:
                described = await client.get_schedule_handle(schedule_id("tht", kind)).describe()
            except Exception:
                return []
            assert described.schedule.spec.time_zone_name == TIME_ZONE
            return described.info.next_action_times

        policy = Policy()
        quarterly = await eventually(lambda: times(ReportKind.quarterly), timeout=60)
        assert quarterly == [quarterly_moment(policy, date(2031, 6, 12))]
        digest = await eventually(lambda: times(ReportKind.elg_digest), timeout=60)
        assert digest == [digest_moment(policy, date(2031, 6, 24))]
        annual = await times(ReportKind.annual)
        assert annual[0].month == 11 and annual[0].day == 1
