"""The monthly Engagement Leads Group digest, read from SQL: a five-minute read.

It opens with headline figures, then: open actions by partner; owners not responding, one line
a person; each action's net change of rating over the month (not one line a colour change);
escalations opened and resolved; actions due in the next month, by owner; and the new sessions
in date order. Every item carries the group it is shown under (a partner or an owner), so the
page can group it; the email (``report_draft.messages``) carries the headline figures and the
first lines of the most pressing sections, and links to the page for the rest.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from activities.report_cases import held_on, month_meetings
from models.action import Action, RagChange
from models.case import OUTCOME_LABELS, Case, CaseOutcome
from models.escalation import RULE_LABELS, Escalation, EscalationRule, EscalationStatus
from models.formatting import long_date, session_date
from models.policy import LONDON
from models.rag import _SEVERITY, LABELS, Rag
from models.report_timing import months_before

NOT_RESPONDING_RULES = (
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.owner_unreachable,
)
NO_PARTNER = "No partner named"

DIGEST_HEADINGS = {
    "by_partner": "Open actions by partner",
    "owners_not_responding": "Owners not responding",
    "rag_changes": "Net change of rating over the month, by partner",
    "escalations_opened": "Escalations opened",
    "escalations_resolved": "Escalations resolved",
    "due_next_month": "Actions due in the next month, by owner",
    "new_sessions": "New sessions, in date order",
}


def _item(text: str, group: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"text": text, "group": group, **{k: _plain(v) for k, v in fields.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _label(rag: Rag | None) -> str:
    return LABELS.get(rag, str(rag)) if rag is not None else "new"


def _severity(rag: Rag | None) -> int:
    return _SEVERITY.get(rag, 0) if rag is not None else 0


def _about(a: Action, c: Case) -> str:
    return f"“{a.text}” ({c.theme or 'session'}, {session_date(c)})"


def _partner(a: Action) -> str:
    return a.partner_name or NO_PARTNER


def _owner(a: Action) -> str:
    if a.owner_name:
        return f"{a.owner_name}, {a.partner_name}" if a.partner_name else a.owner_name
    return f"No named owner ({a.owner_as_written})" if a.owner_as_written else "No owner named"


def _plural(n: int, word: str) -> str:
    if word == "person":
        return f"{n} {'person' if n == 1 else 'people'}"
    return f"{n} {word}{'' if n == 1 else 's'}"


def _new_sessions(
    session: Session, board_id: uuid.UUID, after: datetime, until: datetime
) -> list[dict[str, Any]]:
    meetings = month_meetings(session, board_id)
    cases = session.exec(
        select(Case).where(
            Case.board_id == board_id, Case.recorded_at > after, Case.recorded_at <= until
        )
    ).all()
    counts = Counter(
        session.exec(
            select(Action.case_id).where(col(Action.case_id).in_([c.id for c in cases]))
        ).all()
    )
    out = []
    for c in sorted(cases, key=lambda c: (held_on(c, meetings), c.recorded_at, str(c.id))):
        n = counts.get(c.id, 0)
        what = OUTCOME_LABELS[c.outcome] + (f": {_plural(n, 'action')}" if n else "")
        out.append(
            _item(
                f"{session_date(c)}: {c.theme or 'no theme recorded'} ({what})",
                case_id=c.id,
                outcome=c.outcome.value,
                actions=n,
            )
        )
    return out


def _net_changes(
    session: Session, board_id: uuid.UUID, after: datetime, until: datetime
) -> list[dict[str, Any]]:
    """One line an action that existed before the month and ends it rated differently."""
    firsts: dict[uuid.UUID, RagChange] = {}
    lasts: dict[uuid.UUID, tuple[RagChange, Action, Case]] = {}
    for ch, a, c in session.exec(
        select(RagChange, Action, Case)
        .join(Action, col(Action.id) == RagChange.action_id)
        .join(Case, col(Case.id) == RagChange.case_id)
        .where(Case.board_id == board_id, RagChange.at > after, RagChange.at <= until)
        .order_by(col(RagChange.at), col(RagChange.id))
    ).all():
        firsts.setdefault(a.id, ch)
        lasts[a.id] = (ch, a, c)
    out = []
    for action_id, (last, a, c) in lasts.items():
        start, end = firsts[action_id].from_rag, last.to_rag
        if start is None or start == end:
            continue  # new this month (see New sessions), or back where it started
        worse = _severity(end) > _severity(start) and end is not Rag.blue
        out.append(
            _item(
                f"{_partner(a)}: {_about(a, c)}: {_label(start)} → {_label(end)}. "
                f"Why: {last.cause}",
                group=_partner(a),
                action_id=a.id,
                case_id=c.id,
                from_rag=start.value,
                to_rag=end.value,
                worse=worse,
                cause=last.cause,
            )
        )
    out.sort(key=lambda i: (i["group"] == NO_PARTNER, i["group"], not i["worse"]))
    return out


def _escalations(
    session: Session, board_id: uuid.UUID, after: datetime, until: datetime
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], int]:
    board_cases = select(Case.id).where(Case.board_id == board_id)
    rows = session.exec(
        select(Escalation, Case)
        .join(Case, col(Case.id) == Escalation.case_id)
        .where(col(Escalation.case_id).in_(board_cases), Escalation.raised_at <= until)
        .order_by(col(Escalation.raised_at))
    ).all()
    ids = [e.action_id for e, _ in rows if e.action_id]
    actions = {a.id: a for a in session.exec(select(Action).where(col(Action.id).in_(ids))).all()}
    opened: list[dict[str, Any]] = []
    resolved: list[dict[str, Any]] = []
    waiting: dict[Any, list[tuple[Escalation, Action]]] = {}
    still_open = 0
    for e, c in rows:
        a = actions.get(e.action_id) if e.action_id else None
        about = _about(a, c) if a else f"{c.theme or 'session'} ({session_date(c)})"
        group = _partner(a) if a else "Sessions"
        if after < e.raised_at:
            opened.append(
                _item(f"{RULE_LABELS[e.rule]}: {about}. {e.reason}", group, escalation_id=e.id)
            )
        if e.resolved_at is not None and after < e.resolved_at <= until:
            resolved.append(
                _item(
                    f"{RULE_LABELS[e.rule]}: {about}. Resolved {long_date(e.resolved_at)}: "
                    f"{e.resolution_note}",
                    group,
                    escalation_id=e.id,
                )
            )
        open_then = e.status is EscalationStatus.open or (
            e.resolved_at is not None and e.resolved_at > until
        )
        still_open += open_then
        if open_then and e.rule in NOT_RESPONDING_RULES and a is not None:
            waiting.setdefault(a.owner_id or a.owner_name or _owner(a), []).append((e, a))
    return opened, resolved, _not_responding(waiting), still_open


def _not_responding(
    waiting: dict[Any, list[tuple[Escalation, Action]]],
) -> list[dict[str, Any]]:
    """One line a person, however many of their actions wait."""
    out = []
    for pairs in waiting.values():
        a = pairs[0][1]
        rules: dict[EscalationRule, list[datetime]] = {}
        for e, _ in pairs:
            rules.setdefault(e.rule, []).append(e.raised_at)
        reasons = "; ".join(
            f"{RULE_LABELS[rule].lower()} ({_plural(len(times), 'action')}, since "
            f"{long_date(min(times))})"
            for rule, times in rules.items()
        )
        n = len({x.id for _, x in pairs})
        out.append(
            _item(
                f"{_owner(a)}: {_plural(n, 'action')} waiting: {reasons}",
                group=_owner(a),
                partner=_partner(a),
                owner=a.owner_name,
                owner_email=a.owner_email,
                actions=n,
            )
        )
    out.sort(key=lambda i: (-i["actions"], i["group"]))
    return out


def _open_actions(session: Session, board_id: uuid.UUID, until: datetime) -> list[Action]:
    return list(
        session.exec(
            select(Action)
            .join(Case, col(Case.id) == Action.case_id)
            .where(
                Case.board_id == board_id,
                Action.created_at <= until,
                col(Action.closed_at).is_(None),
            )
        ).all()
    )


def _by_partner(
    open_actions: list[Action], changes: list[dict[str, Any]], waiting: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    partners: dict[str, Counter[str]] = {}
    for a in open_actions:
        partners.setdefault(_partner(a), Counter())[a.rag.value] += 1
    for change in changes:
        tally = partners.setdefault(change["group"], Counter())
        tally["_worse" if change["worse"] else "_better"] += 1
    out = []
    for name, tally in partners.items():
        ratings = ", ".join(
            f"{tally[r.value]} {LABELS.get(r, r.value)}" for r in _worst_first() if tally[r.value]
        )
        total = sum(tally[r.value] for r in _worst_first())
        text = f"{name}: {total} open" + (f" ({ratings})" if ratings else "")
        if tally["_worse"] or tally["_better"]:
            text += f"; this month {tally['_worse']} worse, {tally['_better']} better or done"
        quiet = sum(1 for w in waiting if w["partner"] == name)
        if quiet:
            text += f"; {_plural(quiet, 'owner')} not responding"
        out.append(_item(text, group=name, red=tally["red"], amber=tally["amber"], open=total))
    out.sort(key=lambda i: (-i["red"], -i["amber"], -i["open"], i["group"]))
    return out


def _worst_first() -> list[Rag]:
    return sorted(Rag, key=_severity, reverse=True)


def _due_next_month(
    open_actions: list[Action], cases: dict[uuid.UUID, Case], until: datetime
) -> list[dict[str, Any]]:
    first = until.astimezone(LONDON).date()
    last = months_before(first, -1)
    due = [a for a in open_actions if a.due_date is not None and first <= a.due_date < last]
    due.sort(key=lambda a: (_owner(a), a.due_date))
    return [
        _item(
            f"{_owner(a)}: {_about(a, cases[a.case_id])}: due {long_date(a.due_date)}, "
            f"{_label(a.rag)}",
            group=_owner(a),
            action_id=a.id,
            rag=a.rag.value,
        )
        for a in due
    ]


def digest_sections(
    session: Session, board_id: uuid.UUID, *, after: datetime, until: datetime
) -> dict[str, Any]:
    """What the Engagement Leads Group hears about the month (after, until]: the headline
    figures (``headline``: label and value) and the sections (``sections``)."""
    new_sessions = _new_sessions(session, board_id, after, until)
    changes = _net_changes(session, board_id, after, until)
    opened, resolved, waiting, still_open = _escalations(session, board_id, after, until)
    open_actions = _open_actions(session, board_id, until)
    case_ids = {a.case_id for a in open_actions}
    cases = {c.id: c for c in session.exec(select(Case).where(col(Case.id).in_(case_ids))).all()}
    due = _due_next_month(open_actions, cases, until)
    sections = {
        "by_partner": _by_partner(open_actions, changes, waiting),
        "owners_not_responding": waiting,
        "rag_changes": changes,
        "escalations_opened": opened,
        "escalations_resolved": resolved,
        "due_next_month": due,
        "new_sessions": new_sessions,
    }
    return {"headline": headline(sections, open_actions, still_open), "sections": sections}


def headline(
    sections: dict[str, list[dict[str, Any]]], open_actions: list[Action], still_open: int
) -> list[list[str]]:
    sessions = sections["new_sessions"]
    outcomes = Counter(s["outcome"] for s in sessions)
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
                + ", ".join(f"{ratings[r]} {_label(r)}" for r in _worst_first() if ratings[r])
                + ")"
                if open_actions
                else ""
            ),
        ],
        [
            "Rating changed over the month",
            f"{_plural(len(changes), 'action')}: {worse} worse, {len(changes) - worse} "
            "better or done",
        ],
        [
            "Escalations",
            f"{len(sections['escalations_opened'])} opened, "
            f"{len(sections['escalations_resolved'])} resolved, {still_open} open",
        ],
        [
            "Owners not responding",
            f"{_plural(len(waiting), 'person')}, {sum(w['actions'] for w in waiting)} actions"
            if waiting
            else "None",
        ],
        ["Actions due in the next month", str(len(sections["due_next_month"]))],
    ]
