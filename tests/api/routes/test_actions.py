"""The human steps of an action through the JSON API; refusals say why and change nothing."""

from __future__ import annotations

import pytest

from models.action import ActionUpdate
from models.inbox import InboxCommand
from tests.api.routes.test_cases import session

pytestmark = pytest.mark.e2e


async def start(api, http, owner) -> dict:
    action = {"text": "Survey every flat", "owner_id": str(owner.id), "due_date": "2099-01-31"}
    body = session(actions=[action])
    receipt = (await http.post("/api/v1/cases", json=body)).json()
    case = (await http.get(f"/api/v1/cases/{receipt['case_id']}")).json()
    return case["actions"][0]


async def test_owner_steps_are_applied_and_logged(api, owner):
    async with api.as_role("engagement_lead") as http:
        action = await start(api, http, owner)
        base = f"/api/v1/actions/{action['id']}"
        ack = await http.post(f"{base}/acknowledge", json={})
        assert (ack.status_code, ack.json()["status"]) == (200, "applied")
        update = await http.post(
            f"{base}/updates", json={"text": "Surveyors booked", "rag": "amber"}
        )
        assert update.status_code == 200
        detail = (await http.get(base)).json()
        assert detail["status"] == "in_progress"
        assert (detail["rag"], detail["rag_cause"], detail["rag_source"]) == (
            "amber",
            "The owner rates it amber",
            "owner",
        )
        assert [(u["kind"], u["text"], u["rag_at_time"]) for u in detail["updates"]] == [
            ("progress", "Surveyors booked", "amber")
        ]
        assert detail["rag_history"][-1]["cause"] == "The owner rates it amber"

        done = await http.post(f"{base}/done", json={"text": "All flats surveyed"})
        assert done.status_code == 200
        closed = (await http.get(base)).json()
        assert (closed["status"], closed["rag"]) == ("done", "blue")
        messages = (await http.get(f"/api/v1/cases/{closed['case_id']}/messages")).json()
        assert "presenter_action_closed" in [m["kind"] for m in messages]


async def test_a_refused_step_is_409_with_the_reason_and_changes_nothing(api, owner):
    async with api.as_role("engagement_lead") as http:
        action = await start(api, http, owner)
        base = f"/api/v1/actions/{action['id']}"
        await http.post(f"{base}/acknowledge", json={})
        again = await http.post(f"{base}/acknowledge", json={})
        assert again.status_code == 409
        assert "not waiting for acknowledgement" in again.json()["detail"]

        await http.post(f"{base}/done", json={"text": "Done"})
        updates_before = api.count(ActionUpdate)
        commands_before = api.count(InboxCommand)
        late = await http.post(f"{base}/updates", json={"text": "One more thing"})
        assert late.status_code == 409
        assert late.json()["detail"] == "This action is closed, so it can no longer be changed."
        assert api.count(ActionUpdate) == updates_before
        assert api.count(InboxCommand) == commands_before


@pytest.mark.parametrize(
    ("path", "body", "field", "words"),
    [
        ("rag-override", {"rag": "green"}, "reason", "Field required"),
        ("rag-override", {"rag": "green", "reason": ""}, "reason", "at least 3 characters"),
        ("rag-override", {"rag": "blue", "reason": "Complete"}, "rag", "Input should be"),
        (
            "due-date",
            {"due_date": "2001-01-01", "reason": "Slipped"},
            "due_date",
            "before the meeting",
        ),
        ("due-date", {"due_date": "next week", "reason": "Slipped"}, "due_date", "valid date"),
        ("updates", {"text": "   "}, "text", "say what has happened"),
        ("updates", {"text": "ok", "rag": "purple"}, "rag", "Input should be"),
        (
            "owner",
            {"owner_id": "7a0c6c1e-9a6b-4e8e-9d2a-1e2f3a4b5c6d"},
            "owner_id",
            "no active owner",
        ),
        ("done", {"text": "ok", "extra": 1}, "extra", "Extra inputs are not permitted"),
    ],
)
async def test_bad_input_names_the_field_and_changes_nothing(api, owner, path, body, field, words):
    async with api.as_role("cv_lead") as http:
        action = await start(api, http, owner)
        commands_before = api.count(InboxCommand)
        response = await http.post(f"/api/v1/actions/{action['id']}/{path}", json=body)
        assert response.status_code == 422, response.text
        errors = response.json()["errors"]
        assert any(e["field"] == field and words in e["message"] for e in errors), errors
        assert api.count(InboxCommand) == commands_before
        after = (await http.get(f"/api/v1/actions/{action['id']}")).json()
        assert after["status"] == action["status"] and after["rag"] == action["rag"]


async def test_unknown_action_is_404(api):
    async with api.as_role("cv_lead") as http:
        response = await http.post(
            "/api/v1/actions/7a0c6c1e-9a6b-4e8e-9d2a-1e2f3a4b5c6d/acknowledge", json={}
        )
    assert response.status_code == 404
    assert "No action with id" in response.json()["detail"]


async def test_only_the_lead_intervenes(api, owner):
    async with api.as_role("engagement_lead") as http:
        action = await start(api, http, owner)
        response = await http.post(
            f"/api/v1/actions/{action['id']}/rag-override", json={"rag": "red", "reason": "Stuck"}
        )
        assert response.status_code == 403
    async with api.as_role("cv_lead") as http:
        response = await http.post(
            f"/api/v1/actions/{action['id']}/rag-override", json={"rag": "red", "reason": "Stuck"}
        )
        assert response.status_code == 200
        detail = (await http.get(f"/api/v1/actions/{action['id']}")).json()
        assert (detail["rag"], detail["rag_source"]) == ("red", "override")


async def test_escalations_are_listed_oldest_first_and_resolved_once(api, owner):
    async with api.as_role("cv_lead") as http:
        action = await start(api, http, owner)
        for reason in ("First worry", "Second worry"):
            await http.post(f"/api/v1/actions/{action['id']}/escalations", json={"reason": reason})
        queue = (await http.get("/api/v1/escalations")).json()
        assert [e["reason"] for e in queue] == ["First worry", "Second worry"]
        first = queue[0]["id"]
        resolved = await http.post(
            f"/api/v1/escalations/{first}/resolve", json={"note": "Called them"}
        )
        assert resolved.status_code == 200
        again = await http.post(f"/api/v1/escalations/{first}/resolve", json={"note": "Again"})
        assert again.status_code == 409
        assert "resolved already" in again.json()["detail"]
        queue = (await http.get("/api/v1/escalations")).json()
        assert [e["reason"] for e in queue] == ["Second worry"]
    async with api.as_role("viewer") as http:
        denied = await http.post(
            f"/api/v1/escalations/{queue[0]['id']}/resolve", json={"note": "Not mine to do"}
        )
        assert denied.status_code == 403
