"""The directory as CSV: export it, and import it with a dry run first (every bad row named
with its line, nothing written until the file is right)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from starlette.datastructures import UploadFile

from api.deps import SessionDep
from api.pages.deps import StaffDirectoryManager, StaffReader
from api.pages.directory import done
from api.pages.forms import Form, read_form
from api.pages.render import page
from services.directory_import import COLUMNS, export_csv, import_csv

router = APIRouter(include_in_schema=False)
MAX_UPLOAD = 1_000_000


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
        return done("imported")
    return _import_page(request, form, result)
