"""The ELG digest's wording, its headline figures and its summary by partner.

``report_digest`` reads the month's sections; this module says each thing the same way in all of
them (an action, its partner, its owner, a rating) and counts the headline figures from them.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime
from typing import Any

from models.action import Action
from models.case import Case, CaseOutcome
from models.formatting import session_date
from models.rag import _SEVERITY, LABELS, Rag

NO_PARTNER = "No partner named"


def item(text: str, group: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"text": text, "group": group, **{k: plain(v) for k, v in fields.items()}}


def plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def label(rag: Rag | None) -> str:
    return LABELS.get(rag, str(rag)) if rag is not None else "new"


def severity(rag: Rag | None) -> int:
    return _SEVERITY.get(rag, 0) if rag is not None else 0


def about(a: Action, c: Case) -> str:
    return f"“{a.text}” ({c.theme or 'session'}, {session_date(c)})"


def partner(a: Action) -> str:
    return a.partner_name or NO_PARTNER


def owner(a: Action) -> str:
    if a.owner_name:
        return f"{a.owner_name}, {a.partner_name}" if a.partner_name else a.owner_name
    return f"No named owner ({a.owner_as_written})" if a.owner_as_written else "No owner named"


def plural(n: int, word: str) -> str:
    if word == "person":
        return f"{n} {'person' if n == 1 else 'people'}"
    return f"{n} {word}{'' if n == 1 else 's'}"


def by_partner(
    open_actions: list[Action], changes: list[dict[str, Any]], waiting: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    partners: dict[str, Counter[str]] = {}
    for a in open_actions:
        partners.setdefault(partner(a), Counter())[a.rag.value] += 1
    for change in changes:
        tally = partners.setdefault(change["group"], Counter())
        tally["_worse" if change["worse"] else "_better"] += 1
    out = []
    for name, tally in partners.items():
        ratings = ", ".join(
            f"{tally[r.value]} {LABELS.get(r, r.value)}" for r in worst_first() if tally[r.value]
        )
        total = sum(tally[r.value] for r in worst_first())
        text = f"{name}: {total} open" + (f" ({ratings})" if ratings else "")
        if tally["_worse"] or tally["_better"]:
            text += f"; this month {tally['_worse']} worse, {tally['_better']} better or done"
        quiet = sum(1 for w in waiting if w["partner"] == name)
        if quiet:
            text += f"; {plural(quiet, 'owner')} not responding"
        out.append(item(text, group=name, red=tally["red"], amber=tally["amber"], open=total))
    out.sort(key=lambda i: (-i["red"], -i["amber"], -i["open"], i["group"]))
    return out


def worst_first() -> list[Rag]:
    return sorted(Rag, key=severity, reverse=True)


def headline(
    sections: dict[str, list[dict[str, Any]]], open_actions: list[Action], still_open: int
) -> list[list[str]]:
    sessions = sections["new_sessions"]
    outcomes = Counter(
        CaseOutcome.no_action.value
        if s["outcome"] == CaseOutcome.held.value and not s["actions"]
        else s["outcome"]
        for s in sessions
    )  # held with nothing agreed: no specific action
    not_held = sum(
        outcomes[o.value]
        for o in (CaseOutcome.withdrawn, CaseOutcome.cancelled, CaseOutcome.deferred)
    )
    held = outcomes[CaseOutcome.held.value] + outcomes[CaseOutcome.no_action.value]
    ratings = Counter(a.rag for a in open_actions)
    changes = sections["rag_changes"]
    worse = sum(1 for c in changes if c["worse"])
    waiting = sections["owners_not_responding"]
    return [
        [
            "New sessions",
            f"{len(sessions)} ({held} held, of which "
            f"{outcomes[CaseOutcome.no_action.value]} with no specific action; "
            f"{not_held} withdrawn, cancelled or deferred)",
        ],
        ["Actions agreed at them", str(sum(s["actions"] for s in sessions))],
        [
            "Open actions",
            f"{len(open_actions)}"
            + (
                " ("
                + ", ".join(f"{ratings[r]} {label(r)}" for r in worst_first() if ratings[r])
                + ")"
                if open_actions
                else ""
            ),
        ],
        [
            "Rating changed over the month",
            f"{plural(len(changes), 'action')}: {worse} worse, {len(changes) - worse} "
            "better or done"
            if changes
            else "None",
        ],
        [
            "Escalations",
            f"{len(sections['escalations_opened'])} opened, "
            f"{len(sections['escalations_resolved'])} resolved, {still_open} open",
        ],
        [
            "Owners not responding",
            f"{plural(len(waiting), 'person')}, {sum(w['actions'] for w in waiting)} actions"
            if waiting
            else "None",
        ],
        ["Actions due in the next month", str(len(sections["due_next_month"]))],
    ]
