"""The directory: partner organisations and their owners, listed; partners added, edited and
deactivated (plain CRUD, straight to SQL through ``services.directory``). Owners are edited in
``directory_owners``, and the directory is imported and exported as CSV in ``directory_csv``."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffDirectoryManager, StaffReader, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from api.presenters.pagination import Page, pagination, read_page
from models.partner import Partner, PartnerCreate
from models.staff import Permission
from services import directory
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)
PARTNER_LABELS = {"name": "Organisation name", "kind": "Kind of organisation"}
#: Partners a page of the directory (each with all its owners).
PARTNER_PAGE = 20


@router.get("/directory")
def directory_home(_: StaffReader) -> RedirectResponse:
    return RedirectResponse("/directory/partners", status_code=303)


@router.get("/directory/partners", response_class=HTMLResponse)
def partners(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    shown = Page(
        read_page(request.query_params), directory.count_partners(session=session), PARTNER_PAGE
    )
    rows = [
        {"partner": p, "owners": owners, "status": "Active" if p.active else "Deactivated"}
        for p, owners in directory.partners_with_owners(
            session=session, offset=shown.offset, limit=shown.size
        )
    ]
    done = request.query_params.get("done")
    return page(
        request,
        "directory/partners.jinja",
        {
            "page_title": "Partner directory",
            "rows": rows,
            "showing": shown.showing("partner" if shown.total == 1 else "partners"),
            "pagination": pagination(
                shown,
                lambda n: f"/directory/partners?page={n}" if n > 1 else "/directory/partners",
                "Pages of partners",
            ),
            "can_edit": user.can(Permission.manage_directory),
            "done": done if done in DONE_MESSAGES else None,
            "done_text": DONE_MESSAGES.get(done or ""),
        },
    )


DONE_MESSAGES = {
    "partner-added": "The partner is added.",
    "partner-saved": "The partner's details are saved.",
    "partner-deactivated": "The partner is deactivated: it and its owners are no longer offered.",
    "partner-reactivated": "The partner is active again.",
    "owner-added": "The owner is added.",
    "owner-saved": "The owner's details are saved.",
    "owner-deactivated": "The owner is deactivated: they are no longer offered for actions.",
    "owner-reactivated": "The owner is active again.",
    "imported": "The file is imported.",
}


def done(what: str) -> RedirectResponse:
    return RedirectResponse(f"/directory/partners?done={what}", status_code=303)


# --- partners ---------------------------------------------------------------------------------


def _partner_page(
    request: Request, form: Form, *, partner: Partner | None = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "directory/partner.jinja",
        {
            "page_title": f"Edit {partner.name}" if partner else "Add a partner",
            "form": form,
            "form_action": f"/directory/partners/{partner.id}"
            if partner
            else "/directory/partners/new",
            "partner": partner,
            "back_link": {"href": "/directory/partners", "text": "Back to the directory"},
        },
        status_code=status,
    )


@router.get("/directory/partners/new", response_class=HTMLResponse)
def new_partner(request: Request, _: StaffDirectoryManager) -> HTMLResponse:
    return _partner_page(request, Form(labels=PARTNER_LABELS))


def _save_partner(session: Session, form: Form, partner_id: uuid.UUID | None) -> bool:
    try:
        body = PartnerCreate.model_validate(
            {"name": form.get("name"), "kind": form.optional("kind")}
        )
        if partner_id is None:
            directory.create_partner(session=session, body=body)
        else:
            directory.update_partner(session=session, partner_id=partner_id, body=body)
    except (ValidationError, InvalidInput) as invalid:
        form.add_validation_errors(invalid)
        return False
    return True


@router.post("/directory/partners/new", response_class=HTMLResponse)
async def add_partner(request: Request, session: SessionDep, _: StaffDirectoryManager) -> Response:
    form = Form.from_data(await read_form(request), labels=PARTNER_LABELS)
    if not _save_partner(session, form, None):
        return _partner_page(request, form, status=422)
    return done("partner-added")


def _partner(session: Session, partner_id: str) -> Partner:
    try:
        return directory.get_partner(session=session, partner_id=parse_id(partner_id))
    except NotFound as missing:
        raise PageNotFound(str(missing)) from missing


@router.get("/directory/partners/{partner_id}", response_class=HTMLResponse)
def edit_partner(
    partner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> HTMLResponse:
    partner = _partner(session, partner_id)
    form = Form({"name": partner.name, "kind": partner.kind or ""}, labels=PARTNER_LABELS)
    return _partner_page(request, form, partner=partner)


@router.post("/directory/partners/{partner_id}", response_class=HTMLResponse)
async def save_partner(
    partner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    partner = _partner(session, partner_id)
    form = Form.from_data(await read_form(request), labels=PARTNER_LABELS)
    if not _save_partner(session, form, partner.id):
        session.refresh(partner)
        return _partner_page(request, form, partner=partner, status=422)
    return done("partner-saved")


@router.post("/directory/partners/{partner_id}/active")
async def partner_active(
    partner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    partner = _partner(session, partner_id)
    active = (await read_form(request)).get("active") == "yes"
    directory.set_partner_active(session=session, partner_id=partner.id, active=active)
    return done("partner-reactivated" if active else "partner-deactivated")
