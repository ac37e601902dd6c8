"""Forms for what staff do to a case or an action: each posts one command to its workflow.

GET shows the form; POST checks it, hands the command to ``Commands`` (as the JSON API does)
and redirects to the case page, which says what became of it. A refusal comes back on the form.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from api.deps import SessionDep, release, staff_actor
from api.pages.command_forms import BY_SLUG, CommandSpec, action_allows, body_fields
from api.pages.deps import Forbidden, PageNotFound, StaffDriver, StaffReader, parse_id
from api.pages.forms import SENT_BEFORE, Form, read_form
from api.pages.owner_choice import LABELS as OWNER_LABELS
from api.pages.owner_choice import owner_options, partner_options, read_owner, resolve_owner
from api.pages.render import page
from models.action import Action
from models.case import Case
from models.commands import AddActionBody, refusal
from models.inbox import CommandStatus, InboxCommand
from models.rag import LABELS as RAG_LABELS
from models.rag import Rag
from models.staff import StaffUser
from services.commands import Commands
from services.errors import Busy, Conflict, InvalidInput, NotFound
from services.idempotency import KeyReused

router = APIRouter(include_in_schema=False)
RAG_CHOICES = [(r.value, RAG_LABELS[r]) for r in (Rag.green, Rag.amber, Rag.red)]
ADD_ACTION_LABELS = {
    "text": "What was agreed",
    "owner_as_written": "Owner as the minutes give it",
    "due_date": "Due date",
    **OWNER_LABELS,
}


@dataclass
class CommandPage:
    """One command form: where it is, what it is about, and what was typed."""

    request: Request
    session: Session
    case: Case
    form: Form
    title: str
    template: str = "cases/command.jinja"
    action: Action | None = None
    spec: CommandSpec | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def render(self, status: int = 200) -> HTMLResponse:
        back = f"/cases/{self.case.id}" + (f"#action-{self.action.seq}" if self.action else "")
        return page(
            self.request,
            self.template,
            {
                "page_title": self.title,
                "form": self.form,
                "form_action": self.request.url.path,
                "case": self.case,
                "action": self.action,
                "spec": self.spec,
                "back_link": {"href": back, "text": "Back to the case"},
                "rag_choices": RAG_CHOICES,
                "owners": owner_options(self.session, none_text="Choose an owner"),
                "unnamed_owners": owner_options(self.session),
                "partners": partner_options(self.session),
                "action_partners": partner_options(
                    self.session, none_text="The owner's organisation"
                ),
                **self.extra,
            },
            status_code=status,
        )

    async def submit(
        self, first_field: str, send: Callable[[str], Awaitable[InboxCommand]]
    ) -> Response:
        """Send the command; back to the case page, or this form with what went wrong."""
        release(self.session)
        try:
            row = await send(f"page:{self.form.get('idempotency_key')}")
        except KeyReused:
            return self.refused(first_field, SENT_BEFORE, status=422)
        except Busy as busy:
            self.form.add_error(first_field, str(busy))
            response = self.render(503)
            response.headers["Retry-After"] = str(busy.retry_after)
            return response
        except (ValidationError, InvalidInput) as invalid:
            self.form.add_validation_errors(invalid)
            return self.render(422)
        except (Conflict, NotFound) as refused:
            return self.refused(first_field, str(refused))
        if row.status is CommandStatus.rejected:
            return self.refused(first_field, row.outcome_message or "This could not be done.")
        anchor = f"#action-{self.action.seq}" if self.action else ""
        return RedirectResponse(f"/cases/{self.case.id}?command={row.id}{anchor}", status_code=303)

    def refused(self, first_field: str, message: str, status: int = 409) -> HTMLResponse:
        self.form.add_error(first_field, message)
        self.form.values["idempotency_key"] = str(uuid.uuid4())  # a corrected form is new
        return self.render(status)


def _load(session: Session, case_id: str, action_id: str | None) -> tuple[Case, Action | None]:
    case = session.get(Case, parse_id(case_id))
    if case is None:
        raise PageNotFound("There is no such case.")
    if action_id is None:
        return case, None
    action = session.get(Action, parse_id(action_id))
    if action is None or action.case_id != case.id:
        raise PageNotFound("There is no such action on this case.")
    return case, action


def _spec(scope: str, slug: str, user: StaffUser) -> CommandSpec:
    spec = BY_SLUG[scope].get(slug)
    if spec is None:
        raise PageNotFound("There is no such page.")
    if not user.can(spec.permission):
        raise Forbidden(user, spec.permission)
    return spec


def _form(labels: dict[str, str], dates: list[str], data: Any = None) -> Form:
    form = (
        Form.from_data(data, labels=labels, dates=dates)
        if data
        else Form(labels=labels, dates=dates)
    )
    form.values.setdefault("idempotency_key", str(uuid.uuid4()))
    return form


def _read_fields(form: Form, spec: CommandSpec, session: Session) -> dict[str, Any] | None:
    """The command's fields from the form (adding errors to it); None if any is wrong."""
    due = None
    for f in spec.fields:
        if f.kind == "date":
            due = form.parse_date(f.name, required=f.required)
        elif f.kind == "rag":
            value = form.get(f.name)
            if value and value not in dict(RAG_CHOICES):
                form.add_error(f.name, "Choose Green, Amber or Red")
            elif f.required and not value:
                form.add_error(f.name, "Choose the RAG rating")
        elif f.kind == "owner":
            choice = read_owner(form, required=f.required)
            if choice is not None and not form.has_errors():
                try:
                    form.values["owner_id"] = str(resolve_owner(session, choice, field="owner_id"))
                except InvalidInput as invalid:
                    form.add_validation_errors(invalid)
    if form.has_errors():
        return None
    return body_fields(spec, form.values, due)


def _body(spec: CommandSpec, fields: dict[str, Any]) -> BaseModel:
    return spec.body.model_validate(fields)


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
    spec = _spec("action", slug, user)
    case, action = _load(session, case_id, action_id)
    assert action is not None
    cp = CommandPage(
        request, session, case, _form(spec.labels, spec.dates), spec.title, action=action, spec=spec
    )
    if not action_allows(spec, action):
        why = refusal(spec.kind, action.status, action.is_closed) or "It does not apply now."
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
    spec = _spec("action", slug, user)
    case, action = _load(session, case_id, action_id)
    assert action is not None
    form = _form(spec.labels, spec.dates, await read_form(request))
    cp = CommandPage(request, session, case, form, spec.title, action=action, spec=spec)
    fields = _read_fields(form, spec, session)
    if fields is None:
        return cp.render(422)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)
    return await cp.submit(
        spec.fields[0].name,
        lambda key: commands.to_action(
            action.id, spec.kind, _body(spec, fields), actor, idempotency_key=key
        ),
    )


# --- adding an action -------------------------------------------------------------------------


@router.get("/cases/{case_id}/add-action", response_class=HTMLResponse)
def add_action_form(
    case_id: str, request: Request, session: SessionDep, _: StaffDriver
) -> HTMLResponse:
    case, _action = _load(session, case_id, None)
    form = _form(ADD_ACTION_LABELS, ["due_date"])
    return CommandPage(
        request, session, case, form, "Add an action", "cases/add-action.jinja"
    ).render()


@router.post("/cases/{case_id}/add-action", response_class=HTMLResponse)
async def add_action(
    case_id: str, request: Request, session: SessionDep, user: StaffDriver
) -> Response:
    case, _action = _load(session, case_id, None)
    form = _form(ADD_ACTION_LABELS, ["due_date"], await read_form(request))
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
    spec = _spec("case", slug, user)
    case, _action = _load(session, case_id, None)
    form = _form(spec.labels, spec.dates)
    return CommandPage(request, session, case, form, spec.title, spec=spec).render()


@router.post("/cases/{case_id}/{slug}", response_class=HTMLResponse)
async def case_command(
    case_id: str, slug: str, request: Request, session: SessionDep, user: StaffReader
) -> Response:
    spec = _spec("case", slug, user)
    case, _action = _load(session, case_id, None)
    form = _form(spec.labels, spec.dates, await read_form(request))
    cp = CommandPage(request, session, case, form, spec.title, spec=spec)
    fields = _read_fields(form, spec, session)
    if fields is None:
        return cp.render(422)
    commands: Commands = request.app.state.commands
    actor = staff_actor(user, request)
    return await cp.submit(
        spec.fields[0].name,
        lambda key: commands.to_case(
            case.id, spec.kind, _body(spec, fields), actor, idempotency_key=key
        ),
    )
