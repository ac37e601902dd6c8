"""The summary of what was said, for the board's papers: the engagement lead writes it, the
Community Voice Lead approves it (``services/said_summaries.py``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffReader, StaffRecorder, page_user, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from models.case import Case
from models.formatting import date_and_time, session_date
from models.staff import Permission, StaffUser
from services import said_summaries
from services.errors import InvalidInput

router = APIRouter(include_in_schema=False)
Approver = Annotated[StaffUser, Depends(page_user(Permission.approve_reports))]
LABELS = {"text": "Summary"}


def _page(
    request: Request, session: Session, user: StaffUser, case_id: str, form: Form | None = None
) -> HTMLResponse:
    cid = parse_id(case_id)
    case = session.get(Case, cid)
    if case is None:
        raise PageNotFound(f"No session with id {case_id}.")
    summary = said_summaries.get(session=session, case_id=cid)
    if form is None:
        form = Form({"text": summary.text if summary else ""}, labels=LABELS)
    state = None
    if summary is not None:
        state = (
            f"Approved {date_and_time(summary.approved_at)} by {summary.approved_by}: the board's "
            "papers show it."
            if summary.approved_at
            else f"Written {date_and_time(summary.written_at)} by {summary.written_by}. Waiting "
            "for the Community Voice Lead's approval: until then papers show what was said."
        )
    return page(
        request,
        "cases/said_summary.jinja",
        {
            "page_title": "Summary of what was said",
            "case": case,
            "when": session_date(case),
            "summary": summary,
            "state": state,
            "form": form,
            "can_write": user.can(Permission.record_session),
            "can_approve": user.can(Permission.approve_reports)
            and summary is not None
            and summary.approved_at is None,
            "form_action": f"/cases/{cid}/said-summary",
            "back_link": {"href": f"/cases/{cid}", "text": "Back to the session"},
        },
        status_code=422 if form.has_errors() else 200,
    )


@router.get("/cases/{case_id}/said-summary", response_class=HTMLResponse)
def show(case_id: str, request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    return _page(request, session, user, case_id)


@router.post("/cases/{case_id}/said-summary", response_class=HTMLResponse)
async def write(
    case_id: str, request: Request, session: SessionDep, user: StaffRecorder
) -> Response:
    form = Form.from_data(await read_form(request), labels=LABELS)
    try:
        said_summaries.write(
            session=session, case_id=parse_id(case_id), text=form.get("text"), by=user.name
        )
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _page(request, session, user, case_id, form)
    return RedirectResponse(f"/cases/{case_id}/said-summary", status_code=303)


@router.post("/cases/{case_id}/said-summary/approve", response_class=HTMLResponse)
async def approve(
    case_id: str,
    request: Request,
    session: SessionDep,
    user: Approver,
) -> Response:
    await read_form(request)
    said_summaries.approve(session=session, case_id=parse_id(case_id), by=user.name)
    return RedirectResponse(f"/cases/{case_id}/said-summary", status_code=303)
