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
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from activities.report_cases import held_on, month_meetings
from activities.report_digest_figures import (
    NO_PARTNER,
    about,
    by_partner,
    headline,
    item,
    label,
    owner,
    partner,
    plural,
    severity,
)
from models.action import Action, RagChange
from models.case import OUTCOME_LABELS, Case
from models.escalation import RULE_LABELS, Escalation, EscalationRule, EscalationStatus
from models.formatting import long_date, session_date
from models.policy import LONDON
from models.rag import Rag
from models.report_timing import months_before

NOT_RESPONDING_RULES = (
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.owner_unreachable,
)

DIGEST_HEADINGS = {
    "by_partner": "Open actions by partner",
    "owners_not_responding": "Owners not responding",
    "rag_changes": "Net change of rating over the month, by partner",
    "escalations_opened": "Escalations opened",
    "escalations_resolved": "Escalations resolved",
    "due_next_month": "Actions due in the next month, by owner",
    "new_sessions": "New sessions, in date order",
}


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
        what = OUTCOME_LABELS[c.outcome] + (f": {plural(n, 'action')}" if n else "")
        out.append(
            item(
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
    """One line an action that ends the month rated differently from how it began it (or, if
    agreed this month, from the rating it started with)."""
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
        first = firsts[action_id]
        new = first.from_rag is None  # agreed this month: from the rating it started with
        start, end = (first.to_rag if new else first.from_rag), last.to_rag
        if start is None or start == end:
            continue  # back where it started (or new, and still as it started)
        worse = severity(end) > severity(start) and end is not Rag.blue
        out.append(
            item(
                f"{partner(a)}: {about(a, c)}: {'new, ' if new else ''}{label(start)} → "
                f"{label(end)}. Why: {last.cause}",
                group=partner(a),
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
        what = about(a, c) if a else f"{c.theme or 'session'} ({session_date(c)})"
        group = partner(a) if a else "Sessions"
        if after < e.raised_at:
            opened.append(
                item(f"{RULE_LABELS[e.rule]}: {what}. {e.reason}", group, escalation_id=e.id)
            )
        if e.resolved_at is not None and after < e.resolved_at <= until:
            resolved.append(
                item(
                    f"{RULE_LABELS[e.rule]}: {what}. Resolved {long_date(e.resolved_at)}: "
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
            waiting.setdefault(a.owner_id or a.owner_name or owner(a), []).append((e, a))
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
            f"{RULE_LABELS[rule].lower()} ({plural(len(times), 'action')}, since "
            f"{long_date(min(times))})"
            for rule, times in rules.items()
        )
        n = len({x.id for _, x in pairs})
        out.append(
            item(
                f"{owner(a)}: {plural(n, 'action')} waiting: {reasons}",
                group=owner(a),
                partner=partner(a),
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


def _due_next_month(
    open_actions: list[Action], cases: dict[uuid.UUID, Case], until: datetime
) -> list[dict[str, Any]]:
    first = until.astimezone(LONDON).date()
    last = months_before(first, -1)
    due = [a for a in open_actions if a.due_date is not None and first <= a.due_date < last]
    due.sort(key=lambda a: (owner(a), a.due_date))
    return [
        item(
            f"{owner(a)}: {about(a, cases[a.case_id])}: due {long_date(a.due_date)}, "
            f"{label(a.rag)}",
            group=owner(a),
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
        "by_partner": by_partner(open_actions, changes, waiting),
        "owners_not_responding": waiting,
        "rag_changes": changes,
        "escalations_opened": opened,
        "escalations_resolved": resolved,
        "due_next_month": due,
        "new_sessions": new_sessions,
    }
    return {"headline": headline(sections, open_actions, still_open), "sections": sections}
