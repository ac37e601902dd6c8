"""Equality monitoring from the presenter's own signed link (``/presenter/{case}/{token}/
about-you``): optional questions, any of them declined; answers kept apart from their name
(``services/equality.py``)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.pages import equality_form, signed
from api.templating import render
from services import equality
from services.link_problems import LinkProblem
from services.links import PresenterAccess, presenter_access

router = APIRouter(include_in_schema=False)
ABOUT_YOU = "/presenter/{case_id}/{token}/about-you"


async def _access(request: Request, case_id: uuid.UUID, token: str) -> PresenterAccess:
    links = signed.links(request)
    return await signed.in_session(
        request,
        lambda session: presenter_access(session, links, case_id, token, allow_closed=True),
    )


def _page(request: Request, access: PresenterAccess, base: str, saved: str | None) -> HTMLResponse:
    with request.app.state.sessions() as session:
        values = equality_form.values_of(equality.get(session, access.presenter.id))
    return render(
        request,
        "equality/form.jinja",
        {
            "page_title": "About you (optional)",
            "intro": f"{access.board.name} wants to hear from everyone in its community. "
            "Telling us about yourself helps it see who it is hearing from, and who it is not.",
            "questions": equality_form.questions(),
            "values": values,
            "saved": saved,
            "form_action": base,
        },
        status_code=422 if request.method == "POST" and saved is None else 200,
    )


@router.get(ABOUT_YOU, response_class=HTMLResponse)
async def about_you(request: Request, case_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _access(request, case_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return _page(request, access, request.url.path, None)


@router.post(ABOUT_YOU, response_model=None)
async def save(request: Request, case_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _access(request, case_id, token)
        form = await signed.form_data(request)
        signed.check_csrf(request, form, access.contact)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    answers = equality_form.read(form)
    if answers is None:
        return _page(request, access, request.url.path, None)
    await signed.in_session(
        request,
        lambda session: equality.record(session, access.presenter.id, answers, "the presenter"),
    )
    return _page(request, access, request.url.path, "Thank you. Your answers are saved.")
