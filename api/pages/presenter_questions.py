"""The presenter's two questions and the one flow that asks them: a page with radios and a
comment, answered once; the answer checked, then handed to the case's workflow through the
inbox; and the receipt that says what became of it. The routes are in ``presenter``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from api.pages import signed
from api.templating import render
from models.audit import ActorKind
from models.commands import PresenterConfirmBody, PresenterFeedbackBody
from models.inbox import InboxCommand
from services.link_problems import LinkProblem
from services.links import PresenterAccess


@dataclass(frozen=True)
class Question:
    """One of the presenter's two questions: radios and a comment, answered once."""

    template: str
    title: str
    answers: list[tuple[str, str]]
    #: What to say when a field is wrong, by field.
    messages: dict[str, str]
    #: The case command the answer becomes.
    kind: str
    body_type: type[PresenterConfirmBody] | type[PresenterFeedbackBody]


CONFIRM_QUESTION = Question(
    template="presenter/confirm.jinja",
    title="Check the actions the board agreed",
    answers=[
        ("confirmed", "Yes, these are the actions that were agreed"),
        ("missing", "Something is missing or not right"),
    ],
    messages={
        "answer": "Choose whether these are the actions that were agreed",
        "comment": "Tell us what is missing or not right",
    },
    kind="presenter_confirm",
    body_type=PresenterConfirmBody,
)
FEEDBACK_QUESTION = Question(
    template="presenter/feedback.jinja",
    title="Did this meet your concern?",
    answers=[
        ("met", "Yes, it met my concern"),
        ("partly", "It partly met my concern"),
        ("not_met", "No, it did not meet my concern"),
    ],
    messages={
        "answer": "Choose whether it met your concern",
        "comment": "Keep your comment under 5,000 characters",
    },
    kind="presenter_feedback",
    body_type=PresenterFeedbackBody,
)

#: Renders a question's page: (request, access, base, *, values=None, errors=None).
QuestionPage = Callable[..., HTMLResponse]


def _actor(access: PresenterAccess, request: Request) -> Any:
    return signed.link_actor(
        ActorKind.presenter_link, access.presenter.display_name, access.presenter.id, request
    )


def question_page(
    request: Request,
    access: PresenterAccess,
    question: Question,
    context: dict[str, Any],
    base: str,
    values: dict[str, str] | None,
    errors: list[dict[str, str]] | None,
) -> HTMLResponse:
    context = {**context, "contact": access.contact, "submission": signed.new_submission()}
    if access.answered is not None:
        return render(
            request,
            "presenter/answered.jinja",
            {**context, "page_title": "You have answered already", "answered": access.answered},
            status_code=409 if request.method == "POST" else 200,
        )
    return render(
        request,
        question.template,
        {
            **context,
            "page_title": question.title,
            "form_action": base,
            "answers": question.answers,
            "values": values or {},
            "errors": errors or [],
            "error_for": signed.field_messages(errors or []),
        },
        status_code=422 if errors else 200,
    )


async def answer(
    request: Request,
    access: PresenterAccess,
    question: Question,
    page: QuestionPage,
    base: str,
    *,
    scope: str,
    extra: dict[str, Any],
) -> Response:
    """Check the submitted answer, then hand it to the case's workflow through the inbox."""
    try:
        form = await signed.form_data(request)
        signed.check_csrf(request, form, access.contact)
    except LinkProblem as problem:
        return signed.problem_page(request, problem)
    body, errors = signed.parse(
        question.body_type,
        {"answer": form.get("answer") or None, "comment": form.get("comment")},
        question.messages,
    )
    commands = request.app.state.commands
    actor = _actor(access, request)
    key = signed.idempotency_key(scope, form)
    extra = {"presenter_id": access.presenter.id, **extra}

    if body is not None:
        sent_before = await signed.sent_before(
            request,
            lambda: commands.first_for_case(
                access.case.id, question.kind, body, actor, idempotency_key=key, extra=extra
            ),
            receipt_base=base,
            contact=access.contact,
            back=base,
        )
        if sent_before is not None:  # a double click: the first answer's receipt
            return sent_before
    if access.answered is not None:
        return page(request, access, base)
    if body is None:
        return page(request, access, base, values=form, errors=errors)

    async def send() -> InboxCommand:
        row: InboxCommand = await commands.to_case(
            access.case.id, question.kind, body, actor, idempotency_key=key, extra=extra
        )
        return row

    return await signed.submit(request, send, receipt_base=base, contact=access.contact, back=base)


async def receipt(
    request: Request, access: PresenterAccess, command_id: uuid.UUID, *, case_id: uuid.UUID
) -> Response:
    row = await signed.in_session(request, lambda session: session.get(InboxCommand, command_id))
    actor = (row.payload.get("body", {}).get("command", {}).get("actor", {}) if row else {}) or {}
    if row is None or row.case_id != case_id or actor.get("id") != str(access.presenter.id):
        return signed.problem_page(
            request,
            LinkProblem(
                404,
                "We cannot find this receipt",
                ["Nothing has been changed."],
                contact=access.contact,
            ),
        )
    context = signed.receipt_context(row)
    return render(
        request,
        "presenter/receipt.jinja",
        {**context, "page_title": context["title"], "contact": access.contact},
    )
