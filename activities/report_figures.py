"""Figures of the annual section and the sections of the ELG digest, read from SQL.

Figures are taken as at the end of the period (or the moment of drafting, if sooner), from
facts frozen when they happened (an action's ``closed_on_time`` is set when it closes), so the
same period always gives the same figures. On-time rate = closed on time ÷ (closed + open and
overdue), DESIGN.md §7.
"""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import Session, col, select

from activities.report_rows import SessionFacts
from models.action import Action, ActionStatus, RagChange
from models.audit import AuditEvent
from models.case import Case, CaseOutcome
from models.escalation import RULE_LABELS, Escalation, EscalationRule, EscalationStatus
from models.formatting import date_and_time, long_date
from models.policy import LONDON
from models.rag import LABELS, Rag
from models.report_timing import months_before

#: The audit verb under which the case workflow records a presenter's answer (met / partly /
#: not met) about a closed action, with the answer in ``detail["answer"]``.
PRESENTER_ANSWER_VERBS = ("presenter.feedback",)
ANSWERS = ("met", "partly", "not_met")
NOT_RESPONDING_RULES = (
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.owner_unreachable,
)


def end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=LONDON)


def _london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def _closed_by(a: Action, as_of: datetime) -> bool:
    return a.closed_at is not None and a.closed_at <= as_of


def annual_figures(
    session: Session, sessions: list[SessionFacts], *, start: date, end: date, as_of: datetime
) -> dict[str, Any]:
    outcomes = {o.value: 0 for o in CaseOutcome}
    for s in sessions:
        outcomes[s.case.outcome.value] += 1
    actions = [a for s in sessions for a in s.actions]
    meeting = {s.case.id: s.case.meeting_date for s in sessions}
    withdrawn = [a for a in actions if a.status is ActionStatus.withdrawn and _closed_by(a, as_of)]
    counted = [a for a in actions if a not in withdrawn]
    closed = [a for a in counted if _closed_by(a, as_of)]
    on_time = [a for a in closed if a.closed_on_time is True]
    open_overdue = [
        a
        for a in counted
        if not _closed_by(a, as_of) and a.due_at is not None and a.due_at <= as_of
    ]
    denominator = len(closed) + len(open_overdue)
    contact_days = [
        (_london_day(s.case.presenter_contact_confirmed_at) - s.case.meeting_date).days
        for s in sessions
        if s.case.presenter_contact_confirmed_at is not None
        and s.case.presenter_contact_confirmed_at <= as_of
    ]
    closure_days = [
        (_london_day(a.closed_at) - meeting[a.case_id]).days  # type: ignore[arg-type]
        for a in closed
    ]
    return {
        "as_of": as_of.isoformat(),
        "sessions": {
            "total": len(sessions),
            "held": outcomes["held"] + outcomes["no_action"],
            "no_action": outcomes["no_action"],
            "withdrawn": outcomes["withdrawn"],
            "cancelled": outcomes["cancelled"],
            "deferred": outcomes["deferred"],
        },
        "actions": {
            "agreed": len(actions),
            "named_owner": sum(1 for a in actions if a.owner_id is not None),
            "closed": len(closed),
            "closed_on_time": len(on_time),
            "closed_no_due_date": sum(1 for a in closed if a.closed_on_time is None),
            "open_overdue": len(open_overdue),
            "open": len(counted) - len(closed),
            "withdrawn": len(withdrawn),
            "on_time_rate": (len(on_time) / denominator) if denominator else None,
        },
        "median_days_to_contact": _median(contact_days),
        "median_days_to_closure": _median(closure_days),
        "presenter_answers": presenter_answers(session, list(meeting), as_of),
        "rag_over_time": rag_over_time(
            session, actions, meeting, start=start, end=end, as_of=as_of
        ),
        "actions_by_partner": actions_by_partner(actions, as_of),
    }


def presenter_answers(
    session: Session, case_ids: list[uuid.UUID], as_of: datetime
) -> dict[str, int]:
    counts = dict.fromkeys(ANSWERS, 0)
    if not case_ids:
        return counts
    events = session.exec(
        select(AuditEvent).where(
            col(AuditEvent.case_id).in_(case_ids),
            col(AuditEvent.verb).in_(PRESENTER_ANSWER_VERBS),
            AuditEvent.at <= as_of,
        )
    ).all()
    for event in events:
        answer = str(event.detail.get("answer", "")).replace(" ", "_")
        if answer in counts:
            counts[answer] += 1
    return counts


def _month_ends(start: date, end: date) -> list[date]:
    out = []
    cursor = date(start.year, start.month, 1)
    while cursor <= end:
        following = date(cursor.year + cursor.month // 12, cursor.month % 12 + 1, 1)
        out.append(min(following - timedelta(days=1), end))
        cursor = following
    return out


def rag_over_time(
    session: Session,
    actions: Sequence[Action],
    meeting: dict[uuid.UUID, date],
    *,
    start: date,
    end: date,
    as_of: datetime,
) -> list[dict[str, Any]]:
    """At each month's end: how many actions were Green, Amber, Red, Complete, or not rated
    (agreed before they were recorded here, as imported records are)."""
    ids = [a.id for a in actions]
    changes: dict[uuid.UUID, list[RagChange]] = {}
    if ids:
        for change in session.exec(
            select(RagChange).where(col(RagChange.action_id).in_(ids)).order_by(col(RagChange.at))
        ).all():
            changes.setdefault(change.action_id, []).append(change)
    series = []
    for month_end in _month_ends(start, end):
        moment = min(end_of(month_end), as_of)
        counts = {"green": 0, "amber": 0, "red": 0, "blue": 0, "not_rated": 0}
        for a in actions:
            if meeting[a.case_id] > month_end:
                continue
            if a.status is ActionStatus.withdrawn and _closed_by(a, moment):
                continue
            if a.created_at > moment:
                counts["not_rated"] += 1
                continue
            rag = Rag.green
            for change in changes.get(a.id, []):
                if change.at <= moment:
                    rag = change.to_rag
            counts[rag.value] += 1
        series.append({"month": month_end.strftime("%Y-%m"), **counts})
    return series


def actions_by_partner(actions: Sequence[Action], as_of: datetime) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for a in actions:
        name = a.partner_name or "No partner named"
        g = groups.setdefault(name, {"partner": name, "agreed": 0, "closed": 0, "on_time": 0})
        g["agreed"] += 1
        if _closed_by(a, as_of) and a.status is not ActionStatus.withdrawn:
            g["closed"] += 1
            g["on_time"] += 1 if a.closed_on_time else 0
    return sorted(groups.values(), key=lambda g: (-g["agreed"], g["partner"]))


# --- the ELG digest ---------------------------------------------------------------------------


def _item(text: str, **fields: Any) -> dict[str, Any]:
    return {"text": text, **{k: _plain(v) for k, v in fields.items()}}


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _action_label(a: Action, c: Case) -> str:
    theme = c.theme or "session"
    return f"“{a.text}” ({theme}, {long_date(c.meeting_date)})"


def digest_sections(
    session: Session, board_id: uuid.UUID, *, after: datetime, until: datetime
) -> dict[str, list[dict[str, Any]]]:
    """What the Engagement Leads Group hears about the month (after, until]."""
    board_cases = select(Case.id).where(Case.board_id == board_id)
    new_sessions = [
        _item(
            f"{long_date(c.meeting_date)}: {c.theme or c.outcome.value} "
            f"({c.outcome.value.replace('_', ' ')})",
            case_id=c.id,
        )
        for c in session.exec(
            select(Case)
            .where(Case.board_id == board_id, Case.recorded_at > after, Case.recorded_at <= until)
            .order_by(col(Case.meeting_date))
        ).all()
    ]
    rag_changes = [
        _item(
            f"{_action_label(a, c)}: {LABELS[ch.from_rag] if ch.from_rag else 'new'} → "
            f"{LABELS[ch.to_rag]} on {long_date(ch.at)}. Why: {ch.cause}",
            action_id=a.id,
            case_id=c.id,
            to_rag=ch.to_rag.value,
            cause=ch.cause,
        )
        for ch, a, c in session.exec(
            select(RagChange, Action, Case)
            .join(Action, col(Action.id) == RagChange.action_id)
            .join(Case, col(Case.id) == RagChange.case_id)
            .where(Case.board_id == board_id, RagChange.at > after, RagChange.at <= until)
            .order_by(col(RagChange.at))
        ).all()
    ]
    opened, resolved, not_responding = [], [], []
    escalations = session.exec(
        select(Escalation, Case)
        .join(Case, col(Case.id) == Escalation.case_id)
        .where(col(Escalation.case_id).in_(board_cases))
        .order_by(col(Escalation.raised_at))
    ).all()
    action_ids = [e.action_id for e, _ in escalations if e.action_id]
    actions = {
        a.id: a for a in session.exec(select(Action).where(col(Action.id).in_(action_ids))).all()
    }
    for e, c in escalations:
        a = actions.get(e.action_id) if e.action_id else None
        about = (
            _action_label(a, c) if a else f"{c.theme or 'session'} ({long_date(c.meeting_date)})"
        )
        if after < e.raised_at <= until:
            opened.append(_item(f"{RULE_LABELS[e.rule]}: {about}. {e.reason}", escalation_id=e.id))
        if e.resolved_at is not None and after < e.resolved_at <= until:
            resolved.append(
                _item(
                    f"{RULE_LABELS[e.rule]}: {about}. Resolved {long_date(e.resolved_at)}: "
                    f"{e.resolution_note}",
                    escalation_id=e.id,
                )
            )
        still_open = e.raised_at <= until and (
            e.status is EscalationStatus.open or (e.resolved_at and e.resolved_at > until)
        )
        if still_open and e.rule in NOT_RESPONDING_RULES and a is not None:
            not_responding.append(
                _item(
                    f"{a.owner_name or 'No owner'}"
                    f"{', ' + a.partner_name if a.partner_name else ''}: {about}. "
                    f"{RULE_LABELS[e.rule]} since {date_and_time(e.raised_at)}",
                    owner=a.owner_name,
                    escalation_id=e.id,
                )
            )
    first = _london_day(until)
    last = months_before(first, -1)
    due = [
        _item(
            f"{_action_label(a, c)}: due {long_date(a.due_date)}, owner "
            f"{a.owner_name or 'not named'}, {LABELS[a.rag]}",
            action_id=a.id,
            rag=a.rag.value,
        )
        for a, c in session.exec(
            select(Action, Case)
            .join(Case, col(Case.id) == Action.case_id)
            .where(
                Case.board_id == board_id,
                col(Action.closed_at).is_(None),
                col(Action.due_date) >= first,
                col(Action.due_date) < last,
            )
            .order_by(col(Action.due_date))
        ).all()
    ]
    return {
        "new_sessions": new_sessions,
        "rag_changes": rag_changes,
        "escalations_opened": opened,
        "escalations_resolved": resolved,
        "due_next_month": due,
        "owners_not_responding": not_responding,
    }


DIGEST_HEADINGS = {
    "new_sessions": "New sessions",
    "rag_changes": "Actions that changed RAG, and why",
    "escalations_opened": "Escalations opened",
    "escalations_resolved": "Escalations resolved",
    "due_next_month": "Actions due in the next month",
    "owners_not_responding": "Owners not responding",
}
