"""The directory's owners: add an owner to a partner, edit their details, deactivate or
reactivate them (plain CRUD, straight to SQL through ``services.directory``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffDirectoryManager, parse_id
from api.pages.directory import done
from api.pages.forms import Form, read_form
from api.pages.owner_choice import partner_options
from api.pages.render import page
from models.partner import Owner, OwnerCreate
from services import directory
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)
OWNER_LABELS = {
    "name": "Full name",
    "email": "Email address",
    "job_title": "Job title",
    "partner_id": "Organisation",
}


def _owner_page(
    request: Request, session: Session, form: Form, *, owner: Owner | None = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "directory/owner.jinja",
        {
            "page_title": f"Edit {owner.name}" if owner else "Add an owner",
            "form": form,
            "form_action": f"/directory/owners/{owner.id}" if owner else "/directory/owners/new",
            "owner": owner,
            "partners": partner_options(session),
            "back_link": {"href": "/directory/partners", "text": "Back to the directory"},
        },
        status_code=status,
    )


def _owner(session: Session, owner_id: str) -> Owner:
    try:
        return directory.get_owner(session=session, owner_id=parse_id(owner_id))
    except NotFound as missing:
        raise PageNotFound(str(missing)) from missing


def _save_owner(session: Session, form: Form, owner_id: uuid.UUID | None) -> bool:
    if not form.get("partner_id"):
        form.add_error("partner_id", "Choose the owner's organisation")
    try:
        body = OwnerCreate.model_validate(
            {
                "name": form.get("name"),
                "email": form.get("email"),
                "job_title": form.optional("job_title"),
                "partner_id": form.get("partner_id") or None,
            }
        )
    except ValidationError as invalid:
        form.add_validation_errors(invalid)
        return False
    if form.has_errors():
        return False
    try:
        if owner_id is None:
            directory.create_owner(session=session, body=body)
        else:
            directory.update_owner(session=session, owner_id=owner_id, body=body)
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return False
    return True


@router.get("/directory/owners/new", response_class=HTMLResponse)
def new_owner(request: Request, session: SessionDep, _: StaffDirectoryManager) -> HTMLResponse:
    form = Form({"partner_id": request.query_params.get("partner", "")}, labels=OWNER_LABELS)
    return _owner_page(request, session, form)


@router.post("/directory/owners/new", response_class=HTMLResponse)
async def add_owner(request: Request, session: SessionDep, _: StaffDirectoryManager) -> Response:
    form = Form.from_data(await read_form(request), labels=OWNER_LABELS)
    if not _save_owner(session, form, None):
        return _owner_page(request, session, form, status=422)
    return done("owner-added")


@router.get("/directory/owners/{owner_id}", response_class=HTMLResponse)
def edit_owner(
    owner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> HTMLResponse:
    owner = _owner(session, owner_id)
    values: dict[str, Any] = {
        "name": owner.name,
        "email": owner.email,
        "job_title": owner.job_title or "",
        "partner_id": str(owner.partner_id),
    }
    return _owner_page(request, session, Form(values, labels=OWNER_LABELS), owner=owner)


@router.post("/directory/owners/{owner_id}", response_class=HTMLResponse)
async def save_owner(
    owner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    owner = _owner(session, owner_id)
    form = Form.from_data(await read_form(request), labels=OWNER_LABELS)
    if not _save_owner(session, form, owner.id):
        session.refresh(owner)
        return _owner_page(request, session, form, owner=owner, status=422)
    return done("owner-saved")


@router.post("/directory/owners/{owner_id}/active")
async def owner_active(
    owner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    owner = _owner(session, owner_id)
    active = (await read_form(request)).get("active") == "yes"
    directory.set_owner_active(session=session, owner_id=owner.id, active=active)
    return done("owner-reactivated" if active else "owner-deactivated")
