"""The RAG board: every open action, filtered and sorted, with counts by rating."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from api.pages.forms import Form
from api.presenters.pagination import Page, pagination
from api.presenters.rag import rag_tag
from models.board import Board
from models.formatting import long_date, month_year, session_date
from models.partner import Owner
from models.rag import LABELS, Rag
from services import directory, oversight
from services.oversight import RagFilters

COLUMNS = [
    ("action", "Action", None),
    ("rag", "RAG", "rag"),
    ("due", "Due", "due"),
    ("owner", "Owner", "owner"),
    ("partner", "Partner", "partner"),
    ("meeting", "Session", "meeting"),
]
RAG_ORDER = [Rag.red, Rag.amber, Rag.green, Rag.not_rated]


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def read_filters(params: Mapping[str, str]) -> RagFilters:
    """Filters from the query string; anything not understood is left out (never an error)."""
    rag = params.get("rag")
    due = params.get("due") or None
    if due and due != "none":
        parts = due.split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or not 1 <= int(parts[1]) <= 12:
            due = None
    sort = params.get("sort", "rag")
    return RagFilters(
        board=params.get("board") or None,
        partner_id=_uuid(params.get("partner")),
        owner_id=_uuid(params.get("owner")),
        no_owner=params.get("owner") == "none",
        rag=Rag(rag) if rag and rag in Rag.__members__ else None,
        due_month=due,
        sort=sort if sort in oversight.SORTS else "rag",
        descending=params.get("order") == "desc",
    )


def _query(f: RagFilters, **changes: Any) -> dict[str, str]:
    values = {
        "board": f.board,
        "partner": str(f.partner_id) if f.partner_id else None,
        "owner": str(f.owner_id) if f.owner_id else ("none" if f.no_owner else None),
        "rag": f.rag.value if f.rag else None,
        "due": f.due_month,
        "sort": f.sort if f.sort != "rag" else None,
        "order": "desc" if f.descending else None,
    }
    values.update(changes)
    return {k: v for k, v in values.items() if v}


def _href(f: RagFilters, **changes: Any) -> str:
    query = urlencode(_query(f, **changes))
    return f"/rag-board?{query}" if query else "/rag-board"


def _options(session: Session) -> dict[str, list[tuple[str, str]]]:
    boards = session.exec(select(Board).order_by(col(Board.name))).all()
    owners = session.exec(select(Owner).order_by(col(Owner.name))).all()
    return {
        "board_options": [("", "All boards")] + [(b.slug, b.name) for b in boards],
        "partner_options": [("", "All partners")]
        + [(str(p.id), p.name) for p in directory.list_partners(session=session)],
        "owner_options": [("", "All owners"), ("none", "No owner named yet")]
        + [(str(o.id), o.name) for o in owners],
        "rag_options": [("", "All ratings")] + [(r.value, LABELS[r]) for r in RAG_ORDER],
        "due_options": [("", "Any time"), ("none", "No due date")]
        + [(d.strftime("%Y-%m"), month_year(d)) for d in oversight.due_months(session=session)],
    }


def rag_board_page(session: Session, f: RagFilters, *, page_no: int = 1) -> dict[str, Any]:
    """The RAG board's page ``page_no`` (50 rows), with counts, sort links and filters."""
    counts = oversight.rag_counts_for(session=session, filters=f)
    matching = counts.get(f.rag, 0) if f.rag else sum(counts.values())
    page = Page(page_no, matching)
    board = oversight.rag_board(
        session=session, filters=f, offset=page.offset, limit=page.size, counts=counts
    )
    context = rag_table(board)
    context["headers"] = _headers(f)
    context.update(
        page_title="RAG board",
        counts=[
            {
                "tag": rag_tag(r),
                "count": board.counts.get(r, 0),
                "href": _href(f, rag=r.value),
                "label": LABELS[r],
            }
            for r in RAG_ORDER
        ],
        total=board.total,
        caption=page.showing("open action" if matching == 1 else "open actions"),
        pagination=pagination(
            page,
            lambda n: _href(f, page=str(n) if n > 1 else None),
            "Pages of open actions",
        ),
        filter_form=Form({**_query(f), "sort": f.sort, "order": "desc" if f.descending else ""}),
        filtered=bool(_query(f, sort=None, order=None)),
        **_options(session),
    )
    return context


def rag_table(board: oversight.RagBoard) -> dict[str, Any]:
    """The rows of a page of the board as the table shows them."""
    rows = []
    for action, case, b in board.rows:
        rows.append(
            {
                "href": f"/cases/{case.id}#action-{action.seq}",
                "text": action.text,
                "hidden": f" (action {action.seq}, {case.theme or 'session'}, "
                f"{session_date(case)})",
                "rag": rag_tag(action.rag, cause=action.rag_cause),
                "cause": action.rag_cause,
                "status": action.status_label,
                "due": long_date(action.due_date) or "No due date",
                "owner": action.owner_name or "Not named yet",
                "partner": action.partner_name or "Not recorded",
                "session": f"{case.theme or 'No theme'}, {session_date(case)}",
                "board": b.name,
            }
        )
    return {"rows": rows, "shown": len(rows)}


def _headers(f: RagFilters) -> list[dict[str, Any]]:
    headers = []
    for key, text, sort in COLUMNS:
        header: dict[str, Any] = {"text": text, "key": key}
        if sort:
            current = f.sort == sort
            header["aria_sort"] = (
                ("descending" if f.descending else "ascending") if current else "none"
            )
            header["href"] = _href(
                f,
                sort=sort if sort != "rag" else None,
                order="desc" if current and not f.descending else None,
            )
            header["hidden"] = (
                f", sorted {'descending' if f.descending else 'ascending'}: sort the other way"
                if current
                else ": sort by this"
            )
        headers.append(header)
    return headers
