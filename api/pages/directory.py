"""The directory: partner organisations and their owners (add, edit, deactivate), CSV import
with a dry run, and CSV export (plain CRUD, straight to SQL through ``services.directory``)."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile

from api.deps import SessionDep
from api.pages.deps import PageNotFound, StaffDirectoryManager, StaffReader, parse_id
from api.pages.forms import Form, read_form
from api.pages.owner_choice import partner_options
from api.pages.render import page
from models.partner import Owner, OwnerCreate, Partner, PartnerCreate
from models.staff import Permission
from services import directory
from services.directory_import import COLUMNS, export_csv, import_csv
from services.errors import InvalidInput, NotFound

router = APIRouter(include_in_schema=False)
PARTNER_LABELS = {"name": "Organisation name", "kind": "Kind of organisation"}
OWNER_LABELS = {
    "name": "Full name",
    "email": "Email address",
    "job_title": "Job title",
    "partner_id": "Organisation",
}
MAX_UPLOAD = 1_000_000


@router.get("/directory")
def directory_home(_: StaffReader) -> RedirectResponse:
    return RedirectResponse("/directory/partners", status_code=303)


@router.get("/directory/partners", response_class=HTMLResponse)
def partners(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    owners: dict[uuid.UUID, list[Owner]] = {}
    for owner in session.exec(select(Owner).order_by(col(Owner.name))).all():
        owners.setdefault(owner.partner_id, []).append(owner)
    rows = [
        {
            "partner": p,
            "owners": owners.get(p.id, []),
            "status": "Active" if p.active else "Deactivated",
        }
        for p in directory.list_partners(session=session, include_inactive=True)
    ]
    done = request.query_params.get("done")
    return page(
        request,
        "directory/partners.jinja",
        {
            "page_title": "Partner directory",
            "rows": rows,
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


def _done(what: str) -> RedirectResponse:
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
    return _done("partner-added")


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
    return _done("partner-saved")


@router.post("/directory/partners/{partner_id}/active")
async def partner_active(
    partner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    partner = _partner(session, partner_id)
    active = (await read_form(request)).get("active") == "yes"
    directory.set_partner_active(session=session, partner_id=partner.id, active=active)
    return _done("partner-reactivated" if active else "partner-deactivated")


# --- owners -----------------------------------------------------------------------------------


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
    return _done("owner-added")


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
    return _done("owner-saved")


@router.post("/directory/owners/{owner_id}/active")
async def owner_active(
    owner_id: str, request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    owner = _owner(session, owner_id)
    active = (await read_form(request)).get("active") == "yes"
    directory.set_owner_active(session=session, owner_id=owner.id, active=active)
    return _done("owner-reactivated" if active else "owner-deactivated")


# --- CSV --------------------------------------------------------------------------------------


@router.get("/directory/export.csv")
def export(session: SessionDep, _: StaffReader) -> PlainTextResponse:
    return PlainTextResponse(
        export_csv(session=session),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="directory.csv"'},
    )


def _import_page(
    request: Request, form: Form, result: Any = None, status: int = 200
) -> HTMLResponse:
    return page(
        request,
        "directory/import.jinja",
        {
            "page_title": "Import the directory from CSV",
            "form": form,
            "form_action": "/directory/import",
            "columns": COLUMNS,
            "result": result,
            "back_link": {"href": "/directory/partners", "text": "Back to the directory"},
        },
        status_code=status,
    )


@router.get("/directory/import", response_class=HTMLResponse)
def import_form(request: Request, _: StaffDirectoryManager) -> HTMLResponse:
    return _import_page(request, Form(labels={"csv_text": "CSV"}))


@router.post("/directory/import", response_class=HTMLResponse)
async def import_directory(
    request: Request, session: SessionDep, _: StaffDirectoryManager
) -> Response:
    data = await read_form(request)
    form = Form.from_data(data, labels={"csv_text": "CSV"})
    upload = data.get("csv_file")
    if isinstance(upload, UploadFile) and upload.filename:
        raw = await upload.read(MAX_UPLOAD + 1)
        if len(raw) > MAX_UPLOAD:
            form.add_error("csv_file", "The file must be smaller than 1 MB")
        else:
            try:
                form.values["csv_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                form.add_error("csv_file", "The file must be a CSV file saved as UTF-8")
    if not form.has_errors() and not form.get("csv_text"):
        form.add_error("csv_file", "Choose a CSV file, or paste the CSV into the box")
    if form.has_errors():
        return _import_page(request, form, status=422)
    dry_run = form.get("intent") != "import"
    result = import_csv(session=session, text=form.get("csv_text"), dry_run=dry_run)
    if not result.ok:
        for problem in result.problems:
            form.add_error("csv_text", problem)
        for row in result.rows:
            if row.errors:
                form.add_error(f"row-{row.line}", f"Line {row.line}: {'; '.join(row.errors)}")
        return _import_page(request, form, result, status=422)
    if result.written:
        return _done("imported")
    return _import_page(request, form, result)
