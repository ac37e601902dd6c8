"""End to end on a real Temporal dev server: a session with two actions, a policy in seconds,
timers firing on their own, the human steps driven through the HTTP API, and the database and
GET responses checked at each step."""

from __future__ import annotations

from collections import Counter
from datetime import date

import httpx2
import pytest
from sqlmodel import select

from models.outbox import OutboxMessage
from models.policy import Policy
from models.timer import RecordedStep
from tests.factories import add_board, add_owner, staff_headers
from tests.helpers import eventually
from tests.live import app_settings, serve_app

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Reminders after 6 s, escalations after 12 s (Policy.in_seconds(scale=2)).
POLICY = Policy.in_seconds(scale=2)


async def test_a_session_runs_through_the_process(
    dev_env, dev_worker, engine, sessions, task_queue
):
    add_board(sessions, policy=POLICY)
    olu = add_owner(sessions, name="Olu Owner")
    kim = add_owner(sessions, name="Kim Other", partner="London Borough of Tower Hamlets")
    settings = app_settings(task_queue=task_queue)
    async with (
        serve_app(engine=engine, client=dev_env.client, settings=settings) as live,
        httpx2.AsyncClient(
            base_url=live.base_url, headers=staff_headers(sessions, settings, "engagement_lead")
        ) as lead,
        httpx2.AsyncClient(
            base_url=live.base_url, headers=staff_headers(sessions, settings, "cv_lead")
        ) as cv_lead,
    ):

        async def case() -> dict:
            return (await lead.get(f"/api/v1/cases/{case_id}")).json()

        async def action(seq: int) -> dict:
            return next(a for a in (await case())["actions"] if a["seq"] == seq)

        def outbox() -> Counter:
            with sessions() as session:
                return Counter(m.kind for m in session.exec(select(OutboxMessage)).all())

        # Given a session recorded after the board meeting, with one owned and one unowned action
        response = await lead.post(
            "/api/v1/cases",
            json={
                "board": "tht",
                "meeting_date": date.today().isoformat(),
                "theme": "Damp and mould in social housing",
                "said": "Residents described children's asthma made worse by mould.",
                "presenters": [{"name": "Amina Begum", "email": "amina@example.com"}],
                "actions": [
                    {"text": "Survey every flat on the estate", "owner_id": str(olu.id)},
                    {"text": "Write to residents about the survey", "owner_as_written": "Housing"},
                ],
            },
        )
        assert response.status_code == 201, response.text
        case_id = response.json()["case_id"]
        first = await case()
        # No due date agreed yet, and no owner for the second: never better than Amber.
        assert [(a["status"], a["rag"], a["rag_cause"]) for a in first["actions"]] == [
            ("awaiting_acknowledgement", "amber", "No due date agreed"),
            ("unassigned", "amber", "No owner named yet"),
        ]
        timers = await eventually(lambda: _kinds_ready(lead, case_id), timeout=10)
        assert {
            "presenter_contact_reminder",
            "acknowledgement_reminder",
            "owner_naming_reminder",
        } <= timers
        assert outbox()["presenter_thanks"] == 1
        assert outbox()["owner_action_assigned"] == 1

        # When the reminder time passes with nobody doing anything
        await eventually(
            lambda: (
                outbox()["owner_naming_reminder"] == 1
                and outbox()["owner_acknowledgement_reminder"] == 1
                and outbox()["presenter_contact_reminder"] == 1
            ),
            timeout=20,
        )
        # Then the RAG says why (no owner once the naming window has passed: Red)
        assert (await action(1))["rag_cause"] == "Not acknowledged in time"
        assert ((await action(2))["rag"], (await action(2))["rag_cause"]) == (
            "red",
            "No owner named in time",
        )

        # When the engagement lead confirms contact with the presenters
        contact = await lead.post(
            f"/api/v1/cases/{case_id}/presenter-contact", json={"note": "Phoned Amina"}
        )
        assert contact.status_code == 200
        assert (await case())["presenter_contact_note"] == "Phoned Amina"

        # Then at the escalation time only the two action escalations reach the Lead
        queue = await eventually(_queue(cv_lead, 2), timeout=20)
        assert sorted(e["rule"] for e in queue) == ["not_acknowledged", "owner_not_named"]
        assert (await action(1))["rag"] == "red"

        # When the lead names an owner and the first owner acknowledges
        named = await lead.post(
            f"/api/v1/actions/{(await action(2))['id']}/owner", json={"owner_id": str(kim.id)}
        )
        assert named.status_code == 200, named.text
        acknowledged = await lead.post(
            f"/api/v1/actions/{(await action(1))['id']}/acknowledge", json={}
        )
        assert acknowledged.status_code == 200
        # Then both escalations are resolved with the reason, and the RAG follows
        assert (await cv_lead.get("/api/v1/escalations")).json() == []
        # (still no due date agreed, so never better than Amber)
        assert ((await action(1))["status"], (await action(1))["rag"]) == ("in_progress", "amber")
        assert (await action(2))["owner_name"] == "Kim Other"

        # When the owner reports progress, then finishes
        a1 = (await action(1))["id"]
        update = await lead.post(
            f"/api/v1/actions/{a1}/updates", json={"text": "Surveyors booked", "rag": "amber"}
        )
        assert update.status_code == 200
        # The owner's amber and the missing due date agree; the fact is named as the cause.
        assert ((await action(1))["rag"], (await action(1))["rag_cause"]) == (
            "amber",
            "No due date agreed",
        )
        done = await lead.post(
            f"/api/v1/actions/{a1}/done", json={"text": "All 240 flats surveyed"}
        )
        assert done.status_code == 200
        finished = await action(1)
        assert (finished["status"], finished["rag"]) == ("done", "blue")
        assert outbox()["presenter_action_closed"] == 1

        # When the second owner cannot deliver, the Lead is escalated to and closes it
        a2 = (await action(2))["id"]
        await lead.post(f"/api/v1/actions/{a2}/acknowledge", json={})
        cannot = await lead.post(
            f"/api/v1/actions/{a2}/cannot-deliver", json={"reason": "Printing budget is frozen"}
        )
        assert cannot.status_code == 200
        assert ((await action(2))["rag"], (await action(2))["status"]) == ("red", "cannot_deliver")
        [escalation] = (await cv_lead.get("/api/v1/escalations")).json()
        assert escalation["rule"] == "cannot_deliver"
        closed = await cv_lead.post(
            f"/api/v1/actions/{a2}/close", json={"reason": "Agreed with Amina: letters by hand"}
        )
        assert closed.status_code == 200
        # Then the case is closed, and everything happened once
        final = await eventually(lambda: _closed(lead, case_id), timeout=10)
        assert final["actions_open"] == 0
        assert outbox()["presenter_action_closed"] == 2
        assert outbox()["escalation_raised"] == 3
        timeline = (await lead.get(f"/api/v1/cases/{case_id}/timeline")).json()
        verbs = [e["verb"] for e in timeline]
        for verb in (
            "case.recorded",
            "case.presenter_contact_confirmed",
            "action.owner_assigned",
            "action.acknowledged",
            "action.update_posted",
            "action.done",
            "action.cannot_deliver",
            "action.closed",
            "escalation.raised",
            "escalation.resolved",
            "rag.changed",
        ):
            assert verb in verbs, verb
        with sessions() as session:
            keys = [r.key for r in session.exec(select(RecordedStep)).all()]
        assert len(keys) == len(set(keys))


async def _kinds_ready(http: httpx2.AsyncClient, case_id: str) -> set[str] | None:
    timers = (await http.get(f"/api/v1/cases/{case_id}")).json()["timers"]
    kinds = {t["kind"] for t in timers}
    return kinds if len(kinds) >= 5 else None


def _queue(http: httpx2.AsyncClient, size: int):
    async def check() -> list | None:
        queue = (await http.get("/api/v1/escalations")).json()
        return queue if len(queue) >= size else None

    return check


async def _closed(http: httpx2.AsyncClient, case_id: str) -> dict | None:
    case = (await http.get(f"/api/v1/cases/{case_id}")).json()
    return case if case["status"] == "closed" else None
