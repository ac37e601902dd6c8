"""The RAG rule table (README, "RAG: the rule table"), one test per row, in the table's order:
the first row whose condition holds gives the rating and its cause."""

from datetime import UTC, datetime, timedelta

from models.rag import (
    HISTORICAL_CAUSE,
    LABELS,
    Rag,
    RagFacts,
    RagOverride,
    RagSource,
    derive_rag,
    rag_transitions,
    shown_rag,
)

NOW = datetime(2027, 3, 22, 12, tzinfo=UTC)
DAY = timedelta(days=1)
#: An action with a named owner, due in a month, acknowledged and updated: Green.
LIVE = {"overdue_at": NOW + 30 * DAY, "amber_from": NOW + 16 * DAY, "stale_from": NOW + 20 * DAY}


def rate(**facts: object) -> tuple[Rag, str]:
    found = derive_rag(RagFacts.model_validate({**LIVE, **facts}), NOW)
    return found.rag, found.cause


def test_row_1_historical_record_is_not_rated_even_if_done_or_overdue():
    assert rate(historical=True) == (Rag.not_rated, HISTORICAL_CAUSE)
    assert rate(historical=True, closed_as_done=True)[0] is Rag.not_rated
    assert rate(historical=True, overdue_at=NOW - DAY, no_owner=True)[0] is Rag.not_rated
    assert LABELS[Rag.not_rated] == "Not rated — historical record"


def test_row_2_closed_as_done_is_complete():
    assert rate(closed_as_done=True, overdue_at=NOW - DAY) == (Rag.blue, "Closed as done")


def test_row_3_cannot_deliver_is_red():
    assert rate(cannot_deliver=True) == (Rag.red, "The owner says it cannot be delivered")


def test_row_4_overdue_is_red():
    found = rate(overdue_at=NOW - DAY, due_label="21 March 2027")
    assert found == (Rag.red, "Overdue: it was due 21 March 2027")


def test_row_5_unresolved_escalation_is_red():
    assert rate(open_escalations=1) == (Rag.red, "An escalation on it is unresolved")


def test_row_6_no_owner_after_the_naming_window_is_red():
    assert rate(no_owner=True, no_owner_late_from=NOW) == (Rag.red, "No owner named in time")


def test_row_7_no_owner_within_the_naming_window_is_amber_never_green():
    assert rate(no_owner=True, no_owner_late_from=NOW + DAY) == (Rag.amber, "No owner named yet")


def test_row_8_not_acknowledged_in_time_is_amber():
    assert rate(not_acknowledged_from=NOW) == (Rag.amber, "Not acknowledged in time")


def test_row_9_due_soon_is_amber():
    found = rate(amber_from=NOW - DAY, due_label="30 March 2027")
    assert found == (Rag.amber, "Due soon: 30 March 2027")


def test_row_10_no_due_date_is_amber_never_green():
    found = rate(no_due_date=True, overdue_at=None, amber_from=None)
    assert found == (Rag.amber, "No due date agreed")


def test_row_11_no_update_in_the_staleness_window_is_amber():
    assert rate(stale_from=NOW) == (Rag.amber, "No progress update for too long")


def test_row_12_green_otherwise_and_only_then():
    assert rate() == (Rag.green, "On track")
    facts = RagFacts.model_validate(LIVE)
    assert rag_transitions(facts, NOW) == [NOW + 16 * DAY, NOW + 20 * DAY, NOW + 30 * DAY]


def test_the_naming_window_is_a_moment_to_wake_at():
    facts = RagFacts(no_owner=True, no_owner_late_from=NOW + DAY)
    assert rag_transitions(facts, NOW) == [NOW + DAY]


def test_an_owner_rating_green_cannot_make_no_owner_or_no_due_date_better():
    for facts in (RagFacts(no_owner=True), RagFacts(no_due_date=True)):
        assert shown_rag(derive_rag(facts, NOW), Rag.green, None).rag is Rag.amber


def test_nothing_rates_a_historical_record():
    derived = derive_rag(RagFacts(historical=True), NOW)
    override = RagOverride(
        rag=Rag.green, reason="Agreed", by="Cara", at=NOW, derived_at_time=Rag.not_rated
    )
    assert shown_rag(derived, Rag.green, override).rag is Rag.not_rated


def test_shown_is_the_worse_of_derived_and_owner_unless_overridden():
    derived = derive_rag(RagFacts(), NOW)
    owner_amber = shown_rag(derived, Rag.amber, None)
    assert (owner_amber.rag, owner_amber.source) == (Rag.amber, RagSource.owner)
    red = derive_rag(RagFacts(open_escalations=1), NOW)
    assert shown_rag(red, Rag.green, None).rag is Rag.red
    override = RagOverride(
        rag=Rag.green, reason="Agreed plan", by="Cara", at=NOW, derived_at_time=Rag.red
    )
    shown = shown_rag(red, Rag.red, override)
    assert (shown.rag, shown.source) == (Rag.green, RagSource.override)
    assert shown.cause == "Set by the Community Voice Lead: Agreed plan"
    assert shown_rag(derive_rag(RagFacts(closed_as_done=True), NOW), Rag.red, None).rag is Rag.blue
