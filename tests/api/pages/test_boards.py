"""Board settings (administrators): contacts, policy durations with DESIGN.md §5's defaults,
and the meeting calendar. Real app over HTTP, real SQLite."""

from __future__ import annotations

import html
from datetime import date

from sqlmodel import select

from models.board import Board, BoardMeeting, MeetingKind, OfficialsInPublic
from models.db import SessionFactory
from models.policy import Policy, PolicyDuration
from tests.api.pages.conftest import BrowserFactory
from tests.factories import add_board
from tests.staff import StaffBrowser, csrf_token, text_of

SETTINGS = "/boards/tht/settings"


def _board(sessions: SessionFactory) -> Board:
    with sessions() as session:
        return session.exec(select(Board).where(Board.slug == "tht")).one()


async def _current_form(admin: StaffBrowser) -> dict[str, str]:
    """The settings form as the page fills it in."""
    import re

    page = (await admin.get(SETTINGS)).text.split('id="calendar"')[0]
    form = {}
    for tag in re.findall(r"<input [^>]+>", page):
        if re.search(r'type="(radio|checkbox)"', tag) and " checked" not in tag:
            continue  # as a browser sends it: only the chosen option
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if name and value and name.group(1) != "csrf_token":
            form[name.group(1)] = html.unescape(value.group(1))
    return form


async def test_the_page_shows_the_policy_with_the_design_defaults(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    form = await _current_form(admin)
    assert form["presenter_contact_reminder"] == "5 working days"
    assert form["presenter_contact_escalation"] == "10 working days"
    assert form["update_reminder"] == "30 days" and form["update_escalation"] == "44 days"
    assert form["quarterly_cutoff"] == "14 days"
    assert form["send_time"] == "09:00"
    assert "Default: 5 working days" in text_of((await admin.get(SETTINGS)).text)


async def test_saving_a_new_policy_and_contacts(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    form = await _current_form(admin)
    form.update(
        acknowledgement_reminder="3 working days",
        acknowledgement_escalation="7 working days",
        amber_window="21 days",
        cv_lead_name="Rosa Lead",
    )
    response = await admin.submit(SETTINGS, form)
    assert response.headers["location"] == f"{SETTINGS}?done=saved"
    board = _board(sessions)
    assert board.cv_lead_name == "Rosa Lead"
    assert board.policy.acknowledgement_reminder == PolicyDuration.model_validate("3 working days")
    assert board.policy.amber_window == PolicyDuration.model_validate("21 days")


async def test_saving_the_form_keeps_every_policy_setting_it_was_not_asked_to_change(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    with sessions() as session:
        board = session.exec(select(Board).where(Board.slug == "tht")).one()
        board.policy_json = {**board.policy_json, "reminder_gathering": "2 days"}
        session.add(board)
        session.commit()
    admin = await staff("admin")
    form = await _current_form(admin)
    assert form["reminder_gathering"] == "2 days"
    form.update(cv_lead_name="Rosa Lead")
    response = await admin.submit(SETTINGS, form)
    assert response.headers["location"] == f"{SETTINGS}?done=saved"
    saved = _board(sessions)
    assert saved.cv_lead_name == "Rosa Lead"
    assert saved.policy.reminder_gathering == PolicyDuration.model_validate("2 days")
    assert saved.policy.send_time == Policy().send_time


async def test_the_board_chooses_how_public_papers_name_officials(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    page = (await admin.get(SETTINGS)).text
    assert 'value="named" checked' in page
    form = await _current_form(admin)
    form["officials_in_public"] = "role_only"
    response = await admin.submit(SETTINGS, form)
    assert response.headers["location"] == f"{SETTINGS}?done=saved"
    assert _board(sessions).officials_in_public is OfficialsInPublic.role_only
    assert 'value="role_only" checked' in (await admin.get(SETTINGS)).text


async def test_the_cover_sheet_of_the_boards_papers_is_set_and_cleared(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    assert "Board papers: the cover sheet" in text_of((await admin.get(SETTINGS)).text)
    form = await _current_form(admin)
    assert form["paper_agenda_item"] == "" and form["paper_author"] == ""
    form.update(
        paper_agenda_item="Item 4: Community Voice",
        paper_presenter="Rosa Lead, Community Voice Lead",
        paper_recommendation="The Board is asked to note the report.",
    )
    response = await admin.submit(SETTINGS, form)
    assert response.headers["location"] == f"{SETTINGS}?done=saved"
    board = _board(sessions)
    assert board.paper_agenda_item == "Item 4: Community Voice"
    assert board.paper_presenter == "Rosa Lead, Community Voice Lead"
    assert board.paper_recommendation == "The Board is asked to note the report."
    assert board.paper_author is None, "empty: the usual wording"
    page = (await admin.get(SETTINGS)).text
    assert "The Board is asked to note the report.</textarea>" in page

    form = await _current_form(admin)
    form["paper_agenda_item"] = ""
    await admin.submit(SETTINGS, form)
    assert _board(sessions).paper_agenda_item is None


async def test_bad_durations_are_explained_and_nothing_is_lost(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    form = await _current_form(admin)
    form.update(
        update_reminder="a month",
        cv_lead_email="cara-at-example",
    )
    response = await admin.submit(SETTINGS, form)
    assert response.status_code == 422
    words = text_of(response.text)
    assert "Reminder when there is no progress update: 'a month' is not a duration" in words
    assert 'href="#update_reminder"' in response.text
    assert "Community Voice Lead's email address must be an email address" in words
    assert 'value="a month"' in response.text and 'value="cara-at-example"' in response.text
    assert _board(sessions).policy == Policy()


async def test_the_cross_check_of_reminder_and_escalation_is_named(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    form = await _current_form(admin)
    form.update(owner_naming_escalation="2 working days")
    response = await admin.submit(SETTINGS, form)
    assert response.status_code == 422
    assert (
        "'Escalation if no owner is named' must be longer than 'Reminder to name an owner'"
        in text_of(response.text)
    )
    assert 'href="#owner_naming_escalation"' in response.text


async def test_fill_in_the_default_timetable(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions, policy=Policy.in_seconds())
    admin = await staff("admin")
    form = await _current_form(admin)
    assert form["presenter_contact_reminder"] == "3 seconds"
    response = await admin.submit(SETTINGS, {**form, "reset": "defaults"})
    assert 'value="5 working days"' in response.text
    assert _board(sessions).policy == Policy.in_seconds()  # filled in, not saved yet


async def test_the_meeting_calendar(staff: BrowserFactory, sessions: SessionFactory) -> None:
    add_board(sessions)
    admin = await staff("admin")
    meetings = "/boards/tht/meetings"
    response = await admin.submit(
        meetings,
        {
            "kind": "elg",
            "date[day]": "12",
            "date[month]": "3",
            "date[year]": "2027",
            "receives_quarterly_report": "yes",
        },
        form_page=SETTINGS,
    )
    assert response.status_code == 422
    assert "Only board meetings receive the quarterly report" in text_of(response.text)
    response = await admin.submit(
        meetings,
        {"kind": "board", "date[day]": "31", "date[month]": "4", "date[year]": "2027"},
        form_page=SETTINGS,
    )
    assert "Meeting date must be a real date" in text_of(response.text)
    assert 'href="#date-day"' in response.text

    response = await admin.submit(
        meetings,
        {
            "kind": "board",
            "date[day]": "14",
            "date[month]": "1",
            "date[year]": "2027",
            "receives_quarterly_report": "yes",
        },
        form_page=SETTINGS,
    )
    assert response.headers["location"] == f"{SETTINGS}?done=meeting#calendar"
    with sessions() as session:
        (meeting,) = session.exec(select(BoardMeeting)).all()
    assert (meeting.kind, meeting.date, meeting.receives_quarterly_report) == (
        MeetingKind.board,
        date(2027, 1, 14),
        True,
    )
    words = text_of((await admin.get(SETTINGS)).text)
    assert "14 January 2027 Board meeting Receives it" in words

    page = await admin.get(SETTINGS)
    token = csrf_token(page.text)
    await admin.client.post(
        f"/boards/tht/meetings/{meeting.id}",
        data={"csrf_token": token, "intent": "toggle", "receives_quarterly_report": "no"},
    )
    with sessions() as session:
        assert session.get(BoardMeeting, meeting.id).receives_quarterly_report is False  # type: ignore[union-attr]
    await admin.client.post(
        f"/boards/tht/meetings/{meeting.id}", data={"csrf_token": token, "intent": "remove"}
    )
    with sessions() as session:
        assert session.exec(select(BoardMeeting)).all() == []


async def test_an_unknown_board_is_a_404(staff: BrowserFactory) -> None:
    admin = await staff("admin")
    response = await admin.get("/boards/nowhere/settings")
    assert response.status_code == 404
    assert "No board 'nowhere'." in text_of(response.text)


async def test_a_meeting_in_a_year_the_calendar_does_not_know_is_explained(
    staff: BrowserFactory, sessions: SessionFactory
) -> None:
    add_board(sessions)
    admin = await staff("admin")
    response = await admin.submit(
        "/boards/tht/meetings",
        {"kind": "board", "date[day]": "1", "date[month]": "1", "date[year]": "2858"},
        form_page=SETTINGS,
    )
    assert response.status_code == 422
    assert "Meeting date must be in the years 2000 to 2099" in text_of(response.text)
