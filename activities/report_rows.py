"""The rows of "You Said, We Did" and of the annual section, read from SQL.

One row per session, with the board's columns: Board (month and year), Community Voice (theme
and presenters), Action, RAG rating, Comment (or, in the annual section, Outcome and
reflection). As in the board's own table, the Action column gives what the presenters raised
("You said": the session's ``said``, or the summary the Community Voice Lead approved) and then
the agreed ``ACTION:`` lines with owner and due date, or that no specific action was agreed.
Presenters are named only with their consent; otherwise their organisation is given. Sessions
withdrawn, cancelled, deferred or with no specific action have rows too. Which sessions a
period holds: ``report_cases``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from models.action import Action, ActionStatus, ActionUpdate, UpdateKind
from models.case import OUTCOME_LABELS, Case, CaseOutcome, SaidSummary
from models.consent import PresenterConsent, may_name
from models.formatting import long_date, month_year
from models.presenter import Presenter
from models.rag import _SEVERITY, LABELS, Rag
from models.report import ReportRowRecord, RowSection

#: Log entries that say how an action is going (a note is staff-only and not quoted).
PROGRESS_KINDS = (
    UpdateKind.progress,
    UpdateKind.still_on_track,
    UpdateKind.done,
    UpdateKind.cannot_deliver,
)

NO_ACTION_TEXT = {
    CaseOutcome.held: "No specific action agreed",
    CaseOutcome.no_action: "No specific action agreed",
    CaseOutcome.withdrawn: "None: the presentation was withdrawn",
    CaseOutcome.cancelled: "None: the meeting was cancelled",
    CaseOutcome.deferred: "None: the session was deferred to a later meeting",
}


@dataclass
class SessionFacts:
    """A case with what its rows are made of."""

    case: Case
    presenters: list[Presenter]
    actions: list[Action]
    latest: dict[uuid.UUID, ActionUpdate] = field(default_factory=dict)
    summary: SaidSummary | None = None
    consents: dict[uuid.UUID, PresenterConsent] = field(default_factory=dict)

    @property
    def said(self) -> str | None:
        """What the paper says was raised: the approved summary, else what was said."""
        if self.summary is not None and self.summary.approved_at is not None:
            return self.summary.text
        return self.case.said


def load_sessions(session: Session, cases: Sequence[Case]) -> list[SessionFacts]:
    ids = [c.id for c in cases]
    if not ids:
        return []
    presenters: dict[uuid.UUID, list[Presenter]] = {}
    for p in session.exec(
        select(Presenter).where(col(Presenter.case_id).in_(ids)).order_by(col(Presenter.seq))
    ).all():
        presenters.setdefault(p.case_id, []).append(p)
    actions: dict[uuid.UUID, list[Action]] = {}
    for a in session.exec(
        select(Action).where(col(Action.case_id).in_(ids)).order_by(col(Action.seq))
    ).all():
        actions.setdefault(a.case_id, []).append(a)
    latest: dict[uuid.UUID, ActionUpdate] = {}
    for u in session.exec(
        select(ActionUpdate)
        .where(col(ActionUpdate.case_id).in_(ids), col(ActionUpdate.kind).in_(PROGRESS_KINDS))
        .order_by(col(ActionUpdate.at))
    ).all():
        latest[u.action_id] = u
    consents = {
        c.presenter_id: c
        for c in session.exec(
            select(PresenterConsent).where(
                col(PresenterConsent.presenter_id).in_(
                    [p.id for ps in presenters.values() for p in ps]
                )
            )
        ).all()
    }
    summaries = {
        s.case_id: s
        for s in session.exec(select(SaidSummary).where(col(SaidSummary.case_id).in_(ids))).all()
    }
    return [
        SessionFacts(
            case=c,
            presenters=presenters.get(c.id, []),
            actions=actions.get(c.id, []),
            latest={a.id: latest[a.id] for a in actions.get(c.id, []) if a.id in latest},
            summary=summaries.get(c.id),
            consents={p.id: consents[p.id] for p in presenters.get(c.id, []) if p.id in consents},
        )
        for c in cases
    ]


def public_presenter(p: Presenter, record: PresenterConsent | None = None) -> str:
    """A presenter as public output may show them: named only with their consent."""
    if may_name(p.consent_to_publish_name, record) and p.name:
        return f"{p.name} ({p.organisation})" if p.organisation else p.name
    return p.organisation or "A local resident"


def community_voice_cell(facts: SessionFacts) -> str:
    c = facts.case
    theme = c.theme or OUTCOME_LABELS[c.outcome]
    names: list[str] = []
    for p in facts.presenters:
        shown = public_presenter(p, facts.consents.get(p.id))
        if shown not in names:
            names.append(shown)
    return f"{theme}\nPresented by: {'; '.join(names)}" if names else theme


def owner_text(a: Action) -> str:
    """Who owns an action, as far as the record says: a named person from the directory, or
    the owner exactly as the minutes wrote it (a group, or a name not in the directory)."""
    if a.owner_name:
        named = f"{a.owner_name}, {a.partner_name}" if a.partner_name else a.owner_name
        return f"Owner: {named}"
    if a.owner_as_written:
        return f"Owner as recorded: {a.owner_as_written}"
    return "No owner recorded"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def action_line(a: Action, numbered: bool) -> str:
    label = f"ACTION {a.seq}:" if numbered else "ACTION:"
    due = f"Due {long_date(a.due_date)}." if a.due_date else "No due date."
    return f"{label} {_sentence(a.text)} {_sentence(owner_text(a))} {due}"


def action_cell(facts: SessionFacts) -> str:
    """What was raised ("You said"), then each agreed action, as the board's table has it."""
    lines = []
    if facts.said:
        lines.append(f"You said: {facts.said.strip()}")
    numbered = len(facts.actions) > 1
    lines += [action_line(a, numbered) for a in facts.actions]
    if not facts.actions:
        lines.append(NO_ACTION_TEXT[facts.case.outcome])
        lines += [f"Noted (not an agreed action): {n}" for n in facts.case.noted]
    return "\n".join(lines)


def row_rag(actions: Sequence[Action]) -> Rag | None:
    """The worst rating among the row's actions (withdrawn ones left out); Complete if all done."""
    rated = [a.rag for a in actions if a.status is not ActionStatus.withdrawn]
    if not rated:
        return None
    return max(rated, key=lambda r: _SEVERITY[r])


def rag_cell(facts: SessionFacts) -> tuple[Rag | None, str]:
    overall = row_rag(facts.actions)
    if overall is None:
        return None, "Withdrawn" if facts.actions else "Not applicable"
    text = LABELS[overall]
    if len(facts.actions) > 1:
        text += "\n" + "\n".join(
            f"{a.seq}. {'Withdrawn' if a.status is ActionStatus.withdrawn else LABELS[a.rag]}"
            for a in facts.actions
        )
    return overall, text


def _action_comment(a: Action, latest: ActionUpdate | None) -> str:
    parts = [a.status_label]
    if a.is_history:  # what the record says, and what was done if someone closed it since
        said = a.closure_note or a.recorded_comment
        parts += [said] if said else []
        if latest is not None and latest.kind is not UpdateKind.done:
            parts.append(f"Note {long_date(latest.at)}: {latest.text}")
        parts.append(LABELS[a.rag])
        return f"{a.seq}. " + ". ".join(p.rstrip(".") for p in parts) + "."
    if a.closed_at is not None and a.status is ActionStatus.done:
        when = {True: " on time", False: " late", None: ""}[a.closed_on_time]
        parts = [f"Done{when} ({long_date(a.closed_at)})"]
        if latest is not None and latest.kind is UpdateKind.done:
            parts[0] += f": {latest.text}"
            latest = None
    if latest is not None:
        parts.append(f"Update {long_date(latest.at)}: {latest.text}")
    elif a.closure_note and a.closed_at is not None:
        parts.append(a.closure_note)
    if a.closed_at is None and a.rag in (Rag.red, Rag.amber):
        parts.append(f"{LABELS[a.rag]} because: {a.rag_cause}")
    return f"{a.seq}. " + ". ".join(p.rstrip(".") for p in parts) + "."


def comment_cell(facts: SessionFacts) -> tuple[str, bool]:
    """The draft comment, and whether it quotes what a partner wrote (approval needed)."""
    c = facts.case
    if not facts.actions:
        return (c.outcome_reflection or NO_ACTION_TEXT[c.outcome] + "."), False
    if c.historical and c.outcome_reflection and not facts.latest:
        return c.outcome_reflection, False
    lines = [_action_comment(a, facts.latest.get(a.id)) for a in facts.actions]
    partner = any(u.author_kind == "owner_link" for u in facts.latest.values())
    return "\n".join(lines), partner


def outcome_cell(facts: SessionFacts) -> tuple[str, bool]:
    """Annual section: the case's own "outcome and reflection", else what became of each action."""
    c = facts.case
    if c.outcome_reflection:
        return c.outcome_reflection, False
    return comment_cell(facts)


def action_detail(a: Action, latest: ActionUpdate | None) -> dict[str, Any]:
    return {
        "id": str(a.id),
        "seq": a.seq,
        "text": a.text,
        "owner": owner_text(a),
        "partner": a.partner_name,
        "due_date": a.due_date.isoformat() if a.due_date else None,
        "status": a.status.value,
        "status_label": a.status_label,
        "rag": a.rag.value,
        "rag_label": LABELS[a.rag],
        "rag_cause": a.rag_cause,
        "closed_at": a.closed_at.isoformat() if a.closed_at else None,
        "closed_on_time": a.closed_on_time,
        "latest_update": latest.text if latest else None,
    }


def build_rows(
    report_id: uuid.UUID,
    sessions: list[SessionFacts],
    *,
    annual: bool = False,
    section: RowSection = RowSection.period,
    start_seq: int = 1,
) -> list[ReportRowRecord]:
    rows = []
    for seq, facts in enumerate(sessions, start=start_seq):
        c = facts.case
        rag, rag_text = rag_cell(facts)
        comment, partner = outcome_cell(facts) if annual else comment_cell(facts)
        rows.append(
            ReportRowRecord(
                id=uuid.uuid5(report_id, f"row-{seq}"),
                report_id=report_id,
                seq=seq,
                section=section,
                case_id=c.id,
                meeting_date=c.meeting_date,
                board_month=month_year(c.meeting_date),
                community_voice=community_voice_cell(facts),
                action=action_cell(facts),
                rag=rag.value if rag else None,
                rag_text=rag_text,
                comment=comment,
                comment_draft=comment,
                partner_text=partner,
                detail={
                    "said": facts.said,
                    "said_from": "summary" if facts.said and facts.said != c.said else "said",
                    "noted": list(c.noted),
                    "month_only": c.meeting_month_only,
                    "outcome": c.outcome.value,
                    "outcome_label": OUTCOME_LABELS[c.outcome],
                    "theme": c.theme,
                    "historical": c.historical,
                    "source_ref": c.source_ref,
                    "actions": [action_detail(a, facts.latest.get(a.id)) for a in facts.actions],
                },
            )
        )
    return rows
