"""The sections of the monthly ELG digest, read from SQL: new sessions, actions that changed
RAG (and why), escalations opened and resolved, actions due next month, owners not responding.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from models.action import Action, RagChange
from models.case import Case
from models.escalation import RULE_LABELS, Escalation, EscalationRule, EscalationStatus
from models.formatting import date_and_time, long_date
from models.policy import LONDON
from models.rag import LABELS
from models.report_timing import months_before

NOT_RESPONDING_RULES = (
    EscalationRule.not_acknowledged,
    EscalationRule.no_update,
    EscalationRule.owner_unreachable,
)


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
    first = until.astimezone(LONDON).date()
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
