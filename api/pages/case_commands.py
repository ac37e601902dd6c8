"""Forms for what staff do to a case or an action: each posts one command to its workflow.

GET shows the form; POST checks it, hands the command to ``Commands`` (as the JSON API does)
and redirects to the case page, which says what became of it. A refusal comes back on the form.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from api.deps import SessionDep, release, staff_actor
from api.pages.command_forms import action_allows
from api.pages.command_page import CommandPage, command_body, load, new_form, read_fields, spec_for
from api.pages.deps import StaffDriver, StaffReader
from api.pages.forms import read_form
from api.pages.owner_choice import LABELS as OWNER_LABELS
from api.pages.owner_choice import read_owner, resolve_owner
from models.commands import AddActionBody, refusal
from models.inbox import InboxCommand
from services.commands import Commands

router = APIRouter(include_in_schema=False)
ADD_ACTION_LABELS = {
    "text": "What was agreed",
    "owner_as_written": "Owner as the minutes give it",
    "due_date": "Due date",
    **OWNER_LABELS,
}


# --- action commands --------------------------------------------------------------------------


@router.get("/cases/{case_id}/actions/{action_id}/{slug}", response_class=HTMLResponse)
def action_command_form(
    case_id: str,
    action_id: str,
    slug: str,
    request: Request,
    session: SessionDep,
    user: StaffReader,
) -> HTMLResponse:
    spec = spec_for("action", slug, user)
    case, action = load(session, case_id, action_id)
    assert action is not None
    cp = CommandPage(
        request,
        session,
        case,
        new_form(spec.labels, spec.dates),
        spec.title,
        action=action,
        spec=spec,
    )
    if not action_allows(spec, action):
        why = (
            refusal(spec.kind, action.status, action.is_closed, history=action.is_history)
            or "It does not apply now."
        )
        cp.extra["unavailable"] = why
        return cp.render(409)
    if spec.kind == "extend_due_date" and action.due_date:
        cp.form.set_date("due_date", action.due_date)
    return cp.render()


@router.post("/cases/{case_id}/actions/{action_id}/{slug}", response_class=HTMLResponse)
async def action_command(
    case_id: str,
    action_id: str,
    slug: str,
    request: Request,
    session: SessionDep,
    user: StaffReader,
) -> Response:
    spec = spec_for("action", slug, user)
    case, action = load(session, case_id, action_id)
    assert action is not None
    form = new_form(spec.labels, spec.dates, await read_form(request))
    cp = CommandPage(request, session, case, form, spec.title, action=action, spec=spec)
    fields = read_fields(form, spec, session)
    if fields is None:
        return cp.render(422)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)
    return await cp.submit(
        spec.fields[0].name,
        lambda key: commands.to_action(
            action.id, spec.kind, command_body(spec, fields), actor, idempotency_key=key
        ),
    )


# --- adding an action -------------------------------------------------------------------------


@router.get("/cases/{case_id}/add-action", response_class=HTMLResponse)
def add_action_form(
    case_id: str, request: Request, session: SessionDep, _: StaffDriver
) -> HTMLResponse:
    case, _action = load(session, case_id, None)
    form = new_form(ADD_ACTION_LABELS, ["due_date"])
    return CommandPage(
        request, session, case, form, "Add an action", "cases/add-action.jinja"
    ).render()


@router.post("/cases/{case_id}/add-action", response_class=HTMLResponse)
async def add_action(
    case_id: str, request: Request, session: SessionDep, user: StaffDriver
) -> Response:
    case, _action = load(session, case_id, None)
    form = new_form(ADD_ACTION_LABELS, ["due_date"], await read_form(request))
    cp = CommandPage(request, session, case, form, "Add an action", "cases/add-action.jinja")
    due = form.parse_date("due_date")
    if due and due < case.meeting_date:
        form.add_error("due_date", "Due date must be on or after the meeting date")
    if not form.get("text"):
        form.add_error("text", "Enter what was agreed")
    choice = read_owner(form)
    if form.has_errors():
        return cp.render(422)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)

    async def send(key: str) -> InboxCommand:
        owner_id = await asyncio.to_thread(resolve_owner, session, choice, field="owner_id")
        release(session)
        if owner_id:  # now in the directory: a retry adds no one twice
            form.values.update(owner_id=str(owner_id), new_owner_name="", new_owner_email="")
        body = AddActionBody.model_validate(
            {
                "text": form.get("text"),
                "owner_id": owner_id,
                "owner_as_written": form.optional("owner_as_written"),
                "partner_id": form.optional("partner_id"),
                "due_date": due,
            }
        )
        return await commands.to_case(case.id, "add_action", body, actor, idempotency_key=key)

    return await cp.submit("text", send)


# --- case commands ----------------------------------------------------------------------------


@router.get("/cases/{case_id}/{slug}", response_class=HTMLResponse)
def case_command_form(
    case_id: str, slug: str, request: Request, session: SessionDep, user: StaffReader
) -> HTMLResponse:
    spec = spec_for("case", slug, user)
    case, _action = load(session, case_id, None)
    form = new_form(spec.labels, spec.dates)
    return CommandPage(request, session, case, form, spec.title, spec=spec).render()


@router.post("/cases/{case_id}/{slug}", response_class=HTMLResponse)
async def case_command(
    case_id: str, slug: str, request: Request, session: SessionDep, user: StaffReader
) -> Response:
    spec = spec_for("case", slug, user)
    case, _action = load(session, case_id, None)
    form = new_form(spec.labels, spec.dates, await read_form(request))
    cp = CommandPage(request, session, case, form, spec.title, spec=spec)
    fields = read_fields(form, spec, session)
    if fields is None:
        return cp.render(422)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)
    return await cp.submit(
        spec.fields[0].name,
        lambda key: commands.to_case(
            case.id, spec.kind, command_body(spec, fields), actor, idempotency_key=key
        ),
    )
