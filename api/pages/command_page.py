"""A staff command form as a page: what it is about, what was typed, and what became of it.

``CommandPage`` renders the form (with the choices its fields offer) and submits the command,
coming back to the form with what went wrong or was refused. The helpers load the case and
action, find the command's spec and check the user may use it, and read the spec's fields.
The routes are in ``case_commands``.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from api.deps import release
from api.pages.command_forms import BY_SLUG, CommandSpec, body_fields
from api.pages.deps import Forbidden, PageNotFound, parse_id
from api.pages.forms import SENT_BEFORE, Form
from api.pages.owner_choice import owner_options, partner_options, read_owner, resolve_owner
from api.pages.render import page
from models.action import Action
from models.case import Case
from models.inbox import CommandStatus, InboxCommand
from models.rag import LABELS as RAG_LABELS
from models.rag import Rag
from models.staff import StaffUser
from services.errors import Busy, Conflict, InvalidInput, NotFound
from services.idempotency import KeyReused

RAG_CHOICES = [(r.value, RAG_LABELS[r]) for r in (Rag.green, Rag.amber, Rag.red)]


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


def load(session: Session, case_id: str, action_id: str | None) -> tuple[Case, Action | None]:
    case = session.get(Case, parse_id(case_id))
    if case is None:
        raise PageNotFound("There is no such case.")
    if action_id is None:
        return case, None
    action = session.get(Action, parse_id(action_id))
    if action is None or action.case_id != case.id:
        raise PageNotFound("There is no such action on this case.")
    return case, action


def spec_for(scope: str, slug: str, user: StaffUser) -> CommandSpec:
    spec = BY_SLUG[scope].get(slug)
    if spec is None:
        raise PageNotFound("There is no such page.")
    if not user.can(spec.permission):
        raise Forbidden(user, spec.permission)
    return spec


def new_form(labels: dict[str, str], dates: list[str], data: Any = None) -> Form:
    form = (
        Form.from_data(data, labels=labels, dates=dates)
        if data
        else Form(labels=labels, dates=dates)
    )
    form.values.setdefault("idempotency_key", str(uuid.uuid4()))
    return form


def read_fields(form: Form, spec: CommandSpec, session: Session) -> dict[str, Any] | None:
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


def command_body(spec: CommandSpec, fields: dict[str, Any]) -> BaseModel:
    return spec.body.model_validate(fields)
