"""What an import asks instead of guessing, and the decisions that answer it.

Two kinds of record can mean two things:

- a session recorded as **no specific action** (its status is ``no_action``, or its own outcome
  or "what was said" says "no specific action") that also lists actions: did the board agree
  those actions (``held``), or are they only noted (``no_action``: the session counts as held
  with no specific action, and the listed items are kept on it as *noted*, not tracked)?
- **two sessions in one month** (in the file, or one in the file and one already recorded), where
  at least one is known only by its month or both have the same day: are both real sessions of
  that month's meeting (``same_meeting``), or is this record one to leave out (``skip``)?

A dry run lists each question with its choices; an import with a question unanswered imports
nothing. The answer is the record's ``import_decision`` field or ``cvt import --decide
REF=DECISION`` (which wins).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from models.case import Case, CaseOutcome
from models.formatting import month_year, session_date

if TYPE_CHECKING:
    from services.import_records import ImportedSession

#: The record field that carries a decision.
DECISION_FIELD = "import_decision"
NO_SPECIFIC_ACTION = re.compile(r"\bno specific action", re.IGNORECASE)


class Decision(StrEnum):
    held = "held"  # the listed actions were agreed: track them
    no_action = "no_action"  # held, no specific action: listed items kept as noted
    same_meeting = "same_meeting"  # another session of the same month is a separate session
    skip = "skip"  # leave this record out of the import


DECISION_HELP = {
    Decision.held: "the board agreed these actions: import them as the session's actions",
    Decision.no_action: (
        "held, no specific action agreed: the listed items are kept as noted, not tracked"
    ),
    Decision.same_meeting: "both are real sessions of that month's meeting: import both",
    Decision.skip: "leave this record out (a duplicate, or recorded elsewhere)",
}


def read_decision(value: Any) -> Decision | None:
    if value is None or value == "":
        return None
    try:
        return Decision(str(value).strip())
    except ValueError:
        known = ", ".join(Decision)
        raise ValueError(
            f"{DECISION_FIELD}: '{value}' is not a decision; use one of {known}"
        ) from None


def _how(ref: str, choices: Sequence[Decision]) -> str:
    options = "; ".join(f"'{c.value}' ({DECISION_HELP[c]})" for c in choices)
    return (
        f'Decide: {options}. Give it as "{DECISION_FIELD}": "{choices[0].value}" in the '
        f"record, or on the command line: --decide {ref}={choices[0].value}"
    )


def says_no_specific_action(record: dict[str, Any]) -> str | None:
    """Where the record itself says no specific action was agreed, if it does."""
    for key in ("outcome", "said"):
        if NO_SPECIFIC_ACTION.search(str(record.get(key) or "")):
            return f"its {'outcome' if key == 'outcome' else 'said text'} says so"
    return None


def _noted(action: dict[str, Any]) -> str:
    owner = action.get("owner_as_written")
    return f"{action['text']} (owner as recorded: {owner})" if owner else str(action["text"])


def decide_no_specific_action(
    record: dict[str, Any],
    item: ImportedSession,
    outcome: CaseOutcome,
    actions: list[dict[str, Any]],
) -> CaseOutcome:
    """The session's outcome; asks (``item.questions``) where the record contradicts itself."""
    said_so = "status 'no_action'" if outcome is CaseOutcome.no_action else None
    if outcome is CaseOutcome.held:
        said_so = says_no_specific_action(record)
    if item.decision is Decision.held and actions:
        return CaseOutcome.held if outcome is CaseOutcome.no_action else outcome
    if item.decision is Decision.no_action:
        item.noted += [_noted(a) for a in actions]
        actions.clear()
        item.action_gaps.clear()
        item.owner_emails.clear()
        return CaseOutcome.no_action
    if said_so is None:
        return outcome
    if not actions:
        if outcome is CaseOutcome.held:
            item.gaps.append(
                "recorded as held with no action, and its outcome says no specific action: "
                "imported as held, no specific action agreed"
            )
        return CaseOutcome.no_action
    item.questions.append(
        f"recorded as no specific action ({said_so}) but lists {len(actions)} action(s). "
        + _how(item.source_ref, (Decision.no_action, Decision.held))
    )
    return CaseOutcome.held  # tentatively, so that everything else is still checked


def _month(item: ImportedSession) -> tuple[str, int, int] | None:
    if item.body is None or item.skipped:
        return None
    day = item.body.meeting_date
    return (item.board, day.year, day.month)


def _clash(items: Sequence[ImportedSession]) -> bool:
    """Sessions of one month clash when one is known only by its month, or two share a day."""
    days = [i.body.meeting_date for i in items if i.body is not None]
    return any(i.month_only for i in items) or len(set(days)) < len(days)


def ask_about_same_month(items: Iterable[ImportedSession]) -> None:
    """Two or more records of a file for one month: each asks, unless it is decided."""
    groups: dict[tuple[str, int, int], list[ImportedSession]] = {}
    for item in items:
        key = _month(item)
        if key is not None and not item.errors:
            groups.setdefault(key, []).append(item)
    for group in groups.values():
        if len(group) < 2 or not _clash(group):
            continue
        assert group[0].body is not None
        month = month_year(group[0].body.meeting_date)
        refs = ", ".join(f"{i.source_ref} ({i.where})" for i in group)
        for item in group:
            if item.decision is not Decision.same_meeting:
                item.questions.append(
                    f"{month} has {len(group)} sessions in this file: {refs}. "
                    + _how(item.source_ref, (Decision.same_meeting, Decision.skip))
                )


def ask_about_recorded(item: ImportedSession, recorded: Sequence[Case]) -> None:
    """A record for a month that already has a session recorded here (not from this file)."""
    if item.body is None or item.skipped or item.decision is Decision.same_meeting:
        return
    clashing = [
        c
        for c in recorded
        if item.month_only or c.meeting_month_only or c.meeting_date == item.body.meeting_date
    ]
    if not clashing:
        return
    shown = "; ".join(
        f"{c.theme or c.outcome.value.replace('_', ' ')} ({session_date(c)}, "
        f"{c.source_ref or 'recorded here'})"
        for c in clashing
    )
    item.questions.append(
        f"{month_year(item.body.meeting_date)} already has a session recorded: {shown}. "
        + _how(item.source_ref, (Decision.same_meeting, Decision.skip))
    )
