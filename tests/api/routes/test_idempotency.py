"""Idempotency-Key on the JSON API: the same key again gets the first answer (status and body,
one command), before any check of the record's state; a key counts for one person, one
operation and one record; the same key with a different request is refused with 422."""

from __future__ import annotations

import pytest
from sqlmodel import select

from models.action import ActionUpdate
from models.case import Case
from models.inbox import InboxCommand
from tests.api.routes.test_actions import start
from tests.api.routes.test_cases import session

pytestmark = pytest.mark.e2e


def key(value: str) -> dict[str, str]:
    return {"Idempotency-Key": value}


async def test_the_same_key_again_gets_the_first_answer_even_after_the_action_closed(api, owner):
    async with api.as_role("engagement_lead") as http:
        action = await start(api, http, owner)
        done = f"/api/v1/actions/{action['id']}/done"
        before = api.count(InboxCommand)
        first = await http.post(done, json={"text": "All flats surveyed"}, headers=key("k-1"))
        assert (first.status_code, first.json()["status"]) == (200, "applied")
        again = await http.post(done, json={"text": "All flats surveyed"}, headers=key("k-1"))
        assert (again.status_code, again.json()) == (first.status_code, first.json())
        assert api.count(InboxCommand) == before + 1
        without_key = await http.post(done, json={"text": "All flats surveyed"})
        assert without_key.status_code == 409  # a new request: the action is closed


async def test_a_key_reused_for_a_different_request_is_refused_and_the_first_kept(api, owner):
    async with api.as_role("engagement_lead") as http:
        action = await start(api, http, owner)
        notes = f"/api/v1/actions/{action['id']}/notes"
        first = await http.post(notes, json={"text": "Called the owner"}, headers=key("k-2"))
        assert first.status_code == 200
        other = await http.post(notes, json={"text": "Something else"}, headers=key("k-2"))
        assert other.status_code == 422
        problem = other.json()
        assert problem["errors"][0]["field"] == "Idempotency-Key"
        assert "used before for a different request" in problem["errors"][0]["message"]
        assert first.json()["command_id"] in problem["errors"][0]["message"]
        with api.sessions() as db:
            texts = [u.text for u in db.exec(select(ActionUpdate)).all()]
        assert "Something else" not in texts and "Called the owner" in texts


async def test_two_people_with_one_key_each_get_their_own_command(api, owner):
    async with api.as_role("engagement_lead") as lead, api.as_role("cv_lead") as cv_lead:
        action = await start(api, lead, owner)
        notes = f"/api/v1/actions/{action['id']}/notes"
        mine = await lead.post(notes, json={"text": "Lead's note"}, headers=key("shared"))
        theirs = await cv_lead.post(notes, json={"text": "CV Lead's note"}, headers=key("shared"))
        assert (mine.status_code, theirs.status_code) == (200, 200)
        assert mine.json()["command_id"] != theirs.json()["command_id"]
        # The same person, the same key, another operation or record: another command too.
        ack = await lead.post(
            f"/api/v1/actions/{action['id']}/acknowledge", json={}, headers=key("shared")
        )
        assert ack.status_code == 200 and ack.json()["kind"] == "acknowledge"
    with api.sessions() as db:
        texts = sorted(u.text for u in db.exec(select(ActionUpdate)).all() if u.kind == "note")
    assert texts == ["CV Lead's note", "Lead's note"]


async def test_recording_a_session_twice_with_one_key_makes_one_case(api, owner):
    body = session(actions=[{"text": "Survey every flat", "owner_id": str(owner.id)}])
    async with api.as_role("engagement_lead") as http:
        first = await http.post("/api/v1/cases", json=body, headers=key("board-item-4"))
        again = await http.post("/api/v1/cases", json=body, headers=key("board-item-4"))
        changed = await http.post(
            "/api/v1/cases", json={**body, "theme": "Another"}, headers=key("board-item-4")
        )
    assert first.status_code == 201
    assert (again.status_code, again.json(), again.headers["location"]) == (
        201,
        first.json(),
        first.headers["location"],
    )
    assert changed.status_code == 422
    assert api.count(Case) == 1
