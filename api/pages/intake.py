"""Recording a session (``/cases/new``): one form, then the case workflow starts."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from api.deps import SessionDep, release, staff_actor
from api.pages import intake_form
from api.pages.deps import StaffRecorder
from api.pages.forms import SENT_BEFORE, Form, read_form
from api.pages.owner_choice import owner_options, partner_options, resolve_owner
from api.pages.render import page
from models.base import utcnow
from models.board import Board
from models.case import OUTCOME_LABELS, CaseOutcome
from models.staff import StaffUser
from services import intake
from services.commands import Commands
from services.errors import InvalidInput
from services.idempotency import KeyReused

router = APIRouter(include_in_schema=False)

OUTCOME_HINTS = {
    CaseOutcome.held: "The presenters spoke and the board agreed actions.",
    CaseOutcome.no_action: "The presenters spoke; the board agreed no specific action.",
    CaseOutcome.withdrawn: "The planned presentation was withdrawn late.",
    CaseOutcome.deferred: "The presentation moved to a later meeting.",
    CaseOutcome.cancelled: "The meeting itself was cancelled.",
}


def _choices(session: Session) -> dict[str, Any]:
    boards = session.exec(select(Board).order_by(col(Board.name))).all()
    return {
        "boards": [("", "Choose a board")] + [(b.slug, b.name) for b in boards],
        "outcomes": [(o.value, OUTCOME_LABELS[o], OUTCOME_HINTS[o]) for o in CaseOutcome],
        "owners": owner_options(session),
        "partners": partner_options(session),
        "action_partners": partner_options(session, none_text="The owner's organisation"),
    }


def _page(
    request: Request, session: Session, form: Form, *, focus: str | None = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "cases/new.jinja",
        {
            "page_title": "Record a session",
            "form": form,
            "form_action": "/cases/new",
            "focus": focus,
            "presenter_rows": range(intake_form.row_count(form, "presenters")),
            "action_rows": range(intake_form.row_count(form, "actions")),
            **_choices(session),
        },
        status_code=status,
    )


@router.get("/cases/new", response_class=HTMLResponse)
def new_case(request: Request, session: SessionDep, _: StaffRecorder) -> HTMLResponse:
    form = intake_form.new_form()
    boards = session.exec(select(Board)).all()
    if len(boards) == 1:
        form.values["board"] = boards[0].slug
    return _page(request, session, form)


@router.post("/cases/new", response_class=HTMLResponse)
async def record_case(request: Request, session: SessionDep, user: StaffRecorder) -> Response:
    form = intake_form.new_form(dict(await read_form(request)))
    form.values = {k: v.strip() for k, v in form.values.items()}
    intent = form.values.pop("intent", "save")
    if intent != "save":
        focus = intake_form.change_rows(form, intent)
        return _page(request, session, form, focus=focus)
    parsed = intake_form.parse(form)
    if parsed.body is None:
        return _page(request, session, form, status=422)
    try:
        row = await _start(request, session, user, form, parsed)
    except KeyReused:
        form.add_error("theme", SENT_BEFORE)
        form.values["idempotency_key"] = str(uuid.uuid4())  # sent again, it is a new one
        return _page(request, session, form, status=422)
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _page(request, session, form, status=422)
    return RedirectResponse(f"/cases/{row.case_id}?command={row.id}", status_code=303)


async def _start(
    request: Request, session: Session, user: StaffUser, form: Form, parsed: intake_form.Parsed
) -> Any:
    assert parsed.body is not None
    body = parsed.body
    for i, choice in enumerate(parsed.owners):
        if choice is not None and choice.new is not None:
            prefix = f"actions-{i}-"
            owner_id = await asyncio.to_thread(
                resolve_owner, session, choice, field=f"actions.{i}.new_owner_email"
            )
            # What was typed now names a directory entry: a retry adds no one twice.
            form.values[f"{prefix}owner_id"] = str(owner_id)
            for name in ("new_owner_name", "new_owner_email", "new_owner_partner"):
                form.values[f"{prefix}{name}"] = ""
            body.actions[i].owner_id = owner_id
    release(session)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)
    return await commands.start_case(
        lambda s, command_id: intake.case_input(
            s, body, actor=actor, now=utcnow(), command_id=command_id
        ),
        actor,
        body=body,
        idempotency_key=f"intake:{form.get('idempotency_key')}",
    )
