"""RAG: derived from facts, stated by the owner, overridden by the Community Voice Lead.

DESIGN.md §4. Every rating carries its cause in plain English, so a report can say *why* an
action is red. Pure functions: callers pass ``now``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Rag(StrEnum):
    green = "green"
    amber = "amber"
    red = "red"
    blue = "blue"  # complete: closed as done
    not_rated = "not_rated"  # a historical record: the product makes no claim about it


_SEVERITY = {Rag.not_rated: -1, Rag.blue: 0, Rag.green: 1, Rag.amber: 2, Rag.red: 3}
LABELS = {
    Rag.green: "Green",
    Rag.amber: "Amber",
    Rag.red: "Red",
    Rag.blue: "Complete",
    Rag.not_rated: "Not rated — historical record",
}
#: The cause given for every action imported from past records and not taken on.
HISTORICAL_CAUSE = "Imported from past records: not followed up here unless someone takes it on"


class RagSource(StrEnum):
    derived = "derived"
    owner = "owner"
    override = "override"


class RagAssessment(BaseModel):
    """A rating, why it is what it is, and whose rating it is."""

    model_config = ConfigDict(frozen=True)

    rag: Rag
    cause: str
    source: RagSource = RagSource.derived


class RagOverride(BaseModel):
    """The Community Voice Lead's rating, kept until cleared or until the facts change."""

    model_config = ConfigDict(frozen=True)

    rag: Rag
    reason: str
    by: str
    at: datetime
    derived_at_time: Rag


class RagFacts(BaseModel):
    """What derived RAG is computed from. Times are aware UTC; ``None`` means not applicable."""

    model_config = ConfigDict(frozen=True)

    closed_as_done: bool = False
    cannot_deliver: bool = False
    open_escalations: int = 0
    overdue_at: datetime | None = None
    amber_from: datetime | None = None
    stale_from: datetime | None = None
    not_acknowledged_from: datetime | None = None
    no_owner: bool = False
    no_owner_late_from: datetime | None = None
    no_due_date: bool = False
    historical: bool = False
    due_label: str = ""


def worse(a: RagAssessment, b: RagAssessment) -> RagAssessment:
    return b if _SEVERITY[b.rag] > _SEVERITY[a.rag] else a


def derive_rag(facts: RagFacts, now: datetime) -> RagAssessment:
    """The rating the facts alone give at ``now``, with its cause (the README's rule table).

    Never better than the facts: an open action with no named owner, or no due date, is at
    best Amber; a historical record is not rated at all.
    """
    if facts.historical:
        return RagAssessment(rag=Rag.not_rated, cause=HISTORICAL_CAUSE)
    if facts.closed_as_done:
        return RagAssessment(rag=Rag.blue, cause="Closed as done")
    if facts.cannot_deliver:
        return RagAssessment(rag=Rag.red, cause="The owner says it cannot be delivered")
    if facts.overdue_at is not None and now >= facts.overdue_at:
        return RagAssessment(rag=Rag.red, cause=f"Overdue: it was due {facts.due_label}".strip())
    if facts.open_escalations:
        return RagAssessment(rag=Rag.red, cause="An escalation on it is unresolved")
    if facts.no_owner_late_from is not None and now >= facts.no_owner_late_from:
        return RagAssessment(rag=Rag.red, cause="No owner named in time")
    if facts.no_owner:
        return RagAssessment(rag=Rag.amber, cause="No owner named yet")
    if facts.not_acknowledged_from is not None and now >= facts.not_acknowledged_from:
        return RagAssessment(rag=Rag.amber, cause="Not acknowledged in time")
    if facts.amber_from is not None and now >= facts.amber_from:
        return RagAssessment(rag=Rag.amber, cause=f"Due soon: {facts.due_label}".strip())
    if facts.no_due_date:
        return RagAssessment(rag=Rag.amber, cause="No due date agreed")
    if facts.stale_from is not None and now >= facts.stale_from:
        return RagAssessment(rag=Rag.amber, cause="No progress update for too long")
    return RagAssessment(rag=Rag.green, cause="On track")


def shown_rag(
    derived: RagAssessment, stated: Rag | None, override: RagOverride | None
) -> RagAssessment:
    """The rating people see: the Lead's override, else the worse of derived and the owner's."""
    if derived.rag is Rag.not_rated:
        return derived
    if override is not None:
        return RagAssessment(
            rag=override.rag,
            cause=f"Set by the Community Voice Lead: {override.reason}",
            source=RagSource.override,
        )
    if stated is not None and derived.rag is not Rag.blue:
        owner = RagAssessment(
            rag=stated, cause=f"The owner rates it {LABELS[stated].lower()}", source=RagSource.owner
        )
        return worse(derived, owner)
    return derived


def rag_transitions(facts: RagFacts, now: datetime) -> list[datetime]:
    """Future moments at which the derived rating may change (so a workflow can wake then)."""
    moments = [
        facts.overdue_at,
        facts.amber_from,
        facts.stale_from,
        facts.not_acknowledged_from,
        facts.no_owner_late_from,
    ]
    return sorted(m for m in moments if m is not None and m > now)
