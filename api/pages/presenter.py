"""The presenter's pages, opened from the signed links in their emails (no account).

``/presenter/{case_id}/{token}``: after the meeting, check the actions the board agreed and
confirm them, or say what is missing. ``/feedback/{action_id}/{token}``: once an action has
closed, say whether what was done met their concern (met / partly / not met) with a comment;
"not met" is escalated to the Community Voice Lead by the case's workflow. The questions and
the flow that asks them are in ``presenter_questions``.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.pages import signed
from api.pages.presenter_questions import (
    CONFIRM_QUESTION,
    FEEDBACK_QUESTION,
    answer,
    question_page,
    receipt,
)
from api.presenters.action import summary_rows
from services.link_problems import LinkProblem
from services.links import PresenterAccess, feedback_access, presenter_access

router = APIRouter(include_in_schema=False)

CONFIRM = "/presenter/{case_id}/{token}"
FEEDBACK = "/feedback/{action_id}/{token}"


# --- confirm the agreed actions ---------------------------------------------------------------


async def _confirm_access(
    request: Request, case_id: uuid.UUID, token: str, **kwargs: Any
) -> PresenterAccess:
    links = signed.links(request)
    return await signed.in_session(
        request, lambda session: presenter_access(session, links, case_id, token, **kwargs)
    )


def _confirm_page(
    request: Request,
    access: PresenterAccess,
    base: str,
    *,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    context = {
        "case": access.case,
        "board_name": access.board.name,
        "presenter": access.presenter,
        "actions": [summary_rows(a, for_owner=False) for a in access.actions],
    }
    return question_page(request, access, CONFIRM_QUESTION, context, base, values, errors)


@router.get(CONFIRM, response_class=HTMLResponse)
async def confirm_page(request: Request, case_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _confirm_access(request, case_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return _confirm_page(request, access, f"/presenter/{case_id}/{token}")


@router.post(CONFIRM, response_model=None)
async def confirm(request: Request, case_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _confirm_access(request, case_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return await answer(
        request,
        access,
        CONFIRM_QUESTION,
        _confirm_page,
        f"/presenter/{case_id}/{token}",
        scope=f"presenter:{access.presenter.id}",
        extra={},
    )


@router.get(f"{CONFIRM}/receipt/{{command_id}}", response_class=HTMLResponse)
async def confirm_receipt(
    request: Request, case_id: uuid.UUID, token: str, command_id: uuid.UUID
) -> Response:
    try:
        access = await _confirm_access(request, case_id, token, allow_closed=True)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return await receipt(request, access, command_id, case_id=case_id)


# --- after an action closes: did it meet the concern? ------------------------------------------


async def _feedback_access(request: Request, action_id: uuid.UUID, token: str) -> PresenterAccess:
    links = signed.links(request)
    return await signed.in_session(
        request, lambda session: feedback_access(session, links, action_id, token)
    )


def _feedback_page(
    request: Request,
    access: PresenterAccess,
    base: str,
    *,
    values: dict[str, str] | None = None,
    errors: list[dict[str, str]] | None = None,
) -> HTMLResponse:
    assert access.action is not None
    context = {
        "case": access.case,
        "board_name": access.board.name,
        "action": access.action,
        "rows": summary_rows(access.action, for_owner=False),
    }
    preselected = request.query_params.get("answer")
    if values is None and preselected in {a for a, _ in FEEDBACK_QUESTION.answers}:
        values = {"answer": preselected}
    return question_page(request, access, FEEDBACK_QUESTION, context, base, values, errors)


@router.get(FEEDBACK, response_class=HTMLResponse)
async def feedback_page(request: Request, action_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _feedback_access(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return _feedback_page(request, access, f"/feedback/{action_id}/{token}")


@router.post(FEEDBACK, response_model=None)
async def feedback(request: Request, action_id: uuid.UUID, token: str) -> Response:
    try:
        access = await _feedback_access(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return await answer(
        request,
        access,
        FEEDBACK_QUESTION,
        _feedback_page,
        f"/feedback/{action_id}/{token}",
        scope=f"feedback:{access.presenter.id}:{action_id}",
        extra={"action_id": action_id},
    )


@router.get(f"{FEEDBACK}/receipt/{{command_id}}", response_class=HTMLResponse)
async def feedback_receipt(
    request: Request, action_id: uuid.UUID, token: str, command_id: uuid.UUID
) -> Response:
    try:
        access = await _feedback_access(request, action_id, token)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    return await receipt(request, access, command_id, case_id=access.case.id)
