"""Case pages: the list of sessions and one case with everything that happened to it."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffReader, parse_id
from api.pages.render import page
from api.presenters.case import case_page
from api.presenters.cases import case_list
from api.presenters.pagination import Page, read_page
from models.base import utcnow
from models.case import CaseStatus
from models.inbox import InboxCommand
from models.staff import Permission
from services import consent, oversight, queries
from services.errors import NotFound

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/cases", response_class=HTMLResponse)
def list_cases(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    board = request.query_params.get("board") or None
    status_text = request.query_params.get("status") or None
    status = (
        CaseStatus(status_text) if status_text and status_text in CaseStatus.__members__ else None
    )
    contact_due = request.query_params.get("contact") == "due"
    filters = {"board": board, "status": status, "contact_due": contact_due}
    shown = Page(
        read_page(request.query_params),
        queries.count_cases(session=session, **filters),  # type: ignore[arg-type]
        PAGE_SIZE,
    )
    rows = queries.list_cases(
        session=session,
        offset=shown.offset,
        limit=shown.size,
        **filters,  # type: ignore[arg-type]
    )
    return page(
        request,
        "cases/list.jinja",
        case_list(
            session,
            rows,
            user=user,
            board=board,
            status=status,
            contact_due=contact_due,
            page=shown,
        ),
    )


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def show_case(
    case_id: str, request: Request, session: SessionDep, user: StaffReader
) -> HTMLResponse:
    cid = parse_id(case_id)
    try:
        detail = queries.get_case(session=session, case_id=cid)
    except NotFound as missing:
        pending = _pending_start(session, cid)
        if pending is None:
            raise PageNotFound(str(missing)) from missing
        return page(
            request,
            "cases/pending.jinja",
            {"page_title": "The session is being recorded", "case_id": cid},
            status_code=202,
        )
    command = None
    command_text = request.query_params.get("command")
    if command_text:
        try:
            command = session.get(InboxCommand, uuid.UUID(command_text))
        except ValueError:
            command = None
        if command is not None and command.case_id != cid:
            command = None
    context = case_page(
        detail,
        user=user,
        now=utcnow(),
        timers=oversight.case_timers(session=session, case_id=cid),
        events=queries.timeline(session=session, case_id=cid),
        messages=queries.messages(session=session, case_id=cid),
        command=command,
        consents=consent.records(session, [p.id for p in detail.presenters]),
    )
    context["can_record_consent"] = user.can(Permission.record_session)
    context["can_manage_personal_data"] = user.can(Permission.manage_personal_data)
    return page(request, "cases/show.jinja", context)


def _pending_start(session: SessionDep, case_id: uuid.UUID) -> InboxCommand | None:
    from sqlmodel import select

    return session.exec(
        select(InboxCommand).where(
            InboxCommand.case_id == case_id, InboxCommand.kind == "start_case"
        )
    ).first()
