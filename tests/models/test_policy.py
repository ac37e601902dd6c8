from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from models.policy import LONDON, Policy, PolicyDuration, end_of_day


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("5 working days", 5, "working_days"),
        ("1 working day", 1, "working_days"),
        ("30 days", 30, "days"),
        ("2 hours", 2, "hours"),
        ("10 seconds", 10, "seconds"),
        ("10s", 10, "seconds"),
        ("5wd", 5, "working_days"),
    ],
)
def test_durations_read_as_boards_write_them(text, amount, unit):
    duration = PolicyDuration.model_validate(text)
    assert (duration.amount, duration.unit.value) == (amount, unit)


def test_a_duration_that_is_not_one_says_how_to_write_it():
    with pytest.raises(ValidationError, match="write a whole number and a unit"):
        PolicyDuration.model_validate("a fortnight")


def test_durations_print_in_plain_english():
    assert str(PolicyDuration.model_validate("1 working days")) == "1 working day"
    assert str(PolicyDuration.model_validate("30 days")) == "30 days"


def test_defaults_are_those_of_the_design():
    p = Policy()
    assert str(p.presenter_contact_reminder) == "5 working days"
    assert str(p.acknowledgement_escalation) == "10 working days"
    assert str(p.update_reminder) == "30 days"
    assert str(p.update_escalation) == "44 days"
    assert str(p.amber_window) == "14 days"
    assert str(p.quarterly_cutoff) == "14 days"
    assert str(p.elg_digest_lead) == "5 working days"


def test_day_based_timers_fire_at_9am_london_clock_based_ones_exactly():
    p = Policy()
    start = datetime(2027, 3, 22, 15, 30, tzinfo=UTC)  # GMT; BST starts 28 March
    assert p.after(start, p.acknowledgement_reminder) == datetime(2027, 3, 31, 9, tzinfo=LONDON)
    assert p.after(start, p.update_reminder) == datetime(2027, 4, 21, 9, tzinfo=LONDON)
    fast = Policy.in_seconds()
    assert (fast.after(start, fast.acknowledgement_reminder) - start).total_seconds() == 3


def test_amber_window_counts_back_from_the_end_of_the_due_day():
    p = Policy()
    due = end_of_day(date(2027, 4, 14))
    assert due == datetime(2027, 4, 15, 0, 0, tzinfo=LONDON)
    assert p.before(due, p.amber_window) == datetime(2027, 4, 1, 0, 0, tzinfo=LONDON)


def test_an_escalation_must_come_after_its_reminder():
    with pytest.raises(
        ValidationError, match="update_escalation must be longer than update_reminder"
    ):
        Policy(update_reminder="30 days", update_escalation="20 days")
