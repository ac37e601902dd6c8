"""The reports API, staff pages and public page over real HTTP (uvicorn), with the engine on a
Temporal dev server; the pages are also checked in Chromium with axe."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx2
import pytest
from sqlmodel import select
from temporalio.testing import WorkflowEnvironment

from models.board import BoardMeetingBase, MeetingKind
from models.policy import Policy
from models.presenter import Presenter
from services import directory
from tests.a11y.axe import assert_accessible
from tests.browser import chromium
from tests.factories import add_board, staff_headers
from tests.live import app_settings, serve_app
from tests.report_fixtures import commands_for, small_year
from tests.staff import PASSWORD, add_staff
from worker.build import build_worker

pytestmark = [pytest.mark.slow, pytest.mark.a11y]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_review_edit_approve_publish_download_and_the_public_page(
    dev_env: WorkflowEnvironment, engine, sessions, task_queue: str, executor
) -> None:
    client = dev_env.client
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    settings = app_settings(task_queue=task_queue)
    cv_lead = staff_headers(sessions, settings, "cv_lead")
    lead = staff_headers(sessions, settings, "engagement_lead")
    viewer = staff_headers(sessions, settings, "viewer")
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
        body = {"board": "tht", "meeting_date": meeting.isoformat()}
        assert (
            await http.post("/api/v1/reports/quarterly", json=body, headers=viewer)
        ).status_code == 403
        made = await http.post("/api/v1/reports/quarterly", json=body, headers=cv_lead)
        assert made.status_code == 201 and made.json()["created"] is True
        report_id = made.json()["report_id"]
        again = await http.post("/api/v1/reports/quarterly", json=body, headers=cv_lead)
        assert again.json() == {
            **made.json(),
            "created": False,
            "update_targets": [],
            "note": again.json()["note"],
        }

        report = (await http.get(f"/api/v1/reports/{report_id}", headers=viewer)).json()
        assert report["status"] == "draft" and len(report["rows"]) == 5
        first = report["rows"][0]
        assert first["partner_text"] is True
        row_url = f"/api/v1/reports/{report_id}/rows/{first['id']}"
        edit = {"comment": "Every flat was surveyed; letters went to all residents."}
        assert (await http.patch(row_url, json=edit, headers=lead)).status_code == 403
        edited = await http.patch(row_url, json=edit, headers=cv_lead)
        assert edited.status_code == 200
        assert edited.json()["comment_edited_by"] == "Test cv lead"

        # Not public until approved.
        assert report_id not in (await http.get("/public/tht")).text
        assert (await http.get(f"/public/tht/reports/{report_id}")).status_code == 404

        approved = await http.post(f"/api/v1/reports/{report_id}/approve", headers=cv_lead)
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
        frozen = await http.patch(row_url, json={"comment": "Changed later"}, headers=cv_lead)
        assert frozen.status_code == 409 and "cannot be edited" in frozen.json()["detail"]
        rows = (await http.get(f"/api/v1/reports/{report_id}", headers=viewer)).json()["rows"]
        assert rows == [{**report["rows"][0], **edited.json()}, *report["rows"][1:]]

        public = await http.get(f"/public/tht/reports/{report_id}")
        assert public.status_code == 200
        assert edit["comment"] in public.text and "Amina Begum" in public.text
        assert "Bob Green" not in public.text and "@example" not in public.text
        assert f"/public/tht/reports/{report_id}" in (await http.get("/public/tht")).text
        # Amina withdraws her consent: the public record keeps the row, without her name.
        with sessions() as session:
            for amina in session.exec(select(Presenter).where(Presenter.name == "Amina Begum")):
                amina.consent_to_publish_name = False
                session.add(amina)
            session.commit()
        public = await http.get(f"/public/tht/reports/{report_id}")
        assert (
            "Amina Begum" not in public.text and "Tenants&#39; Forum; Carers Centre" in public.text
        )
        staff_copy = (await http.get(f"/api/v1/reports/{report_id}", headers=viewer)).json()
        assert "Amina Begum" in staff_copy["rows"][0]["community_voice"], "approved rows unchanged"
        public_csv = await http.get(f"/public/tht/reports/{report_id}/download.csv")
        assert "Amina" not in public_csv.text

        for fmt, media in (
            ("docx", DOCX),
            ("pdf", "application/pdf"),
            ("csv", "text/csv"),
            ("html", "text/html"),
        ):
            got = await http.get(f"/api/v1/reports/{report_id}/download.{fmt}", headers=viewer)
            assert got.status_code == 200 and got.headers["content-type"].startswith(media)
            assert "attachment" in got.headers["content-disposition"]
        assert (await http.get(f"/api/v1/reports/{report_id}/download.pdf")).status_code == 401
        public_docx = await http.get(f"/public/tht/reports/{report_id}/download.docx")
        assert public_docx.status_code == 200 and public_docx.content[:2] == b"PK"

        annual = await http.post(
            "/api/v1/reports/annual",
            json={
                "board": "tht",
                "period_start": year.period_start.isoformat(),
                "period_end": year.period_end.isoformat(),
            },
            headers=cv_lead,
        )
        annual_id = annual.json()["report_id"]
        early = await http.post(f"/api/v1/reports/{annual_id}/publish", headers=cv_lead)
        assert early.status_code == 409 and "Approve" in early.json()["detail"]
        await http.post(f"/api/v1/reports/{annual_id}/approve", headers=cv_lead)
        published = await http.post(f"/api/v1/reports/{annual_id}/publish", headers=cv_lead)
        assert published.status_code == 200 and published.json()["signalled"] == 5

        # The pages, in a real browser, with axe (WCAG 2.2 A and AA).
        draft = (
            await http.post(
                "/api/v1/reports/quarterly",
                json={"board": "tht", "meeting_date": (meeting + timedelta(days=90)).isoformat()},
                headers=cv_lead,
            )
        ).json()["report_id"]
        draft_rows = (await http.get(f"/api/v1/reports/{draft}", headers=cv_lead)).json()["rows"]
        with sessions() as session:
            directory.add_meeting(
                session=session,
                slug="tht",
                body=BoardMeetingBase(kind=MeetingKind.elg, date=meeting),
            )
        digest = await http.post(
            "/api/v1/reports/elg-digest",
            json={"board": "tht", "meeting_date": meeting.isoformat()},
            headers=cv_lead,
        )
        digest_id = digest.json()["report_id"]
        refused = await http.post(f"/api/v1/reports/{digest_id}/approve", headers=cv_lead)
        assert refused.status_code == 409 and "no approval step" in refused.json()["detail"]
        html = await http.get(f"/api/v1/reports/{digest_id}/download.html", headers=viewer)
        assert "Owners not responding" in html.text and "Damp and mould" in html.text
        assert (await http.get(f"/public/tht/reports/{digest_id}")).status_code == 404
        async with chromium() as browser:
            staff = await browser.new_context(base_url=live.base_url)
            page = await staff.new_page()
            lead_user = add_staff(sessions, "cv_lead")
            await page.goto("/sign-in")
            await page.get_by_label("Email address").fill(lead_user.email)
            await page.get_by_label("Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url(f"{live.base_url}/")
            for path in (
                "/reports",
                f"/reports/{digest_id}",
                f"/reports/{draft}",
                f"/reports/{annual_id}",
                f"/reports/{draft}/names",
                f"/reports/{draft}/rows/{draft_rows[0]['id']}/edit",  # stays open: filled below
            ):
                response = await page.goto(live.base_url + path)
                assert response is not None and response.status == 200, path
                assert page.url == live.base_url + path, "signed in, not sent to sign in"
                await assert_accessible(page)
            await page.fill("#comment", "")
            await page.get_by_role("button", name="Save comment").click()
            await page.wait_for_selector(".nhsuk-error-summary")
            await assert_accessible(page)
            await page.fill("#comment", "Checked with the owner: on track.")
            await page.get_by_role("button", name="Save comment").click()
            await page.wait_for_url(f"{live.base_url}/reports/{draft}")
            assert "Checked with the owner: on track." in await page.content()
            await page.get_by_role("button", name="Approve this report").click()
            await page.wait_for_selector("text=Approved")
            public_page = await (await browser.new_context()).new_page()
            for path in (
                "/public/tht",
                f"/public/tht/reports/{report_id}",
                f"/public/tht/reports/{annual_id}",
            ):
                response = await public_page.goto(live.base_url + path)
                assert response is not None and response.status == 200, path
                await assert_accessible(public_page)
            assert "Bob Green" not in await public_page.content()
    assert uuid.UUID(report_id)
