"""Reads for the staff pages' overviews: the escalation queue, the RAG board, the home lists.

Straight from SQL (never a workflow query per row), keyword-only like ``queries``.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from models.action import Action, ActionStatus
from models.board import Board
from models.case import CONTACT_OUTCOMES, Case, CaseStatus
from models.escalation import Escalation, EscalationStatus
from models.presenter import Presenter
from models.rag import Rag
from models.timer import PendingTimer

# --- the escalation queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    escalation: Escalation
    case: Case
    board: Board
    action: Action | None


def escalation_queue(
    *, session: Session, board: str | None = None, offset: int = 0, limit: int | None = None
) -> list[QueueRow]:
    """Open escalations, oldest first, with their case, board and action (one page of them:
    ``offset`` and ``limit``)."""
    query = (
        select(Escalation, Case, Board, Action)
        .join(Case, col(Case.id) == Escalation.case_id)
        .join(Board, col(Board.id) == Case.board_id)
        .join(Action, col(Action.id) == Escalation.action_id, isouter=True)
        .where(Escalation.status == EscalationStatus.open)
        .order_by(col(Escalation.raised_at), col(Escalation.id))
    )
    if board:
        query = query.where(Board.slug == board)
    query = query.offset(offset).limit(limit)
    return [QueueRow(e, c, b, a) for e, c, b, a in session.exec(query).all()]


def queue_version(*, session: Session) -> tuple[int, str]:
    """How many escalations are open and a short fingerprint that changes when the queue does."""
    ids = session.exec(
        select(Escalation.id)
        .where(Escalation.status == EscalationStatus.open)
        .order_by(col(Escalation.id))
    ).all()
    digest = hashlib.sha256("".join(str(i) for i in ids).encode()).hexdigest()[:16]
    return len(ids), digest


# --- the RAG board ----------------------------------------------------------------------------

SEVERITY = sa.case(
    {
        Rag.red.value: 0,
        Rag.amber.value: 1,
        Rag.green.value: 2,
        Rag.blue.value: 3,
        Rag.not_rated.value: 4,
    },
    value=col(Action.rag),
    else_=5,
)
#: Sort keys: (expression, whether "descending" reverses it). Blank values always come last.
SORTS: dict[str, tuple[tuple[Any, bool], ...]] = {
    "due": ((col(Action.due_date).is_(None), False), (col(Action.due_date), True)),
    "rag": (
        (SEVERITY, True),
        (col(Action.due_date).is_(None), False),
        (col(Action.due_date), False),
    ),
    "owner": ((col(Action.owner_name).is_(None), False), (col(Action.owner_name), True)),
    "partner": ((col(Action.partner_name).is_(None), False), (col(Action.partner_name), True)),
    "meeting": ((col(Case.meeting_date), True),),
}


@dataclass(frozen=True)
class RagFilters:
    board: str | None = None
    partner_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    no_owner: bool = False  # only actions with no owner named yet
    rag: Rag | None = None
    due_month: str | None = None  # "2026-01", or "none" for no due date
    sort: str = "rag"
    descending: bool = False


@dataclass
class RagBoard:
    """One page of the board: its rows, the counts by rating (over every filter but RAG), and
    how many rows match every filter (what the pages are counted from)."""

    rows: list[tuple[Action, Case, Board]]
    counts: dict[Rag, int] = field(default_factory=dict)
    total: int = 0
    matching: int = 0


def _open_actions(filters: RagFilters, *, with_rag: bool, columns: Any) -> Any:
    query = select(*columns).where(col(Action.closed_at).is_(None))
    if filters.board:
        board_id = select(Board.id).where(Board.slug == filters.board).scalar_subquery()
        cases = select(Case.id).where(Case.board_id == board_id)
        query = query.where(col(Action.case_id).in_(cases))
    if filters.partner_id:
        query = query.where(Action.partner_id == filters.partner_id)
    if filters.owner_id:
        query = query.where(Action.owner_id == filters.owner_id)
    if filters.no_owner:
        query = query.where(Action.status == ActionStatus.unassigned)
    if with_rag and filters.rag:
        query = query.where(Action.rag == filters.rag)
    if filters.due_month == "none":
        query = query.where(col(Action.due_date).is_(None))
    elif filters.due_month:
        year, month = (int(p) for p in filters.due_month.split("-"))
        first = date(year, month, 1)
        after = date(year + month // 12, month % 12 + 1, 1)
        query = query.where(col(Action.due_date) >= first, col(Action.due_date) < after)
    return query


def rag_counts_for(*, session: Session, filters: RagFilters) -> dict[Rag, int]:
    """Open actions by rating over every filter but RAG: one grouped query."""
    counted = _open_actions(filters, with_rag=False, columns=(col(Action.rag), func.count()))
    return {Rag(r): n for r, n in session.exec(counted.group_by(col(Action.rag))).all()}


def rag_board(
    *,
    session: Session,
    filters: RagFilters,
    offset: int = 0,
    limit: int = 50,
    counts: dict[Rag, int] | None = None,
) -> RagBoard:
    """One page of the open actions matching ``filters``, sorted, with the counts by rating.

    Two queries and one more for the rows shown: the grouped counts, the ids of this page's
    rows (from the action table alone unless the sort is by session), then those rows with
    their case and board. Nothing outside the page is loaded.
    """
    counts = rag_counts_for(session=session, filters=filters) if counts is None else counts
    total = sum(counts.values())
    matching = counts.get(filters.rag, 0) if filters.rag else total
    if matching == 0 or offset >= matching:
        return RagBoard(rows=[], counts=counts, total=total, matching=matching)
    order = [
        key.desc() if filters.descending and reversible else key
        for key, reversible in SORTS.get(filters.sort, SORTS["rag"])
    ]
    ids = _open_actions(filters, with_rag=True, columns=(col(Action.id),))
    if filters.sort == "meeting":
        ids = ids.join(Case, col(Case.id) == Action.case_id)
    page_ids = list(
        session.exec(
            ids.order_by(*order, col(Action.case_id), col(Action.seq)).offset(offset).limit(limit)
        ).all()
    )
    found = {
        a.id: (a, c, b)
        for a, c, b in session.exec(
            select(Action, Case, Board)
            .join(Case, col(Case.id) == Action.case_id)
            .join(Board, col(Board.id) == Case.board_id)
            .where(col(Action.id).in_(page_ids))
        ).all()
    }
    rows = [found[i] for i in page_ids if i in found]
    return RagBoard(rows=rows, counts=counts, total=total, matching=matching)


def due_months(*, session: Session) -> list[date]:
    """The months in which open actions fall due (first day of each), for the filter."""
    days = session.exec(
        select(col(Action.due_date))
        .where(col(Action.closed_at).is_(None), col(Action.due_date).is_not(None))
        .distinct()
    ).all()
    return sorted({d.replace(day=1) for d in days if d is not None})


def rag_counts(*, session: Session) -> dict[Rag, int]:
    rows = session.exec(
        select(Action.rag, func.count())
        .where(col(Action.closed_at).is_(None))
        .group_by(col(Action.rag))
    ).all()
    return {Rag(r): n for r, n in rows}


# --- the engagement lead's lists --------------------------------------------------------------


def contact_due() -> list[Any]:
    """Where-clauses of the open sessions whose presenters have not been contacted (step 1)."""
    return [
        Case.status == CaseStatus.open,
        col(Case.historical).is_(False),
        col(Case.presenter_contact_confirmed_at).is_(None),
        col(Case.outcome).in_([o.value for o in CONTACT_OUTCOMES]),
        col(Case.id).in_(select(Presenter.case_id)),
    ]


def awaiting_contact(*, session: Session, limit: int = 50) -> list[tuple[Case, Board]]:
    """Open sessions whose presenters have not been contacted yet (step 1)."""
    query = (
        select(Case, Board)
        .join(Board, col(Board.id) == Case.board_id)
        .where(*contact_due())
        .order_by(col(Case.meeting_date))
        .limit(limit)
    )
    return [(c, b) for c, b in session.exec(query).all()]


@dataclass(frozen=True)
class WaitingCounts:
    """How many sessions wait for their presenters to be contacted and actions for an owner."""

    contact_due: int
    no_owner: int


def waiting_counts(*, session: Session) -> WaitingCounts:
    contact = session.exec(select(func.count()).select_from(Case).where(*contact_due())).one()
    unowned = session.exec(
        select(func.count())
        .select_from(Action)
        .where(Action.status == ActionStatus.unassigned, col(Action.closed_at).is_(None))
    ).one()
    return WaitingCounts(contact_due=int(contact), no_owner=int(unowned))


def unassigned_actions(*, session: Session, limit: int = 50) -> list[tuple[Action, Case]]:
    """Open actions with no owner named yet (step 2), oldest meeting first."""
    query = (
        select(Action, Case)
        .join(Case, col(Case.id) == Action.case_id)
        .where(Action.status == ActionStatus.unassigned, col(Action.closed_at).is_(None))
        .order_by(col(Case.meeting_date), col(Action.seq))
        .limit(limit)
    )
    return [(a, c) for a, c in session.exec(query).all()]


def case_timers(*, session: Session, case_id: uuid.UUID) -> list[PendingTimer]:
    """Every pending timer of a case and its actions, soonest first."""
    return list(
        session.exec(
            select(PendingTimer)
            .where(PendingTimer.case_id == case_id)
            .order_by(col(PendingTimer.due_at))
        ).all()
    )
