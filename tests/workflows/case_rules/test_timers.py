"""The case's timer rules (workflows/case_rules/timers.py): the engagement lead is reminded to
contact the presenters 5 working days after the meeting and it is escalated after 10, unless
contact is confirmed; through the real workflow on the time-skipping server, and as pure rules.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from models.case import Case
from models.commands import ConfirmPresenterContactBody
from models.db import SessionFactory
from models.escalation import Escalation, EscalationRule, EscalationStatus
from models.inbox import CommandStatus
from models.messages import CaseState
from models.outbox import OutboxMessage, RecipientRole
from models.timer import PendingTimer
from tests.factories import LEAD, add_board, case_input, session_body
from tests.helpers import eventually
from tests.workflows.calendar_anchor import easter_week_monday, london
from tests.workflows.conftest import Scenario
from workflows.case_rules import pending_timers

MINUTE = timedelta(minutes=1)
TWO_PRESENTERS = [
    {"name": "Amina Begum", "organisation": "Tenants' Forum", "email": "amina@example.com"},
    {"organisation": "Carers Centre", "preferred_contact": "Phone via the Carers Centre"},
]


async def test_presenter_contact_reminded_after_5_working_days_and_escalated_after_10(
    scenario: Scenario,
):
    s = scenario
    await s.go_to(london(s.monday, 18))
    case = await s.start(presenters=TWO_PRESENTERS)
    case_id = case.state.record.id
    five = london(s.monday + timedelta(days=9), 9)
    ten = london(s.monday + timedelta(days=16), 9)
    assert {(t.kind, t.due_at) for t in s.rows(PendingTimer, case_id=case_id)} == {
        ("presenter_contact_reminder", five),
        ("presenter_contact_escalation", ten),
    }
    await s.go_to(five - MINUTE)
    assert s.rows(OutboxMessage, kind="presenter_contact_reminder") == []
    await s.go_to(five + MINUTE)
    reminder = (await eventually(lambda: s.rows(OutboxMessage, kind="presenter_contact_reminder")))[
        0
    ]
    assert (reminder.created_at, reminder.recipient_role) == (five, RecipientRole.engagement_lead)
    assert reminder.facts["presenters"] == ["Amina Begum (Tenants' Forum)", "Carers Centre"]

    await s.go_to(ten + MINUTE)
    rule = EscalationRule.presenter_contact_overdue
    escalation = (await eventually(lambda: s.rows(Escalation, rule=rule)))[0]
    assert escalation.raised_at == ten

    receipt = await s.on_case(
        case_id, "confirm_presenter_contact", ConfirmPresenterContactBody(note="Met at the forum")
    )
    assert receipt.status is CommandStatus.applied
    row = s.rows(Case, id=case_id)[0]
    assert row.presenter_contact_note == "Met at the forum"
    assert row.presenter_contact_by == LEAD.name
    assert s.rows(Escalation, id=escalation.id)[0].status is EscalationStatus.resolved
    assert s.rows(PendingTimer, case_id=case_id, action_id=None) == []

    again = await s.on_case(case_id, "confirm_presenter_contact", ConfirmPresenterContactBody())
    assert again.status is CommandStatus.rejected
    assert "already confirmed" in (again.outcome_message or "")


async def test_contact_confirmed_in_time_stops_the_timers(scenario: Scenario):
    s = scenario
    await s.go_to(london(s.monday, 18))
    case = await s.start(presenters=TWO_PRESENTERS)
    await s.go_to(london(s.monday + timedelta(days=1), 10))
    await s.on_case(
        case.state.record.id, "confirm_presenter_contact", ConfirmPresenterContactBody()
    )
    await s.go_to(london(s.monday + timedelta(days=20), 9))
    assert s.rows(OutboxMessage, kind="presenter_contact_reminder") == []
    assert s.rows(Escalation) == []


# --- the rules as pure functions ----------------------------------------------------------------

MONDAY = easter_week_monday(date(2026, 1, 1))


@pytest.fixture
def board(sessions: SessionFactory) -> None:
    add_board(sessions)


def a_case(sessions: SessionFactory, **body: Any) -> CaseState:
    return case_input(
        sessions, session_body(meeting_date=MONDAY, **body), now=london(MONDAY, 18)
    ).state


@pytest.mark.usefixtures("board")
def test_contact_is_chased_from_the_meeting_day(sessions: SessionFactory) -> None:
    s = a_case(sessions, presenters=TWO_PRESENTERS)
    assert [(t.kind, t.due_at) for t in pending_timers(s)] == [
        ("presenter_contact_reminder", london(MONDAY + timedelta(days=9), 9)),
        ("presenter_contact_escalation", london(MONDAY + timedelta(days=16), 9)),
    ]


@pytest.mark.usefixtures("board")
def test_no_one_is_chased_without_presenters_or_for_a_cancelled_meeting(
    sessions: SessionFactory,
) -> None:
    assert pending_timers(a_case(sessions, presenters=[])) == []
    assert pending_timers(a_case(sessions, outcome="cancelled", theme=None, presenters=[])) == []
