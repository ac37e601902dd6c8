"""Presenters: what pages show for times, timers and RAG (pure functions)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from api.presenters import navigation
from api.presenters.case_timeline import timer_view
from api.presenters.rag import rag_tag
from api.presenters.time import age, ago, until
from models.rag import Rag
from models.staff import Role, StaffUser
from models.timer import PendingTimer

NOW = datetime(2027, 1, 11, 12, 0, tzinfo=UTC)


def test_relative_times() -> None:
    assert ago(NOW - timedelta(days=3, hours=2), NOW) == "3 days ago"
    assert ago(NOW + timedelta(seconds=40), NOW) == "in 40 seconds"
    assert until(NOW + timedelta(hours=1), NOW) == "in 1 hour"
    assert until(NOW - timedelta(seconds=1), NOW) == "now"
    assert age(NOW - timedelta(weeks=2, days=1), NOW) == "2 weeks"


def test_a_timer_reads_as_owner_reminder_due_on_a_day_at_a_time() -> None:
    timer = PendingTimer(
        key="ack-reminder#1",
        kind="acknowledgement_reminder",
        due_at=datetime(2027, 1, 14, 9, 0, tzinfo=UTC),
        description="Olu Owner reminded to acknowledge",
        workflow_id="action-x",
        case_id=uuid.uuid4(),
    )
    view = timer_view(timer, NOW, "Action 2")
    assert view.text == "Owner reminder due Thu 14 Jan at 9am"
    assert view.relative == "in 2 days"
    assert view.about == "Action 2"


def test_rag_is_always_a_word_with_its_colour() -> None:
    assert rag_tag(Rag.red) == {"text": "Red", "classes": "nhsuk-tag--red app-rag"}
    assert rag_tag(Rag.blue)["text"] == "Complete"
    assert rag_tag(None)["text"] == "Not rated"


def cv_lead(name: str) -> StaffUser:
    return StaffUser(email="cara@example.org", name=name, role=Role.cv_lead, password_hash="-")


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/", "Home"),
        ("/cases", "Cases"),
        ("/cases/new", "Record a session"),
        ("/cases/0b6f3c1e-0000-4000-8000-000000000000/contact", "Cases"),
        ("/directory/import", "Directory"),
        ("/escalations/x/resolve", "Escalations"),
        ("/accessibility", None),
    ],
)
def test_the_menu_marks_one_item_as_the_current_page(path: str, current: str | None) -> None:
    items = navigation.header(cv_lead("Cara Lead"), path)["navigation"]
    assert [i["text"] for i in items if i["current"]] == ([current] if current else [])


def test_the_header_names_the_role_once() -> None:
    for user in (cv_lead("Cara Lead (Community Voice Lead)"), cv_lead("Cara Lead")):
        [who, _sign_out] = navigation.header(user, "/")["account_menu"]["items"]
        assert who["text"] == "Cara Lead (Community Voice Lead)"
