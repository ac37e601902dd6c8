"""``/``: each role's home. The Community Voice Lead sees the escalation queue and the RAG
counts; the engagement lead sees what is waiting on them; a viewer sees the state of things."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.deps import StaffReader
from api.pages.escalations import queue_context
from api.pages.render import page
from api.presenters.links import Link
from api.presenters.rag import rag_tag
from api.presenters.rag_board import rag_board_page
from models.formatting import session_date
from models.rag import LABELS, Rag
from models.staff import Permission
from services import oversight, queries
from services.oversight import RagFilters

router = APIRouter(include_in_schema=False)
HOME_ROWS = 15


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    counts = oversight.rag_counts(session=session)
    context: dict[str, Any] = {
        "page_title": "Escalations and RAG" if user.can(Permission.intervene) else "Home",
        "user_name": user.name,
        "show_queue": user.can(Permission.intervene),
        "can_record": user.can(Permission.record_session),
        "rag_counts": [
            {
                "tag": rag_tag(r),
                "count": counts.get(r, 0),
                "href": f"/rag-board?rag={r.value}",
                "label": LABELS[r],
            }
            for r in (Rag.red, Rag.amber, Rag.green, Rag.not_rated)
        ],
        "rag_total": sum(counts.values()),
        "awaiting_contact": [],
        "unassigned": [],
        "admin_links": [
            Link(text, href)
            for text, href, permission in (
                ("Staff accounts", "/users", Permission.manage_users),
                ("Board settings and meeting calendars", "/boards", Permission.manage_boards),
                ("Partner directory", "/directory/partners", Permission.manage_directory),
            )
            if user.can(permission) and user.can(Permission.manage_users)
        ],
    }
    if context["show_queue"]:
        context.update(queue_context(request, session, user))
        board = rag_board_page(session, RagFilters(), limit=HOME_ROWS)
        shown = f"The {board['shown']} most urgent" if board["total"] > HOME_ROWS else "All"
        board["caption"] = f"{shown} of {board['total']} open actions, worst first"
        context["rag_board"] = board
    else:
        count, _version = oversight.queue_version(session=session)
        context["queue_count"] = count
    if user.can(Permission.drive_actions):
        context["awaiting_contact"] = [
            Link(
                f"{case.theme or 'Session'} ({board.name}, {session_date(case)})",
                f"/cases/{case.id}#presenters",
            )
            for case, board in oversight.awaiting_contact(session=session)
        ]
        context["unassigned"] = [
            Link(
                f"{action.text} (action {action.seq}, {case.theme or 'session'}, "
                f"{session_date(case)})",
                f"/cases/{case.id}#action-{action.seq}",
            )
            for action, case in oversight.unassigned_actions(session=session)
        ]
    context["recent"] = [
        Link(
            f"{c.theme or 'Session'} ({c.board_name}, {session_date(c)})",
            f"/cases/{c.id}",
        )
        for c in queries.list_cases(session=session, limit=5)
    ]
    return page(request, "home/index.jinja", context)
