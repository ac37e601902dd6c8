"""Exporting every case with its presenters, actions and updates, as JSON or CSV.

The export is the product's own archive format, and ``cvt import`` takes it back: each session
keeps its id (``case:<id>``, or the reference it was imported with), so importing an export
into the same database changes nothing, and into a new one recreates the sessions.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlmodel import Session, col, select

from models.action import Action, ActionUpdate
from models.base import utcnow
from models.board import Board
from models.case import Case
from models.formatting import month_year
from models.presenter import Presenter
from services import consent, csv_files
from services.import_files import CSV_COLUMNS, EXPORT_FORMAT

PRESENTER_FIELDS = (
    "name", "organisation", "role", "email", "preferred_contact", "access_needs", "language",
    "consent_to_publish_name",
)  # fmt: skip


#: How the importer keeps a record's own note among what the session lacks.
SOURCE_NOTE = "source note: "


def session_ref(case: Case) -> str:
    return case.source_ref or f"case:{case.id}"


def export_sessions(session: Session, *, board: str | None = None) -> dict[str, Any]:
    query = select(Case, Board).join(Board, col(Board.id) == Case.board_id)
    if board:
        query = query.where(Board.slug == board)
    cases = session.exec(query.order_by(col(Case.meeting_date), col(Case.recorded_at))).all()
    ids = [c.id for c, _ in cases]
    presenters: dict[uuid.UUID, list[Presenter]] = {}
    for p in session.exec(
        select(Presenter).where(col(Presenter.case_id).in_(ids)).order_by(col(Presenter.seq))
    ):
        presenters.setdefault(p.case_id, []).append(p)
    actions: dict[uuid.UUID, list[Action]] = {}
    for a in session.exec(
        select(Action).where(col(Action.case_id).in_(ids)).order_by(col(Action.seq))
    ):
        actions.setdefault(a.case_id, []).append(a)
    updates: dict[uuid.UUID, list[ActionUpdate]] = {}
    for u in session.exec(
        select(ActionUpdate)
        .where(col(ActionUpdate.case_id).in_(ids))
        .order_by(col(ActionUpdate.at))
    ):
        updates.setdefault(u.action_id, []).append(u)
    records = consent.records(session, [p.id for ps in presenters.values() for p in ps])
    named = {p.id for ps in presenters.values() for p in ps if consent.named(p, records)}
    shared = _sharing_a_month([c for c, _ in cases])
    return {
        "format": EXPORT_FORMAT,
        "version": 1,
        "exported_at": utcnow().isoformat(),
        "sessions": [
            {
                **_session(c, b, presenters.get(c.id, []), actions.get(c.id, []), updates, named),
                **({"import_decision": "same_meeting"} if c.id in shared else {}),
            }
            for c, b in cases
        ],
    }


def _sharing_a_month(cases: list[Case]) -> set[uuid.UUID]:
    """Sessions recorded as separate sessions of one month: the import would ask again, so the
    export says so (``import_decision``)."""
    months: dict[tuple[uuid.UUID, int, int], list[Case]] = {}
    for c in cases:
        months.setdefault((c.board_id, c.meeting_date.year, c.meeting_date.month), []).append(c)
    out: set[uuid.UUID] = set()
    for group in months.values():
        days = [c.meeting_date for c in group]
        if len(group) > 1 and (
            any(c.meeting_month_only for c in group) or len(set(days)) < len(days)
        ):
            out |= {c.id for c in group}
    return out


def _session(
    c: Case,
    board: Board,
    presenters: list[Presenter],
    actions: list[Action],
    updates: dict[uuid.UUID, list[ActionUpdate]],
    named: set[uuid.UUID] | None = None,
) -> dict[str, Any]:
    """One session as the export writes it (``consent_to_publish_name``: the consent record as
    it is now, so a withdrawal is carried)."""
    return {
        "id": session_ref(c),
        "case_id": str(c.id),
        "board": board.slug,
        "meeting_date": None if c.meeting_month_only else c.meeting_date.isoformat(),
        "board_month": c.meeting_date.strftime("%Y-%m"),
        "month_as_written": month_year(c.meeting_date),
        "status": c.outcome.value,
        "noted": c.noted,
        "theme": c.theme,
        "said": c.said,
        "presenters": [
            {
                **{k: getattr(p, k) for k in PRESENTER_FIELDS if getattr(p, k) is not None},
                "consent_to_publish_name": p.id in named
                if named is not None
                else p.consent_to_publish_name,
            }
            for p in presenters
        ],
        "actions": [
            {
                "seq": a.seq,
                "text": a.text,
                "owner": a.owner_name or a.owner_as_written,
                "owner_email": a.owner_email,
                "partner": a.partner_name,
                "due_date": a.due_date.isoformat() if a.due_date else None,
                "status": a.status.value,
                "rag": a.rag.value,
                "rag_cause": a.rag_cause,
                "closed_at": a.closed_at.isoformat() if a.closed_at else None,
                "closed_on_time": a.closed_on_time,
                "closure_note": a.closure_note,
                "recorded_status": a.recorded_status.value if a.recorded_status else None,
                "recorded_done_on": (
                    a.recorded_done_on.isoformat() if a.recorded_done_on else None
                ),
                "recorded_comment": a.recorded_comment,
                "updates": [
                    {
                        "at": u.at.isoformat(),
                        "kind": u.kind.value,
                        "text": u.text,
                        "author": u.author_name,
                        "author_kind": u.author_kind,
                        "rag_at_time": u.rag_at_time.value,
                    }
                    for u in updates.get(a.id, [])
                ],
            }
            for a in actions
        ],
        "outcome": c.outcome_reflection,
        "case_status": c.status.value,
        "historical": c.historical,
        "gaps": c.gaps,
        "note": next(
            (g.removeprefix(SOURCE_NOTE) for g in c.gaps if g.startswith(SOURCE_NOTE)), None
        ),
    }


def to_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def to_csv(data: dict[str, Any]) -> str:
    """One line a session and action; a session with no action has one line."""
    rows: list[dict[str, Any]] = []
    for s in data["sessions"]:
        base = {
            "session_ref": s["id"],
            "board": s["board"],
            "meeting_date": s["meeting_date"] or "",
            "board_month": s["board_month"],
            "status": s["status"],
            "theme": s["theme"] or "",
            "said": s["said"] or "",
            "presenters": json.dumps(s["presenters"], ensure_ascii=False),
            "outcome_and_reflection": s["outcome"] or "",
            "noted": json.dumps(s["noted"], ensure_ascii=False) if s["noted"] else "",
            "import_decision": s.get("import_decision", ""),
        }
        if not s["actions"]:
            rows.append(base)
        for a in s["actions"]:
            latest = a["updates"][-1]["text"] if a["updates"] else ""
            rows.append(
                {
                    **base,
                    "action_seq": a["seq"],
                    "action_text": a["text"],
                    "action_owner": a["owner"] or "",
                    "action_owner_email": a["owner_email"] or "",
                    "action_partner": a["partner"] or "",
                    "action_due_date": a["due_date"] or "",
                    "action_status": a["status"],
                    "action_rag": a["rag"],
                    "action_rag_cause": a["rag_cause"],
                    "action_closed_at": a["closed_at"] or "",
                    "action_closed_on_time": ""
                    if a["closed_on_time"] is None
                    else str(a["closed_on_time"]).lower(),
                    "action_latest_update": latest,
                }
            )
    return csv_files.write_dicts(CSV_COLUMNS, rows)
