"""The escalation queue (``/escalations``), its live state for the page script, and resolving."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import SessionDep, release, staff_actor
from api.pages.deps import PageNotFound, StaffIntervener, StaffReader, parse_id, safe_next
from api.pages.forms import SENT_BEFORE, Form, read_form
from api.pages.render import page
from api.presenters.case import banner
from api.presenters.escalation import queue
from api.presenters.links import Link
from api.presenters.pagination import Page, pagination, read_page
from models.base import utcnow
from models.commands import ResolveEscalationBody
from models.escalation import RULE_LABELS, Escalation, EscalationStatus
from models.formatting import date_and_time
from models.inbox import CommandStatus, InboxCommand
from models.staff import StaffUser
from services import oversight
from services.commands import Commands
from services.errors import Conflict, InvalidInput, NotFound
from services.idempotency import KeyReused

router = APIRouter(include_in_schema=False)
LABELS = {"note": "Note"}
#: Escalations a page of the queue.
QUEUE_PAGE = 25


def _page_href(number: int) -> str:
    return f"/escalations?page={number}" if number > 1 else "/escalations"


def queue_context(
    request: Request, session: Session, user: StaffUser, *, limit: int | None = None
) -> dict[str, Any]:
    """What the queue partial needs: one page of it (``?page=``, ``QUEUE_PAGE`` a page), or,
    with ``limit``, the oldest few and a link to the rest (the Community Voice Lead's home)."""
    count, version = oversight.queue_version(session=session)
    shown = Page(1 if limit else read_page(request.query_params), count, limit or QUEUE_PAGE)
    command = None
    command_text = request.query_params.get("command")
    if command_text:
        try:
            command = session.get(InboxCommand, uuid.UUID(command_text))
        except ValueError:
            command = None
    return {
        "queue": queue(
            oversight.escalation_queue(session=session, offset=shown.offset, limit=shown.size),
            user,
            utcnow(),
            next_url=request.url.path,
            start=shown.offset + 1,
        ),
        "queue_count": count,
        "queue_more": Link(f"See all {count:,} open escalations", "/escalations")
        if limit and count > limit
        else None,
        "queue_pagination": None
        if limit
        else pagination(shown, _page_href, "Pages of open escalations"),
        "queue_version": version,
        "banner": banner(command),
    }


@router.get("/escalations", response_class=HTMLResponse)
def escalations(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    return page(
        request,
        "escalations/index.jinja",
        {"page_title": "Escalations", **queue_context(request, session, user)},
    )


@router.get("/escalations/state.json")
def queue_state(session: SessionDep, _: StaffReader) -> JSONResponse:
    """For the page script: how many are open, and a fingerprint that changes with the queue."""
    count, version = oversight.queue_version(session=session)
    return JSONResponse({"open": count, "version": version}, headers={"Cache-Control": "no-store"})


def _escalation(session: Session, escalation_id: str) -> Escalation:
    escalation = session.get(Escalation, parse_id(escalation_id))
    if escalation is None:
        raise PageNotFound("There is no such escalation.")
    return escalation


def _resolve_page(
    request: Request, escalation: Escalation, form: Form, status: int = 200
) -> HTMLResponse:
    back = safe_next(form.get("next") or "/escalations")
    return page(
        request,
        "escalations/resolve.jinja",
        {
            "page_title": "Resolve the escalation",
            "form": form,
            "form_action": f"/escalations/{escalation.id}/resolve",
            "cause": RULE_LABELS[escalation.rule],
            "reason": escalation.reason,
            "raised": date_and_time(escalation.raised_at),
            "resolved": escalation.status is EscalationStatus.resolved,
            "resolution": f"Resolved {date_and_time(escalation.resolved_at)} by "
            f"{escalation.resolved_by}: {escalation.resolution_note}",
            "case_href": f"/cases/{escalation.case_id}",
            "back_link": {"href": back, "text": "Back"},
        },
        status_code=status,
    )


@router.get("/escalations/{escalation_id}/resolve", response_class=HTMLResponse)
def resolve_form(
    escalation_id: str, request: Request, session: SessionDep, _: StaffIntervener
) -> HTMLResponse:
    escalation = _escalation(session, escalation_id)
    form = Form(
        {
            "next": safe_next(request.query_params.get("next") or "/escalations"),
            "idempotency_key": str(uuid.uuid4()),
        },
        labels=LABELS,
    )
    return _resolve_page(request, escalation, form)


@router.post("/escalations/{escalation_id}/resolve", response_class=HTMLResponse)
async def resolve(
    escalation_id: str, request: Request, session: SessionDep, user: StaffIntervener
) -> Response:
    escalation = _escalation(session, escalation_id)
    form = Form.from_data(await read_form(request), labels=LABELS)
    if not form.get("note"):
        form.add_error("note", "Enter a note saying what was done about it")
        return _resolve_page(request, escalation, form, 422)
    commands: Commands = request.app.state.commands
    release(session)
    try:
        body = ResolveEscalationBody.model_validate({"note": form.get("note")})
        row = await commands.resolve_escalation(
            escalation.id,
            body,
            staff_actor(user, request),
            idempotency_key=f"page:{form.get('idempotency_key') or uuid.uuid4()}",
        )
    except KeyReused:
        form.add_error("note", SENT_BEFORE)
        form.values["idempotency_key"] = str(uuid.uuid4())
        return _resolve_page(request, escalation, form, 422)
    except (ValidationError, InvalidInput) as invalid:
        form.add_validation_errors(invalid)
        return _resolve_page(request, escalation, form, 422)
    except (Conflict, NotFound) as refused:
        form.add_error("note", str(refused))
        return _resolve_page(request, escalation, form, 409)
    if row.status is CommandStatus.rejected:
        form.add_error("note", row.outcome_message or "This could not be done.")
        form.values["idempotency_key"] = str(uuid.uuid4())
        return _resolve_page(request, escalation, form, 409)
    back = safe_next(form.get("next") or "/escalations")
    joiner = "&" if "?" in back else "?"
    return RedirectResponse(f"{back}{joiner}command={row.id}", status_code=303)
