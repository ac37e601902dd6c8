"""The list of sessions (cases), newest meeting first, with filters and pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlmodel import Session, col, select

from api.pages.forms import Form
from api.presenters.pagination import Page, pagination
from models.board import Board
from models.case import OUTCOME_LABELS, CaseStatus, CaseSummary
from models.formatting import session_date
from models.staff import Permission, StaffUser


def _url(**params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/cases?{query}" if query else "/cases"


def case_list(
    session: Session,
    rows: list[CaseSummary],
    *,
    user: StaffUser,
    board: str | None,
    status: CaseStatus | None,
    contact_due: bool = False,
    page: Page,
) -> dict[str, Any]:
    boards = session.exec(select(Board).order_by(col(Board.name))).all()
    filters = {
        "board": board,
        "status": status.value if status else None,
        "contact": "due" if contact_due else None,
    }
    return {
        "page_title": "Cases",
        "rows": [
            {
                "href": f"/cases/{c.id}",
                "title": c.theme or "No theme recorded",
                "hidden": f" ({c.board_name}, {session_date(c)})",
                "board": c.board_name,
                "meeting": session_date(c),
                "meeting_sort": c.meeting_date.isoformat(),
                "outcome": OUTCOME_LABELS[c.outcome],
                "actions": f"{c.actions_open} open of {c.actions_total}",
                "status": "Open" if c.status is CaseStatus.open else "Closed",
                "imported": c.historical,
            }
            for c in rows
        ],
        "contact_due": contact_due,
        "caption": page.showing(
            ("session" if page.total == 1 else "sessions")
            + (" with presenters to contact" if contact_due else "")
        ),
        "board_options": [("", "All boards")] + [(b.slug, b.name) for b in boards],
        "status_options": [("", "Open and closed"), ("open", "Open"), ("closed", "Closed")],
        "filters": filters,
        "filter_form": Form(filters),
        "pagination": pagination(
            page, lambda n: _url(**filters, page=n if n > 1 else None), "Pages of cases"
        ),
        "can_record": user.can(Permission.record_session),
    }
