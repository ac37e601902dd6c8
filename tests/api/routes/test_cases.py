"""POST/GET /api/v1/cases: recording a session starts its workflow; bad input changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from models.case import Case
from models.inbox import InboxCommand

pytestmark = pytest.mark.e2e

TODAY = date.today()


def session(**fields):
    body = {
        "board": "tht",
        "meeting_date": TODAY.isoformat(),
        "outcome": "held",
        "theme": "Damp and mould",
        "said": "Residents described mould in their homes.",
        "presenters": [{"name": "Amina Begum", "email": "amina@example.com"}],
        "actions": [{"text": "Survey every flat"}],
    }
    body.update(fields)
    return body


async def test_recording_a_session_starts_the_case(api, owner):
    async with api.as_role("engagement_lead") as http:
        body = session(actions=[{"text": "Survey every flat", "owner_id": str(owner.id)}])
        response = await http.post("/api/v1/cases", json=body)
        assert response.status_code == 201, response.text
        receipt = response.json()
        assert receipt["status"] == "applied"
        assert response.headers["location"] == f"/api/v1/cases/{receipt['case_id']}"

        case = (await http.get(f"/api/v1/cases/{receipt['case_id']}")).json()
        assert case["theme"] == "Damp and mould"
        assert case["recorded_by"] == "Test engagement lead"
        assert [p["name"] for p in case["presenters"]] == ["Amina Begum"]
        [action] = case["actions"]
        assert (action["owner_name"], action["status"]) == (owner.name, "awaiting_acknowledgement")
        timeline = (await http.get(f"/api/v1/cases/{receipt['case_id']}/timeline")).json()
        assert timeline[0]["verb"] == "case.recorded"
        assert timeline[0]["actor_name"] == "Test engagement lead"
        assert timeline[0]["source"] == "127.0.0.1"


async def test_the_same_idempotency_key_records_one_case(api):
    async with api.as_role("engagement_lead") as http:
        headers = {"Idempotency-Key": "minutes-2026-11-board-item-4"}
        first = await http.post("/api/v1/cases", json=session(), headers=headers)
        second = await http.post("/api/v1/cases", json=session(), headers=headers)
    assert first.json()["command_id"] == second.json()["command_id"]
    assert api.count(Case) == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"board": "nowhere"}, "board", "there is no board 'nowhere'"),
        ({"meeting_date": "23/11/2026"}, "meeting_date", "valid date"),
        (
            {"meeting_date": (TODAY + timedelta(days=3)).isoformat()},
            "meeting_date",
            "is in the future",
        ),
        (
            {"actions": [{"text": "Late", "due_date": (TODAY - timedelta(days=1)).isoformat()}]},
            "actions.0.due_date",
            "is before the meeting",
        ),
        ({"actions": [{"owner_as_written": "Housing"}]}, "actions.0.text", "Field required"),
        (
            {"actions": [{"text": "Survey", "owner_id": "7a0c6c1e-9a6b-4e8e-9d2a-1e2f3a4b5c6d"}]},
            "actions.0.owner_id",
            "no active owner",
        ),
        ({"outcome": "postponed"}, "outcome", "Input should be"),
        ({"theme": None}, "theme", "say what the session was about"),
        ({"presenters": [{"role": "Resident"}]}, "presenters.0", "name or their organisation"),
        (
            {"outcome": "cancelled"},
            "actions",
            "has no agreed actions",
        ),
    ],
)
async def test_bad_sessions_name_the_field_and_record_nothing(api, change, field, words):
    async with api.as_role("engagement_lead") as http:
        response = await http.post("/api/v1/cases", json=session(**change))
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["field"] == field and words in e["message"] for e in errors), errors
    assert api.count(Case) == 0
    assert api.count(InboxCommand) == 0


async def test_malformed_json_is_refused(api):
    async with api.as_role("engagement_lead") as http:
        response = await http.post(
            "/api/v1/cases", content=b"{not json", headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]
    assert api.count(InboxCommand) == 0


async def test_unknown_case_is_404_with_a_message(api):
    async with api.as_role("viewer") as http:
        response = await http.get("/api/v1/cases/7a0c6c1e-9a6b-4e8e-9d2a-1e2f3a4b5c6d")
    assert response.status_code == 404
    assert response.json()["detail"] == "No case with id 7a0c6c1e-9a6b-4e8e-9d2a-1e2f3a4b5c6d."


async def test_roles_are_checked(api):
    async with api.as_role("viewer") as http:
        response = await http.post("/api/v1/cases", json=session())
        assert response.status_code == 403
        assert "viewer" in response.json()["detail"]
        assert (await http.get("/api/v1/cases")).status_code == 200
    async with api.anonymous() as http:
        assert (await http.get("/api/v1/cases")).status_code == 401
        response = await http.get("/api/v1/cases", headers={"Authorization": "Bearer forged"})
        assert response.status_code == 401
    assert api.count(Case) == 0
