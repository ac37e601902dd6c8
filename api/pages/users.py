"""Staff accounts (``/users``, administrators): add, edit role and status, unlock, new password.
The command line does the same with ``cvt user add``."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffUserManager, parse_id
from api.pages.forms import Form, read_form, text_field
from api.pages.render import page
from models.base import utcnow
from models.formatting import date_and_time
from models.staff import ROLE_LABELS, Role, StaffUser, StaffUserCreate
from services import directory, staff
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)
LABELS = {
    "email": "Email address",
    "name": "Full name",
    "role": "Role",
    "password": "Password",
    "active": "Status",
}
ROLE_HINTS = {
    Role.engagement_lead: "Records sessions, contacts presenters, names owners, keeps the "
    "directory.",
    Role.cv_lead: "Everything an engagement lead does, plus escalations, due dates, RAG overrides "
    "and report approval.",
    Role.admin: "Everything, plus staff accounts and board settings.",
    Role.viewer: "Reads cases, the escalation queue and the RAG board; changes nothing.",
}
DONE = {
    "added": "The account is added. Give the person their password by a safe route.",
    "saved": "The account is saved.",
    "unlocked": "The account is unlocked.",
    "password": "The password is changed; the person is signed out everywhere.",
}


def _roles() -> list[tuple[str, str, str]]:
    return [(r.value, ROLE_LABELS[r], ROLE_HINTS[r]) for r in Role]


def _status(user: StaffUser) -> str:
    if not user.active:
        return "Deactivated"
    if user.locked_until and user.locked_until > utcnow():
        return f"Locked until {date_and_time(user.locked_until)}"
    return "Active"


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, session: SessionDep, _: StaffUserManager) -> HTMLResponse:
    rows = [
        {"user": u, "role": ROLE_LABELS[u.role], "status": _status(u)}
        for u in staff.list_users(session=session)
    ]
    done = DONE.get(request.query_params.get("done") or "")
    return page(
        request, "users/index.jinja", {"page_title": "Staff accounts", "rows": rows, "done": done}
    )


def _new_page(request: Request, form: Form, status: int = 200) -> HTMLResponse:
    return page(
        request,
        "users/new.jinja",
        {
            "page_title": "Add a staff account",
            "form": form,
            "form_action": "/users/new",
            "roles": _roles(),
            "back_link": {"href": "/users", "text": "Back to staff accounts"},
        },
        status_code=status,
    )


@router.get("/users/new", response_class=HTMLResponse)
def new_user(request: Request, _: StaffUserManager) -> HTMLResponse:
    return _new_page(request, Form(labels=LABELS))


@router.post("/users/new", response_class=HTMLResponse)
async def add_user(request: Request, session: SessionDep, _: StaffUserManager) -> Response:
    data = await read_form(request)
    form = Form.from_data(data, labels=LABELS)
    password = text_field(data, "password")
    form.values["password"] = ""  # never sent back
    if form.get("role") not in Role.__members__:
        form.add_error("role", "Choose the person's role")
    try:
        body = StaffUserCreate.model_validate(
            {
                "email": form.get("email"),
                "name": form.get("name"),
                "role": form.get("role") or None,
                "password": password,
            }
        )
    except ValidationError as invalid:
        form.add_validation_errors(invalid)
        return _new_page(request, form, 422)
    if form.has_errors():
        return _new_page(request, form, 422)
    try:
        await asyncio.to_thread(directory.create_user, session=session, body=body)
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _new_page(request, form, 422)
    return RedirectResponse("/users?done=added", status_code=303)


def _user(session: Session, user_id: str) -> StaffUser:
    try:
        return staff.get_user(session=session, user_id=parse_id(user_id))
    except NotFound as missing:
        raise PageNotFound(str(missing)) from missing


def _edit_page(
    request: Request,
    user: StaffUser,
    form: Form,
    password_form: Form | None = None,
    status: int = 200,
) -> HTMLResponse:
    password_form = password_form or Form(labels=LABELS)
    context: dict[str, Any] = {
        "page_title": f"Edit {user.name}'s account",
        "account": user,
        "status": _status(user),
        "locked": bool(user.locked_until and user.locked_until > utcnow()),
        "form": form,
        "password_form": password_form,
        "errors": form.summary + password_form.summary,
        "roles": _roles(),
        "statuses": [("yes", "Active"), ("no", "Deactivated: cannot sign in")],
        "back_link": {"href": "/users", "text": "Back to staff accounts"},
    }
    return page(request, "users/edit.jinja", context, status_code=status)


@router.get("/users/{user_id}", response_class=HTMLResponse)
def edit_user(
    user_id: str, request: Request, session: SessionDep, _: StaffUserManager
) -> HTMLResponse:
    user = _user(session, user_id)
    form = Form(
        {"name": user.name, "role": user.role.value, "active": "yes" if user.active else "no"},
        labels=LABELS,
    )
    return _edit_page(request, user, form)


@router.post("/users/{user_id}", response_class=HTMLResponse)
async def save_user(
    user_id: str, request: Request, session: SessionDep, admin: StaffUserManager
) -> Response:
    user = _user(session, user_id)
    form = Form.from_data(await read_form(request), labels=LABELS)
    if not form.get("name"):
        form.add_error("name", "Enter the person's full name")
    if form.get("role") not in Role.__members__:
        form.add_error("role", "Choose the person's role")
    if form.get("active") not in ("yes", "no"):
        form.add_error("active", "Choose whether the account is active")
    if not form.has_errors():
        try:
            staff.update_user(
                session=session,
                user_id=user.id,
                by=admin,
                name=form.get("name")[:200],
                role=Role(form.get("role")),
                active=form.get("active") == "yes",
            )
        except InvalidInput as invalid:
            form.add_validation_errors(invalid)
    if form.has_errors():
        session.refresh(user)
        return _edit_page(request, user, form, status=422)
    return RedirectResponse("/users?done=saved", status_code=303)


@router.post("/users/{user_id}/password", response_class=HTMLResponse)
async def change_password(
    user_id: str, request: Request, session: SessionDep, _: StaffUserManager
) -> Response:
    user = _user(session, user_id)
    data = await read_form(request)
    password = text_field(data, "password")
    password_form = Form(labels=LABELS)
    if len(password) < 12:
        password_form.add_error("password", "Password must be 12 characters or more")
    elif len(password) > 200:
        password_form.add_error("password", "Password must be 200 characters or fewer")
    if password_form.has_errors():
        form = Form(
            {"name": user.name, "role": user.role.value, "active": "yes" if user.active else "no"},
            labels=LABELS,
        )
        return _edit_page(request, user, form, password_form, status=422)
    await asyncio.to_thread(staff.set_password, session=session, user_id=user.id, password=password)
    return RedirectResponse("/users?done=password", status_code=303)


@router.post("/users/{user_id}/unlock")
async def unlock(
    user_id: str, request: Request, session: SessionDep, _: StaffUserManager
) -> Response:
    user = _user(session, user_id)
    await read_form(request)
    staff.unlock(session=session, user_id=user.id)
    return RedirectResponse("/users?done=unlocked", status_code=303)
