"""``/``: each role's home, short enough to take in at a glance (issue 16): the Community Voice
Lead's oldest escalations and the counts, with links to the rest; the engagement lead's first
few sessions to contact and actions to name an owner for; everyone's RAG counts."""

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
from models.formatting import session_date
from models.rag import LABELS, Rag
from models.staff import Permission
from services import oversight

router = APIRouter(include_in_schema=False)
#: How many of the oldest escalations the Community Voice Lead's home shows (the rest: a link).
HOME_QUEUE = 5
#: How many sessions to contact and actions with no owner the engagement lead's home lists.
HOME_LIST = 10


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


@router.get("/", response_class=HTMLResponse)
def home(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    counts = oversight.rag_counts(session=session)
    show_queue = user.can(Permission.intervene)
    drives = user.can(Permission.drive_actions)
    context: dict[str, Any] = {
        "page_title": "Escalations and RAG" if show_queue else "Home",
        "show_queue": show_queue,
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
        "waiting": [],
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
    if show_queue:
        context.update(queue_context(request, session, user, limit=HOME_QUEUE))
    else:
        count, _version = oversight.queue_version(session=session)
        context["queue_count"] = count
    if drives:
        waiting = oversight.waiting_counts(session=session)
        context["waiting"] = [
            Link(
                _plural(waiting.contact_due, "session", "sessions") + " with presenters to contact",
                "/cases?contact=due",
            ),
            Link(
                _plural(waiting.no_owner, "open action", "open actions") + " with no owner named",
                "/rag-board?owner=none",
            ),
        ]
    if drives and not show_queue:
        context["awaiting_contact"] = [
            Link(
                f"{case.theme or 'Session'} ({board.name}, {session_date(case)})",
                f"/cases/{case.id}#presenters",
            )
            for case, board in oversight.awaiting_contact(session=session, limit=HOME_LIST)
        ]
        context["unassigned"] = [
            Link(
                f"{action.text} (action {action.seq}, {case.theme or 'session'}, "
                f"{session_date(case)})",
                f"/cases/{case.id}#action-{action.seq}",
            )
            for action, case in oversight.unassigned_actions(session=session, limit=HOME_LIST)
        ]
    return page(request, "home/index.jinja", context)
