"""What the signed-link pages (owners, presenters) share: problem pages, forms, receipts.

Opening any of these pages (GET, HEAD) changes nothing: mail scanners open links first. Only a
POSTed form with this browser's CSRF token becomes a command, through the inbox, for the
workflow to apply or refuse. No page here signs anyone in.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from api import csrf
from api.templating import render
from models.audit import Actor, ActorKind
from models.inbox import CommandStatus, InboxCommand
from models.text import is_text_problem
from notifications.links import Links
from services.errors import Busy, Conflict, InvalidInput, NotFound, field_errors
from services.idempotency import KeyReused
from services.link_problems import Contact, LinkProblem

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

_SUBMISSION = re.compile(r"^[0-9a-f]{32}$")


def links(request: Request) -> Links:
    """The app's link signer, made once from its settings."""
    existing: Links | None = getattr(request.app.state, "links", None)
    if existing is None:
        from datetime import timedelta

        settings = request.app.state.settings
        existing = Links(
            settings.secret_key.get_secret_value(),
            settings.base_url,
            max_age=timedelta(days=settings.link_max_age_days),
        )
        request.app.state.links = existing
    return existing


async def in_session(request: Request, work: Callable[[Any], T]) -> T:
    """Run ``work(session)`` in a worker thread (the database calls are synchronous)."""

    def run() -> T:
        with request.app.state.sessions() as session:
            return work(session)

    return await asyncio.to_thread(run)


def problem_page(request: Request, problem: LinkProblem) -> HTMLResponse:
    """The page for a refused link (``X-Robots-Tag: noindex``, as every link page: api.headers)."""
    return render(
        request,
        "links/problem.jinja",
        {"page_title": problem.title, "problem": problem},
        status_code=problem.status_code,
    )


def refused(request: Request, message: str, contact: Contact | None, back: str) -> HTMLResponse:
    return problem_page(
        request,
        LinkProblem(
            409,
            "This cannot be done now",
            [message, "Nothing has been changed."],
            contact=contact,
            back=(back, "Go back to the action"),
        ),
    )


async def form_data(request: Request) -> dict[str, str]:
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


def check_csrf(request: Request, form: dict[str, str], contact: Contact | None) -> None:
    """Raise a ``LinkProblem`` (403) unless the form came from our page in this browser."""
    try:
        csrf.check(request, form.get(csrf.FIELD))
    except HTTPException as error:
        raise LinkProblem(
            403,
            "This form has expired",
            [
                "For your security, forms only work from our own page in the same browser, and "
                "for 12 hours. Go back, reload the page and try again.",
                "Nothing has been changed.",
            ],
            contact=contact,
        ) from error


def new_submission() -> str:
    return uuid.uuid4().hex


def idempotency_key(scope: str, form: dict[str, str]) -> str | None:
    """A double click on the same form sends one command (the form carries a submission id)."""
    submission = form.get("submission", "")
    return f"{scope}:{submission}" if _SUBMISSION.match(submission) else None


def parse(
    model: type[M],
    values: dict[str, Any],
    messages: dict[str, str],
    *,
    required: tuple[str, ...] = (),
) -> tuple[M | None, list[dict[str, str]]]:
    """The body, or errors for the error summary in the form's order (``messages``: field ->
    plain English; ``required``: fields this page asks for even if the body would not)."""
    found: dict[str, str] = {}
    for name in required:
        if not str(values.get(name) or "").strip():
            found[name] = messages.get(name, f"Enter {name.replace('_', ' ')}")
    try:
        body = model.model_validate(values)
    except ValidationError as error:
        body = None
        for e in field_errors(list(error.errors())):
            name = e["field"].split(".")[0] or next(iter(messages), "")
            if is_text_problem(e["message"]):  # the page's own words would not say what is wrong
                found[name] = f"The text you typed {e['message']}"
            found.setdefault(name, messages.get(name) or e["message"])
    if not found:
        return body, []
    order = list(messages) + [n for n in found if n not in messages]
    errors = [
        {"text": found[n][:1].upper() + found[n][1:], "href": f"#{n}", "field": n}
        for n in order
        if n in found
    ]
    return None, errors


def field_messages(errors: list[dict[str, str]]) -> dict[str, str]:
    return {e["field"]: e["text"] for e in errors}


def link_actor(kind: ActorKind, name: str, person: uuid.UUID, request: Request) -> Actor:
    return Actor(
        kind=kind,
        name=name,
        id=str(person),
        source=request.client.host if request.client else None,
    )


async def submit(
    request: Request,
    send: Callable[[], Any],
    *,
    receipt_base: str,
    contact: Contact | None,
    back: str,
) -> HTMLResponse | RedirectResponse:
    """Submit a command and redirect to its receipt (post/redirect/get)."""
    try:
        row: InboxCommand = await send()
    except LinkProblem as problem:
        return problem_page(request, problem)
    except KeyReused:
        return problem_page(request, _sent_before(contact, back))
    except Busy as busy:
        return busy_page(request, busy, contact, back)
    except Conflict as conflict:
        return refused(request, str(conflict), contact, back)
    except (InvalidInput, NotFound) as error:
        return refused(request, str(error), contact, back)
    return RedirectResponse(f"{receipt_base}/receipt/{row.id}", status_code=303)


async def sent_before(
    request: Request,
    find: Callable[[], Any],
    *,
    receipt_base: str,
    contact: Contact | None,
    back: str,
) -> Response | None:
    """If this form was sent before (its submission id, from this person), the first one's
    receipt; None if it is new. Looked up before any check of the record's state, so a double
    click gets the first receipt even when the first submission closed the action."""
    try:
        row: InboxCommand | None = await find()
    except KeyReused:
        return problem_page(request, _sent_before(contact, back))
    except Busy as busy:
        return busy_page(request, busy, contact, back)
    if row is None:
        return None
    return RedirectResponse(f"{receipt_base}/receipt/{row.id}", status_code=303)


def busy_page(request: Request, busy: Busy, contact: Contact | None, back: str) -> HTMLResponse:
    response = problem_page(request, _busy(contact, back))
    response.headers["Retry-After"] = str(busy.retry_after)
    return response


def _sent_before(contact: Contact | None, back: str) -> LinkProblem:
    return LinkProblem(
        422,
        "This form was sent already",
        [
            "You sent this form before with different answers, and we kept the first. To send "
            "something new, go back to the action and open the form again.",
            "Nothing more has been changed.",
        ],
        contact=contact,
        back=(back, "Go back to the action"),
    )


def _busy(contact: Contact | None, back: str) -> LinkProblem:
    return LinkProblem(
        503,
        "We are very busy just now",
        [
            "Nothing has been saved. Please go back and send the form again in a minute.",
        ],
        contact=contact,
        back=(back, "Go back to the action"),
    )


def receipt_context(row: InboxCommand) -> dict[str, Any]:
    """What the receipt page says about a command, as it stands now."""
    if row.status is CommandStatus.applied:
        return {
            "state": "applied",
            "title": "Thank you: this is recorded",
            "message": row.outcome_message,
        }
    if row.status is CommandStatus.rejected:
        return {
            "state": "rejected",
            "title": "This could not be recorded",
            "message": row.outcome_message,
        }
    return {
        "state": "pending",
        "title": "Thank you: we have received this",
        "message": "It is saved and will show on the action within a few minutes. You do not "
        "need to send it again.",
    }
