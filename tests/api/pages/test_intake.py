"""Recording a session with the one intake form: rows added and removed by a server round trip
that keeps everything typed, clear messages on bad input, and a real case started on the real
Temporal dev server when the form is right."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlmodel import select

from models.action import Action, ActionStatus
from models.case import Case
from models.db import SessionFactory
from models.inbox import InboxCommand
from models.partner import Owner
from models.policy import Policy
from models.presenter import Presenter
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board, add_owner
from tests.staff import StaffBrowser, day_fields, session_form, text_of
from tests.world import today


class IntakeJourney:
    """Given/when/then steps of an engagement lead at the intake form (no JavaScript)."""

    def __init__(self, lead: StaffBrowser) -> None:
        self.lead = lead
        self.response: Any = None

    async def when_they_press(self, intent: str, form: dict[str, Any]) -> str:
        self.response = await self.lead.submit("/cases/new", {**form, "intent": intent})
        return str(self.response.text)

    def then_the_page_says(self, *phrases: str) -> None:
        words = text_of(self.response.text)
        for phrase in phrases:
            assert phrase in words, phrase

    def then_the_form_still_holds(self, **values: str) -> None:
        for name, value in values.items():
            field = name.replace("__", "-")
            assert f'name="{field}"' in self.response.text, field
            assert f'value="{value}"' in self.response.text or f">{value}</textarea>" in (
                self.response.text
            ), (field, value)

    def then_the_error_links_to(self, *ids: str) -> None:
        for field_id in ids:
            assert f'href="#{field_id}"' in self.response.text, field_id
            assert f'id="{field_id}"' in self.response.text, field_id


async def test_adding_a_presenter_and_an_action_keeps_everything_typed(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    form = session_form(**{"actions-0-text": "Survey every flat"})
    await journey.when_they_press("add-presenter", form)
    assert journey.response.status_code == 200
    journey.then_the_form_still_holds(
        presenters__0__name="Amina Begum",
        theme="Damp and mould",
        actions__0__text="Survey every flat",
    )
    assert 'name="presenters-1-name"' in journey.response.text
    assert re.search(r'<input[^>]+id="presenters-1-name"[^>]+autofocus>', journey.response.text)
    await journey.when_they_press("add-action", {**form, "presenters-1-name": "Jo Khan"})
    journey.then_the_form_still_holds(presenters__1__name="Jo Khan")
    assert 'name="actions-1-text"' in journey.response.text


async def test_removing_a_presenter_renumbers_the_rest(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    form = session_form(**{"presenters-1-name": "Jo Khan", "presenters-2-name": "Sam Lee"})
    await journey.when_they_press("remove-presenter-0", form)
    journey.then_the_form_still_holds(presenters__0__name="Jo Khan", presenters__1__name="Sam Lee")
    assert "Amina Begum" not in journey.response.text
    assert 'name="presenters-2-name"' not in journey.response.text


async def test_bad_input_gets_a_message_on_each_field_and_loses_nothing(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    owner = add_owner(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    meeting = today()
    form = session_form(
        **{
            "meeting_date[day]": "31",
            "meeting_date[month]": "2",
            "theme": "",
            "presenters-0-email": "amina-at-example",
            "presenters-1-role": "Resident",
            "actions-0-text": "",
            "actions-0-owner_id": str(owner.id),
            "actions-1-text": "Write to residents",
            "actions-1-owner_id": str(owner.id),
            "actions-1-new_owner_name": "Nia New",
            "actions-1-new_owner_email": "nia@example.org",
            **day_fields("actions-1-due_date", meeting - timedelta(days=400)),
            "actions-2-text": "Tell the board",
            "actions-2-due_date[day]": "14",
        }
    )
    await journey.when_they_press("save", form)
    assert journey.response.status_code == 422
    journey.then_the_page_says(
        "There is a problem",
        "Meeting date must be a real date",
        "Enter the theme of the session",
        "Enter presenter 2's name or their organisation",
        "Enter the action agreed (action 1)",
        "Choose an owner from the list, or add someone new below, not both",
        "Due date must include a month and a year",
    )
    journey.then_the_error_links_to(
        "meeting_date-day",
        "theme",
        "presenters-1-name",
        "actions-0-text",
        "actions-1-owner_id",
        "actions-2-due_date-day",
    )
    journey.then_the_form_still_holds(
        presenters__0__email="amina-at-example",
        presenters__1__role="Resident",
        actions__1__new_owner_name="Nia New",
        actions__1__new_owner_email="nia@example.org",
        actions__2__text="Tell the board",
    )
    assert 'value="31"' in journey.response.text


async def test_an_invalid_email_and_a_due_date_before_the_meeting_are_explained(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    form = session_form(
        **{
            "presenters-0-email": "amina-at-example",
            "actions-0-text": "Survey every flat",
            **day_fields("actions-0-due_date", today() - timedelta(days=1)),
        }
    )
    await journey.when_they_press("save", form)
    assert journey.response.status_code == 422
    journey.then_the_page_says("Due date must be on or after the meeting date")
    form.update(day_fields("actions-0-due_date", today()))
    await journey.when_they_press("save", form)
    journey.then_the_page_says(
        "Email address must be an email address in the correct format, like name@example.org"
    )
    journey.then_the_error_links_to("presenters-0-email")


async def test_a_future_meeting_or_unknown_board_is_refused_with_a_reason(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    await journey.when_they_press(
        "save", session_form(**day_fields("meeting_date", today() + timedelta(days=7)))
    )
    assert journey.response.status_code == 422
    journey.then_the_page_says("is in the future: record a session after the board has met")
    journey.then_the_error_links_to("meeting_date-day")
    await journey.when_they_press("save", session_form(board="nowhere"))
    journey.then_the_page_says("there is no board 'nowhere'; use one of: tht")


async def test_actions_only_on_a_session_that_was_held(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    await journey.when_they_press(
        "save", session_form(outcome="withdrawn", **{"actions-0-text": "Survey"})
    )
    journey.then_the_page_says("Only a session that was held can have agreed actions")
    journey.then_the_error_links_to("outcome")


async def test_a_whole_session_starts_its_case_on_the_real_process(
    process_staff: BrowserFactory, sessions: SessionFactory
) -> None:
    """Two presenters, three actions (one owner from the directory, one added on the spot, one
    not named yet): the case workflow records them all, and resubmitting changes nothing."""
    add_board(sessions, policy=Policy.in_seconds(scale=100))
    owner = add_owner(sessions)
    journey = IntakeJourney(await process_staff("engagement_lead"))
    form = session_form(
        **{
            "presenters-1-organisation": "Carers Centre",
            "presenters-1-preferred_contact": "By phone via the centre",
            "presenters-1-access_needs": "Large print",
            "presenters-1-consent_to_publish_name": "yes",
            "presenters-2-name": "",  # a blank row is left out
            "actions-0-text": "Survey every flat on the estate",
            "actions-0-owner_id": str(owner.id),
            **day_fields("actions-0-due_date", today() + timedelta(days=60)),
            "actions-1-text": "Write to residents about the survey",
            "actions-1-new_owner_name": "Nia New",
            "actions-1-new_owner_email": "Nia.New@example.org",
            "actions-1-new_owner_partner": str(owner.partner_id),
            "actions-2-text": "Report back to the board",
            "actions-2-owner_as_written": "Public health team",
        }
    )
    await journey.when_they_press("save", form)
    assert journey.response.status_code == 303, text_of(journey.response.text)
    location = journey.response.headers["location"]
    case_page = await journey.lead.get(location)
    words = text_of(case_page.text)
    assert "Done The session is recorded." in words
    for phrase in (
        "Amina Begum",
        "Carers Centre",
        "Large print",
        "Survey every flat on the estate",
        "Olu Owner",
        "Nia New",
        "Not named yet (minutes say 'Public health team')",
    ):
        assert phrase in words, phrase

    with sessions() as session:
        case = session.exec(select(Case)).one()
        actions = session.exec(select(Action).order_by(Action.seq)).all()
        presenters = session.exec(select(Presenter).order_by(Presenter.seq)).all()
        nia = session.exec(select(Owner).where(Owner.email == "nia.new@example.org")).one()
    assert case.theme == "Damp and mould" and case.recorded_by.startswith("Test engagement lead")
    assert [p.organisation for p in presenters] == [None, "Carers Centre"]
    assert presenters[1].consent_to_publish_name is True
    assert [a.status for a in actions] == [
        ActionStatus.awaiting_acknowledgement,
        ActionStatus.awaiting_acknowledgement,
        ActionStatus.unassigned,
    ]
    assert actions[1].owner_id == nia.id
    assert actions[0].due_date == today() + timedelta(days=60)

    again = await journey.lead.submit("/cases/new", {**form, "intent": "save"})
    assert again.headers["location"].split("?")[0] == location.split("?")[0]
    with sessions() as session:
        assert len(session.exec(select(Case)).all()) == 1
        assert len(session.exec(select(InboxCommand)).all()) == 1
        assert (
            len(session.exec(select(Owner).where(Owner.email == "nia.new@example.org")).all()) == 1
        )


async def test_with_temporal_down_the_session_is_kept_and_the_page_says_so(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    """The app here has no Temporal client: the inbox stores the session for the relay."""
    add_board(sessions)
    journey = IntakeJourney(await staff("engagement_lead"))
    await journey.when_they_press("save", session_form())
    assert journey.response.status_code == 303
    pending = await journey.lead.get(journey.response.headers["location"])
    assert pending.status_code == 202
    assert "The session is being recorded" in text_of(pending.text)
    assert "Nothing you entered is lost." in text_of(pending.text)
    with sessions() as session:
        (row,) = session.exec(select(InboxCommand)).all()
    assert row.kind == "start_case" and row.status.value == "received"
