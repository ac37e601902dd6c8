"""Drafts on request over real HTTP (uvicorn) with the engine on a Temporal dev server: the
quarterly report for a meeting and a named period, redraft and discard until approval (refused
after it, saying why), the summary of what was said; the pages in Chromium with axe."""

from __future__ import annotations

from datetime import timedelta

import httpx2
import pytest
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.formatting import long_date
from models.policy import Policy
from services import directory
from tests.a11y.axe import assert_accessible
from tests.browser import chromium
from tests.factories import add_board, staff_headers
from tests.live import app_settings, serve_app
from tests.report_fixtures import commands_for, small_year
from tests.staff import PASSWORD, add_staff
from worker.build import build_worker

pytestmark = [pytest.mark.slow, pytest.mark.a11y]

SUMMARY = "Tenants said mould in their flats is making their children ill."


async def test_a_draft_for_a_named_period_then_redraft_discard_and_the_refusals(
    dev_env: WorkflowEnvironment, engine, sessions, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    settings = app_settings(task_queue=task_queue)
    cv_lead = staff_headers(sessions, settings, "cv_lead")
    lead = staff_headers(sessions, settings, "engagement_lead")
    async with (
        build_worker(client, sessions=sessions, task_queue=task_queue, executor=executor),
        serve_app(engine=engine, client=client, settings=settings) as live,
        httpx2.AsyncClient(base_url=live.base_url, timeout=60) as http,
    ):
        year = await small_year(sessions, commands_for(sessions, client, task_queue))
        meeting = year.today + timedelta(days=20)
        with sessions() as session:
            directory.add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(
                    kind=MeetingKind.board, date=meeting, receives_quarterly_report=True
                ),
            )
        start = year.today - timedelta(days=25)
        body = {"board": "tht", "meeting_date": meeting.isoformat()}
        made = await http.post(
            "/api/v1/reports/quarterly",
            json={**body, "period_start": start.isoformat()},
            headers=cv_lead,
        )
        assert made.status_code == 201, made.text
        draft = made.json()
        assert draft["period_note"] == (
            f"Period as asked: {long_date(start)} to {long_date(meeting - timedelta(days=1))}."
        )
        assert (draft["rows"], draft["carried_forward"]) == (4, 1)
        report_id = draft["report_id"]

        bad = await http.post(
            "/api/v1/reports/quarterly",
            json={**body, "period_start": meeting.isoformat()},
            headers=cv_lead,
        )
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "period_start"

        # The engagement lead summarises what was said; the Community Voice Lead approves it.
        case_url = f"/api/v1/cases/{year.case_a}/said-summary"
        wrote = await http.put(case_url, json={"text": SUMMARY}, headers=lead)
        assert wrote.status_code == 200 and wrote.json()["approved_at"] is None
        assert (await http.post(f"{case_url}/approve", headers=lead)).status_code == 403
        approved = await http.post(f"{case_url}/approve", headers=cv_lead)
        assert approved.status_code == 200 and approved.json()["approved_by"] == "Test cv lead"
        rows = (await http.get(f"/api/v1/reports/{report_id}", headers=cv_lead)).json()["rows"]
        carried = next(r for r in rows if r["section"] == "carried_forward")
        assert carried["action"].splitlines()[0] == f"You said: {SUMMARY}"

        redrafted = await http.post(f"/api/v1/reports/{report_id}/redraft", headers=cv_lead)
        assert redrafted.status_code == 201, redrafted.text
        assert redrafted.json()["redrafted"] and redrafted.json()["report_id"] == report_id
        assert redrafted.json()["period_start"] == start.isoformat(), "the period asked is kept"

        assert (await http.delete(f"/api/v1/reports/{report_id}", headers=lead)).status_code == 403
        gone = await http.delete(f"/api/v1/reports/{report_id}", headers=cv_lead)
        assert gone.status_code == 204
        missing = await http.get(f"/api/v1/reports/{report_id}", headers=cv_lead)
        assert missing.status_code == 404

        again = await http.post("/api/v1/reports/quarterly", json=body, headers=cv_lead)
        assert again.status_code == 201 and again.json()["created"]
        assert again.json()["period_note"].startswith(
            "No earlier meeting in the calendar receives the quarterly report"
        )
        await http.post(f"/api/v1/reports/{report_id}/approve", headers=cv_lead)
        for refused in (
            await http.post(f"/api/v1/reports/{report_id}/redraft", headers=cv_lead),
            await http.post(
                "/api/v1/reports/quarterly", json={**body, "redraft": True}, headers=cv_lead
            ),
            await http.delete(f"/api/v1/reports/{report_id}", headers=cv_lead),
        ):
            assert refused.status_code == 409
            assert refused.json()["detail"].startswith("This report was approved on ")
            assert refused.json()["detail"].endswith("cannot be redrafted or discarded.")

        # The pages, in a real browser, with axe: draft for a meeting and a period.
        async with chromium() as browser:
            page = await (await browser.new_context(base_url=live.base_url)).new_page()
            user = add_staff(sessions, "cv_lead")
            await page.goto("/sign-in")
            await page.get_by_label("Email address").fill(user.email)
            await page.get_by_label("Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url(f"{live.base_url}/")
            await page.goto(f"{live.base_url}/reports")
            await page.get_by_role("link", name="Draft a quarterly report now").click()
            await assert_accessible(page)
            await page.get_by_role("button", name="Draft the report").click()
            await page.wait_for_selector(".nhsuk-error-summary")
            assert "Choose the meeting that receives the report" in await page.content()
            await assert_accessible(page)
            later = meeting + timedelta(days=90)
            with sessions() as session:
                directory.add_meeting(
                    session=session,
                    slug="tht",
                    body=BoardMeetingBase(
                        kind=MeetingKind.board, date=later, receives_quarterly_report=True
                    ),
                )
            await page.goto(f"{live.base_url}/reports/quarterly/new")
            await page.get_by_label("Meeting that receives the report").select_option(
                f"tht:{later.isoformat()}"
            )
            await page.get_by_role("button", name="Draft the report").click()
            await page.wait_for_selector("h1:text('Drafted')")
            text = await page.inner_text("main")
            assert (
                f"Period: from the last meeting that received the report ({long_date(meeting)})"
                in text
            )
            assert "Rows: 0 session(s) in the period" in text
            await assert_accessible(page)
            await page.get_by_role("link", name="Open the report").click()
            new_id = page.url.rsplit("/", 1)[1]
            for path in (f"/reports/{new_id}/redraft", f"/reports/{new_id}/discard"):
                await page.goto(live.base_url + path)
                await assert_accessible(page)
            await page.get_by_role("button", name="Discard the draft").click()
            await page.wait_for_selector("h1:text('Draft discarded')")
            await page.goto(f"{live.base_url}/cases/{year.case_b}/said-summary")
            await assert_accessible(page)
            await page.get_by_role("button", name="Save the summary").click()
            await page.wait_for_selector(".nhsuk-error-summary")
            await assert_accessible(page)
            await page.get_by_label("Write the summary").fill("Young people asked for support.")
            await page.get_by_role("button", name="Save the summary").click()
            await page.get_by_role("button", name="Approve the summary").click()
            await page.wait_for_selector("text=the board's papers show it")
            await page.goto(f"{live.base_url}/reports/{report_id}/redraft")
            assert "cannot be redrafted or discarded" in await page.content()
