from datetime import UTC, datetime, timedelta

from models.rag import Rag, RagFacts, RagOverride, RagSource, derive_rag, rag_transitions, shown_rag

NOW = datetime(2027, 3, 22, 12, tzinfo=UTC)
DAY = timedelta(days=1)


def test_done_is_complete():
    assert derive_rag(RagFacts(closed_as_done=True, overdue_at=NOW - DAY), NOW).rag is Rag.blue


def test_red_for_overdue_cannot_deliver_or_open_escalation():
    overdue = derive_rag(RagFacts(overdue_at=NOW - DAY, due_label="21 March 2027"), NOW)
    assert (overdue.rag, overdue.cause) == (Rag.red, "Overdue: it was due 21 March 2027")
    assert derive_rag(RagFacts(cannot_deliver=True), NOW).cause == (
        "The owner says it cannot be delivered"
    )
    assert derive_rag(RagFacts(open_escalations=1), NOW).rag is Rag.red


def test_amber_causes():
    assert derive_rag(RagFacts(amber_from=NOW - DAY, overdue_at=NOW + DAY), NOW).rag is Rag.amber
    assert derive_rag(RagFacts(stale_from=NOW), NOW).cause == "No progress update for too long"
    assert derive_rag(RagFacts(not_acknowledged_from=NOW), NOW).cause == "Not acknowledged in time"
    assert derive_rag(RagFacts(no_owner_from=NOW), NOW).cause == "No owner named in time"


def test_green_otherwise_and_before_each_moment():
    facts = RagFacts(amber_from=NOW + DAY, overdue_at=NOW + 2 * DAY, stale_from=NOW + DAY)
    assert derive_rag(facts, NOW).rag is Rag.green
    assert rag_transitions(facts, NOW) == [NOW + DAY, NOW + DAY, NOW + 2 * DAY]


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
