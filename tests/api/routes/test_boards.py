"""Boards carry the process policy: durations as a board writes them, down to seconds."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

BOARD = {
    "slug": "newham",
    "name": "Newham Health and Care Partnership Board",
    "engagement_lead_name": "Nia",
    "engagement_lead_email": "nia@example.org",
    "cv_lead_name": "Cal",
    "cv_lead_email": "cal@example.org",
}


async def test_a_board_with_a_policy_in_seconds(api):
    async with api.as_role("admin") as http:
        policy = {
            "acknowledgement_reminder": "20 seconds",
            "acknowledgement_escalation": "40 seconds",
        }
        response = await http.post("/api/v1/boards", json={**BOARD, "policy": policy})
        assert response.status_code == 201, response.text
        saved = response.json()["policy"]
        assert saved["acknowledgement_reminder"] == {"amount": 20, "unit": "seconds"}
        assert saved["owner_naming_reminder"] == {"amount": 5, "unit": "working_days"}


@pytest.mark.parametrize(
    ("policy", "field", "words"),
    [
        ({"update_reminder": "5 fortnights"}, "policy.update_reminder", "is not a duration"),
        (
            {
                "acknowledgement_reminder": "10 working days",
                "acknowledgement_escalation": "5 working days",
            },
            "policy",
            "acknowledgement_escalation must be longer than acknowledgement_reminder",
        ),
    ],
)
async def test_a_bad_policy_says_which_duration_and_why(api, policy, field, words):
    async with api.as_role("admin") as http:
        response = await http.post("/api/v1/boards", json={**BOARD, "policy": policy})
        assert response.status_code == 422
        errors = response.json()["errors"]
        assert any(e["field"] == field and words in e["message"] for e in errors), errors
        assert (await http.get("/api/v1/boards/newham")).status_code == 404


async def test_only_admins_manage_boards(api):
    async with api.as_role("cv_lead") as http:
        assert (await http.post("/api/v1/boards", json=BOARD)).status_code == 403


async def test_a_required_field_set_to_null_is_refused_by_field_and_nothing_changes(
    live_app, sessions
):
    """Found by the OpenAPI run: null for a field every board must have was a 500."""
    import httpx2

    from tests.factories import add_board, staff_headers

    add_board(sessions)
    headers = staff_headers(sessions, live_app.settings, "admin")
    async with httpx2.AsyncClient(base_url=live_app.base_url, headers=headers) as http:
        for field in ("name", "engagement_lead_name", "cv_lead_email", "officials_in_public"):
            answer = await http.patch("/api/v1/boards/tht", json={field: None})
            assert answer.status_code == 422, answer.text
            assert answer.json()["errors"][0]["field"] == field
        kept = await http.patch("/api/v1/boards/tht", json={"paper_author": None})
        assert kept.status_code == 200
        assert kept.json()["engagement_lead_name"] == "Eve Engagement"


async def test_a_meeting_outside_the_calendars_years_is_refused_by_field(live_app, sessions):
    """Found by the OpenAPI run: a meeting in 2858 made syncing the schedules a 500."""
    import httpx2

    from tests.factories import add_board, staff_headers

    add_board(sessions)
    headers = staff_headers(sessions, live_app.settings, "admin")
    async with httpx2.AsyncClient(base_url=live_app.base_url, headers=headers) as http:
        answer = await http.post("/api/v1/boards/tht/meetings", json={"date": "2858-01-01"})
        assert answer.status_code == 422, answer.text
        assert answer.json()["errors"][0]["field"] == "date"
        assert (await http.get("/api/v1/boards/tht/meetings")).json() == []
