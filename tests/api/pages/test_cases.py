"""The case page and the commands staff give from it, against the real Temporal dev server and
a worker: what the page shows (session, presenters, actions with RAG word and colour, timers,
timeline) and that each button's form goes through the workflow (or says why not)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import select

from models.action import Action, ActionStatus
from models.db import SessionFactory
from models.escalation import Escalation
from models.formatting import clock_time, long_date, short_day
from models.policy import Policy
from models.timer import PendingTimer
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board, add_owner
from tests.helpers import eventually
from tests.staff import StaffBrowser, csrf_token, day_fields, session_form, text_of
from tests.world import today


class CaseJourney:
    """Given/when/then steps on one case page."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.path = ""
        self.response: Any = None

    async def given_a_recorded_session(self, lead: StaffBrowser, **extra: Any) -> None:
        owner = add_owner(self.sessions)
        form = session_form(
            **{
                "actions-0-text": "Survey every flat on the estate",
                "actions-0-owner_id": str(owner.id),
                **day_fields("actions-0-due_date", today() + timedelta(days=90)),
                "actions-1-text": "Write to residents about the survey",
                **extra,
            }
        )
        response = await lead.submit("/cases/new", {**form, "intent": "save"})
        assert response.status_code == 303, text_of(response.text)
        self.path = response.headers["location"].split("?")[0]
        await eventually(lambda: len(self.timers()) >= 4)

    def actions(self) -> list[Action]:
        with self.sessions() as session:
            return list(session.exec(select(Action).order_by(Action.seq)).all())

    def timers(self) -> list[PendingTimer]:
        with self.sessions() as session:
            return list(session.exec(select(PendingTimer).order_by(PendingTimer.due_at)).all())

    async def when_they_open_the_case(self, who: StaffBrowser) -> str:
        self.response = await who.get(self.path)
        assert self.response.status_code == 200
        return text_of(self.response.text)

    async def when_they_send(self, who: StaffBrowser, page: str, data: dict[str, Any]) -> Any:
        self.response = await who.submit(f"{self.path}/{page}", data)
        return self.response

    async def then_the_case_says(self, who: StaffBrowser, *phrases: str) -> None:
        assert self.response.status_code == 303, text_of(self.response.text)
        words = text_of((await who.get(self.response.headers["location"])).text)
        for phrase in phrases:
            assert phrase in words, phrase


async def test_the_case_page_shows_the_session_actions_timers_and_timeline(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    lead = await process_staff("engagement_lead")
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(
        lead, **{"presenters-0-access_needs": "Large print", "presenters-0-language": "Bengali"}
    )
    words = await journey.when_they_open_the_case(lead)
    html = journey.response.text
    for phrase in (
        "Damp and mould",
        "Tower Hamlets Together Board",
        f"Meeting date {long_date(today())}",
        "What was said Residents described mould in their homes.",
        "Amina Begum",
        "Access needs Large print",
        "Language Bengali",
        "Action 1: Survey every flat on the estate",
        "Green On track Status",
        "Status Awaiting acknowledgement",
        f"Due {long_date(today() + timedelta(days=90))}",
        "Action 2: Write to residents about the survey",
        "Status No owner yet",
        "Session recorded: 1 presenter, 2 actions By Test engagement lead",
    ):
        assert phrase in words, phrase
    for noise in ("(from the facts)", "(Held)", "(held)", "presenter(s)"):
        assert noise not in words, noise
    assert '<strong class="nhsuk-tag nhsuk-tag--green app-rag">' in html
    reminder = next(t for t in journey.timers() if t.kind == "acknowledgement_reminder")
    assert (
        f"Owner reminder due {short_day(reminder.due_at)} at {clock_time(reminder.due_at)}" in words
    )
    assert "Reminder to contact the presenters due" in words


async def test_the_case_page_says_how_an_escalation_was_raised_and_how_each_message_went(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds())
    lead = await process_staff("engagement_lead")
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(lead)

    def escalated() -> bool:
        with sessions() as session:
            return session.exec(select(Escalation)).first() is not None

    await eventually(escalated, timeout=30)
    words = await journey.when_they_open_the_case(lead)
    assert "Raised automatically on " in words
    assert "by Rule" not in words
    assert "Amina Begum (presenter) Presenter thanks Waiting to be sent" in words
    assert "(Community Voice Lead) Escalation raised Waiting to be sent" in words
    assert "cv lead" not in words


async def test_each_role_sees_only_the_buttons_it_may_use(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(await process_staff("engagement_lead"))
    lead_words = await journey.when_they_open_the_case(await process_staff("engagement_lead"))
    cv_words = await journey.when_they_open_the_case(await process_staff("cv_lead"))
    viewer_words = await journey.when_they_open_the_case(await process_staff("viewer"))
    for button in (
        "Confirm contact with presenters",
        "Add an action",
        "Reassign for action 1",
        "Name an owner for action 2",
        "Withdraw for action 1",
    ):
        assert button in lead_words and button in cv_words, button
        assert button not in viewer_words, button
    for button in ("Extend the due date for action 1", "Override RAG for action 1"):
        assert button in cv_words and button not in lead_words, button
    assert "What you can do" not in viewer_words


async def test_confirming_contact_goes_through_the_workflow_and_shows_in_the_timeline(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    lead = await process_staff("engagement_lead")
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(lead)
    await journey.when_they_send(lead, "contact", {"note": "Phoned Amina; actions agreed."})
    await journey.then_the_case_says(
        lead,
        "Done Contact with the presenters is confirmed.",
        "Contact with the presenters confirmed: Phoned Amina; actions agreed.",
    )
    words = await journey.when_they_open_the_case(lead)
    assert "Confirm contact with presenters" not in words
    assert "Reminder to contact the presenters" not in words


async def test_extending_a_due_date_needs_a_reason_and_a_real_later_date(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(await process_staff("engagement_lead"))
    cv = await process_staff("cv_lead")
    action = journey.actions()[0]
    page = f"actions/{action.id}/due-date"
    later = today() + timedelta(days=120)

    response = await journey.when_they_send(
        cv, page, {**day_fields("due_date", later), "reason": "x"}
    )
    assert response.status_code == 422
    words = text_of(response.text)
    assert "Reason must be 3 characters or more" in words
    assert f'value="{later.year}"' in response.text  # the date typed is kept

    response = await journey.when_they_send(
        cv,
        page,
        {
            "due_date[day]": "30",
            "due_date[month]": "2",
            "due_date[year]": "2030",
            "reason": "The survey contractor starts later",
        },
    )
    assert response.status_code == 422
    assert "New due date must be a real date" in text_of(response.text)
    assert "The survey contractor starts later" in response.text

    past = today() - timedelta(days=1)
    response = await journey.when_they_send(
        cv, page, {**day_fields("due_date", past), "reason": "Typed the wrong year"}
    )
    assert response.status_code in (409, 422)
    assert "give a" in text_of(response.text)

    await journey.when_they_send(
        cv, page, {**day_fields("due_date", later), "reason": "The survey contractor starts later"}
    )
    await journey.then_the_case_says(
        cv,
        f"Done The action is now due {long_date(later)}.",
        f"Due {long_date(later)}",
        f"to {long_date(later)}: The survey contractor starts later",
    )


async def test_overriding_rag_shows_the_new_word_colour_and_why(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(await process_staff("engagement_lead"))
    cv = await process_staff("cv_lead")
    page = f"actions/{journey.actions()[0].id}/rag"
    response = await journey.when_they_send(cv, page, {"reason": "Survey contractor went bust"})
    assert response.status_code == 422
    assert "Choose the RAG rating" in text_of(response.text)
    await journey.when_they_send(cv, page, {"rag": "red", "reason": "Survey contractor went bust"})
    await journey.then_the_case_says(
        cv,
        "Red Set by the Community Voice Lead: Survey contractor went bust",
        "Clear RAG override for action 1",
    )
    assert '<strong class="nhsuk-tag nhsuk-tag--red app-rag">' in (await cv.get(journey.path)).text


async def test_naming_an_owner_added_on_the_spot_and_adding_an_action(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    lead = await process_staff("engagement_lead")
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(lead)
    unnamed = journey.actions()[1]
    partner = str(journey.actions()[0].partner_id)
    response = await journey.when_they_send(lead, f"actions/{unnamed.id}/owner", {})
    assert response.status_code == 422
    assert "Choose the owner, or add someone who is not in the directory yet" in text_of(
        response.text
    )
    await journey.when_they_send(
        lead,
        f"actions/{unnamed.id}/owner",
        {
            "new_owner_name": "Jo Miah",
            "new_owner_email": "jo.miah@example.gov.uk",
            "new_owner_partner": partner,
        },
    )
    await journey.then_the_case_says(lead, "Owner Jo Miah", "jo.miah@example.gov.uk")

    response = await journey.when_they_send(lead, "add-action", {"text": ""})
    assert "Enter what was agreed" in text_of(response.text)
    await journey.when_they_send(
        lead, "add-action", {"text": "Publish the survey results", "owner_as_written": "Housing"}
    )
    await journey.then_the_case_says(lead, "Done Action 3 added.")
    await eventually(lambda: len(journey.actions()) == 3)
    assert "Action 3: Publish the survey results" in await journey.when_they_open_the_case(lead)


async def test_a_command_the_action_no_longer_allows_is_refused_on_the_form(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    lead = await process_staff("engagement_lead")
    journey = CaseJourney(sessions)
    await journey.given_a_recorded_session(lead)
    page = f"actions/{journey.actions()[0].id}/acknowledge"
    form_page = await lead.get(f"{journey.path}/{page}")
    await journey.when_they_send(lead, page, {"note": "Priya called to say yes"})
    await journey.then_the_case_says(lead, "Acknowledged by Test engagement lead")
    assert journey.actions()[0].status is ActionStatus.in_progress

    again = await lead.client.post(  # the same form, sent again from an old tab
        f"{journey.path}/{page}",
        data={
            "csrf_token": csrf_token(form_page.text),
            "note": "again",
            "idempotency_key": "other",
        },
    )
    assert again.status_code == 409
    assert "is 'in progress', so this cannot apply: it is not waiting for acknowledgement" in (
        text_of(again.text)
    )
    assert "again" in again.text


async def test_unknown_cases_and_bad_ids_are_a_plain_404(process_staff: BrowserFactory) -> None:
    viewer = await process_staff("viewer")
    for path in ("/cases/not-a-uuid", f"/cases/{'0' * 8}-0000-0000-0000-{'0' * 12}"):
        response = await viewer.get(path)
        assert response.status_code == 404
        assert "Page not found" in text_of(response.text)
