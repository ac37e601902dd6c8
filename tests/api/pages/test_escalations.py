"""The escalation queue on the real process: escalations raised by the seconds-long policy on
the Temporal dev server appear oldest first with cause and age, the page's live state changes
when one arrives, and the Community Voice Lead resolves them through the workflow."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlmodel import select

from models.db import SessionFactory
from models.escalation import Escalation, EscalationStatus
from models.policy import Policy
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board
from tests.helpers import eventually
from tests.staff import StaffBrowser, csrf_token, session_form, text_of


class QueueJourney:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.case_paths: list[str] = []

    async def given_a_session_nobody_follows_up(self, lead: StaffBrowser, theme: str) -> None:
        form = session_form(theme=theme, idempotency_key=theme)
        response = await lead.submit("/cases/new", {**form, "intent": "save"})
        assert response.status_code == 303
        self.case_paths.append(response.headers["location"].split("?")[0])

    def open_escalations(self) -> list[Escalation]:
        with self.sessions() as session:
            return list(
                session.exec(
                    select(Escalation)
                    .where(Escalation.status == EscalationStatus.open)
                    .order_by(Escalation.raised_at)
                ).all()
            )

    async def when_escalations_arrive(self, count: int) -> list[Escalation]:
        return await eventually(
            lambda: (rows := self.open_escalations()) and len(rows) >= count and rows,
            timeout=30,
        )


async def test_escalations_arrive_oldest_first_and_are_resolved_with_a_note(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds())
    lead, cv = await process_staff("engagement_lead"), await process_staff("cv_lead")
    journey = QueueJourney(sessions)
    state_before = (await cv.get("/escalations/state.json")).json()
    assert state_before["open"] == 0

    await journey.given_a_session_nobody_follows_up(lead, "Damp and mould")
    await asyncio.sleep(1.2)
    await journey.given_a_session_nobody_follows_up(lead, "Maternity outcomes")
    first, second = await journey.when_escalations_arrive(2)

    state = (await cv.get("/escalations/state.json")).json()
    assert state["open"] == 2 and state["version"] != state_before["version"]
    words = text_of((await cv.get("/escalations")).text)
    assert "2 open escalations, oldest first." in words
    assert words.index("1. Presenters not contacted in time") < words.index("Damp and mould")
    assert words.index("Damp and mould") < words.index("2. Presenters not contacted in time")
    assert words.index("2. Presenters not contacted in time") < words.index("Maternity outcomes")
    assert "open for" in words and "second" in words

    resolve = f"/escalations/{first.id}/resolve"
    response = await cv.submit(resolve, {"note": "", "next": "/escalations"})
    assert response.status_code == 422
    assert "Enter a note saying what was done about it" in text_of(response.text)

    response = await cv.submit(
        resolve, {"note": "Phoned the engagement lead; contact made today.", "next": "/escalations"}
    )
    assert response.status_code == 303
    assert response.headers["location"].startswith("/escalations?command=")
    words = text_of((await cv.get(response.headers["location"])).text)
    assert "Done Escalation resolved." in words
    assert "1 open escalation, oldest first." in words
    assert "Damp and mould" not in words and "Maternity outcomes" in words

    case = text_of((await cv.get(journey.case_paths[0])).text)
    assert (
        "Escalation resolved (Presenters not contacted in time): Phoned the engagement lead; "
        "contact made today." in case
    )
    assert [e.id for e in journey.open_escalations()] == [second.id]


async def test_a_viewer_cannot_resolve_a_real_escalation(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds())
    journey = QueueJourney(sessions)
    await journey.given_a_session_nobody_follows_up(await process_staff("engagement_lead"), "Damp")
    (escalation,) = await journey.when_escalations_arrive(1)
    viewer = await process_staff("viewer")
    words = text_of((await viewer.get("/escalations")).text)
    assert "Presenters not contacted in time" in words
    assert "Resolve with a note" not in words
    token_page = await viewer.get("/sign-out")
    response: Any = await viewer.client.post(
        f"/escalations/{escalation.id}/resolve",
        data={"csrf_token": csrf_token(token_page.text), "note": "Not mine to resolve"},
    )
    assert response.status_code == 403
    assert [e.id for e in journey.open_escalations()] == [escalation.id]


async def test_resolving_twice_says_who_resolved_it_first(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds())
    journey = QueueJourney(sessions)
    await journey.given_a_session_nobody_follows_up(await process_staff("engagement_lead"), "Damp")
    (escalation,) = await journey.when_escalations_arrive(1)
    cv, other = await process_staff("cv_lead"), await process_staff("admin")
    path = f"/escalations/{escalation.id}/resolve"
    stale_form = await other.get(path)
    await cv.submit(path, {"note": "Sorted by phone."})
    response = await other.client.post(
        path,
        data={"csrf_token": csrf_token(stale_form.text), "note": "Me too", "idempotency_key": "x"},
    )
    assert response.status_code == 409
    assert "This escalation was resolved already" in text_of(response.text)
    assert "Me too" in response.text
