"""Presenters: what pages show for times, timers and RAG (pure functions)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from api.presenters.case_timeline import timer_view
from api.presenters.rag import rag_tag
from api.presenters.time import age, ago, until
from models.rag import Rag
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
