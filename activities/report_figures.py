"""Figures of the annual report's section, read from SQL (the ELG digest's sections are in
``report_digest``).

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
from models.action import RECORDED_STATUS_LABELS, STATUS_LABELS, Action, ActionStatus, RagChange
from models.audit import AuditEvent
from models.case import CaseOutcome
from models.policy import LONDON
from models.rag import Rag

#: The audit verb under which the case workflow records a presenter's answer (met / partly /
#: not met) about a closed action, with the answer in ``detail["answer"]``.
PRESENTER_ANSWER_VERBS = ("presenter.feedback",)
ANSWERS = ("met", "partly", "not_met")


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
        outcome = s.case.outcome
        if outcome is CaseOutcome.held and not s.actions:
            outcome = CaseOutcome.no_action  # held, and nothing was agreed: no specific action
        outcomes[outcome.value] += 1
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
        "actions_by_status": actions_by_status(actions, as_of),
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
    (historical records, and actions agreed before they were recorded here)."""
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
            # imported from past records: not rated until taken on (a change records that)
            rag = Rag.not_rated if a.recorded_status is not None else Rag.green
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


#: An action closed after the period's end was still open at its end.
OPEN_AT_THE_END = "Still open at the end of the period"


def actions_by_status(actions: Sequence[Action], as_of: datetime) -> list[dict[str, Any]]:
    """How many actions had each status, as recorded, at the end of the period (a chart that
    says something true even where nothing was rated, as for imported history)."""
    counts: dict[str, int] = {}
    for a in actions:
        if a.closed_at is not None and a.closed_at > as_of:
            label = OPEN_AT_THE_END
        elif a.is_history and a.recorded_status is not None:
            label = f"{RECORDED_STATUS_LABELS[a.recorded_status]} (as recorded)"
        else:
            label = STATUS_LABELS[a.status]
        counts[label] = counts.get(label, 0) + 1
    order = [*STATUS_LABELS.values()]
    return [
        {"status": label, "count": n}
        for label, n in sorted(counts.items(), key=lambda kv: (kv[0] not in order, -kv[1], kv[0]))
    ]
