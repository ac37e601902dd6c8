"""Equality monitoring, staff side: record a presenter's answers for them
(``/cases/{case}/presenters/{presenter}/equality``) and the report of aggregates
(``/equality-monitoring``), small numbers suppressed (``services/equality.py``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, select

from api.deps import SessionDep
from api.pages import equality_form
from api.pages.deps import PageNotFound, StaffReader, StaffRecorder, parse_id
from api.pages.forms import read_form
from api.pages.render import page
from models.board import Board
from models.presenter import Presenter
from services import equality

router = APIRouter(include_in_schema=False)


def _presenter(session: Session, case_id: str, presenter_id: str) -> Presenter:
    presenter = session.get(Presenter, parse_id(presenter_id))
    if presenter is None or presenter.case_id != parse_id(case_id):
        raise PageNotFound("No such presenter in this session.")
    return presenter


def _form_page(
    request: Request, session: Session, presenter: Presenter, saved: str | None = None
) -> HTMLResponse:
    base = f"/cases/{presenter.case_id}/presenters/{presenter.id}/equality"
    return page(
        request,
        "equality/form.jinja",
        {
            "page_title": f"Equality monitoring: {presenter.display_name}",
            "intro": "Record the answers the presenter gave you (on paper or by phone), or "
            "that they would rather not answer. Only record what they chose to tell you.",
            "questions": equality_form.questions(),
            "values": equality_form.values_of(equality.get(session, presenter.id)),
            "saved": saved,
            "form_action": base,
            "back_link": {"href": f"/cases/{presenter.case_id}", "text": "Back to the session"},
        },
        status_code=422 if request.method == "POST" and saved is None else 200,
    )


@router.get("/cases/{case_id}/presenters/{presenter_id}/equality", response_class=HTMLResponse)
def show(
    case_id: str, presenter_id: str, request: Request, session: SessionDep, _: StaffRecorder
) -> HTMLResponse:
    return _form_page(request, session, _presenter(session, case_id, presenter_id))


@router.post("/cases/{case_id}/presenters/{presenter_id}/equality", response_class=HTMLResponse)
async def save(
    case_id: str, presenter_id: str, request: Request, session: SessionDep, user: StaffRecorder
) -> Response:
    form = {k: v for k, v in (await read_form(request)).items() if isinstance(v, str)}
    presenter = _presenter(session, case_id, presenter_id)
    answers = equality_form.read(form)
    if answers is None:
        return _form_page(request, session, presenter)
    equality.record(session, presenter.id, answers, by=user.name)
    return RedirectResponse(f"/cases/{case_id}", status_code=303)


@router.get("/equality-monitoring", response_class=HTMLResponse)
def monitoring(request: Request, session: SessionDep, _: StaffReader) -> Any:
    slug = request.query_params.get("board") or ""
    board = session.exec(select(Board).where(Board.slug == slug)).first() if slug else None
    boards = session.exec(select(Board).order_by(Board.name)).all()
    made = equality.report(session, board_id=board.id if board else None)
    return page(
        request,
        "equality/report.jinja",
        {
            "page_title": "Equality monitoring",
            "report": made,
            "board": board,
            "boards": boards,
        },
    )
