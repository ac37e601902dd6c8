"""Report drafts on request (Community Voice Lead): draft the quarterly report for a meeting and
a period, redraft a draft from today's records, or discard it. Approved reports are refused
with the reason (``services/report_drafts.py``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import Session

from api.deps import SessionDep, SettingsDep
from api.pages.deps import page_user, parse_id
from api.pages.forms import Form, read_form
from api.pages.render import page
from api.routes.reports import TemporalDep
from models.formatting import long_date
from models.report import DraftReportResult, ReportKind, ReportRunInput, ReportTrigger
from models.staff import Permission, StaffUser
from services import report_drafts, reports
from services.errors import InvalidInput

router = APIRouter(include_in_schema=False)
Approver = Annotated[StaffUser, Depends(page_user(Permission.approve_reports))]
LABELS = {
    "meeting": "Meeting",
    "period_start": "First day of the period",
    "period_end": "Last day of the period",
}
BACK = {"href": "/reports", "text": "All reports"}


DATES = ("period_start", "period_end")


def _form(values: dict[str, Any] | None = None) -> Form:
    return Form(values, labels=LABELS, dates=DATES)


def _quarterly_page(request: Request, session: Session, form: Form) -> HTMLResponse:
    choices = report_drafts.quarterly_choices(session)
    return page(
        request,
        "reports/draft_quarterly.jinja",
        {
            "page_title": "Draft a quarterly report",
            "form": form,
            "meetings": [("", "Choose a meeting"), *choices],
            "has_meetings": bool(choices),
            "form_action": "/reports/quarterly/new",
            "back_link": BACK,
        },
        status_code=422 if form.has_errors() else 200,
    )


def _result_page(request: Request, result: DraftReportResult) -> HTMLResponse:
    lines = report_drafts.describe(result)
    return page(
        request,
        "reports/drafted.jinja",
        {
            "page_title": lines[0].split(": ", 1)[0],
            "lines": lines,
            "result": result,
            "back_link": BACK,
        },
        status_code=409 if result.refused else 200,
    )


@router.get("/reports/quarterly/new", response_class=HTMLResponse)
def quarterly_form(request: Request, session: SessionDep, _: Approver) -> HTMLResponse:
    return _quarterly_page(request, session, _form())


def _period(form: Form) -> tuple[date | None, date | None]:
    return form.parse_date("period_start"), form.parse_date("period_end")


@router.post("/reports/quarterly/new", response_class=HTMLResponse)
async def draft_quarterly(
    request: Request,
    session: SessionDep,
    user: Approver,
    client: TemporalDep,
    settings: SettingsDep,
) -> HTMLResponse:
    form = Form.from_data(await read_form(request), labels=LABELS, dates=DATES)
    slug, _, day = form.get("meeting").partition(":")
    start, end = _period(form)
    meeting = None
    try:
        meeting = date.fromisoformat(day)
    except ValueError:
        form.add_error("meeting", "Choose the meeting that receives the report")
    if form.has_errors() or meeting is None:
        return _quarterly_page(request, session, form)
    run = ReportRunInput(
        board=slug,
        kind=ReportKind.quarterly,
        meeting_date=meeting,
        period_start=start,
        period_end=end,
        redraft=form.checked("redraft"),
        trigger=ReportTrigger.manual,
        requested_by=user.name,
    )
    try:
        result = await reports.run_report(client, run, task_queue=settings.task_queue)
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _quarterly_page(request, session, form)
    return _result_page(request, result)


def _redraft_page(
    request: Request, session: Session, report_id: uuid.UUID, form: Form | None = None
) -> HTMLResponse:
    report, rows, _board = reports.get_report(session=session, report_id=report_id)
    report_drafts.check_draft(report)
    if form is None:
        form = _form()
        form.set_date("period_start", report.period_start)
        form.set_date("period_end", report.period_end)
    return page(
        request,
        "reports/redraft.jinja",
        {
            "page_title": "Draft this report again",
            "report": report,
            "rows": len(rows),
            "period": f"{long_date(report.period_start)} to {long_date(report.period_end)}",
            "form": form,
            "annual": report.kind is ReportKind.annual,
            "form_action": f"/reports/{report.id}/redraft",
            "back_link": {"href": f"/reports/{report.id}", "text": "Back to the report"},
        },
        status_code=422 if form.has_errors() else 200,
    )


@router.get("/reports/{report_id}/redraft", response_class=HTMLResponse)
def redraft_form(
    report_id: str, request: Request, session: SessionDep, _: Approver
) -> HTMLResponse:
    return _redraft_page(request, session, parse_id(report_id))


@router.post("/reports/{report_id}/redraft", response_class=HTMLResponse)
async def redraft(
    report_id: str,
    request: Request,
    session: SessionDep,
    user: Approver,
    client: TemporalDep,
    settings: SettingsDep,
) -> HTMLResponse:
    rid = parse_id(report_id)
    form = Form.from_data(await read_form(request), labels=LABELS, dates=DATES)
    start, end = _period(form)
    if form.has_errors():
        return _redraft_page(request, session, rid, form)
    try:
        result = await report_drafts.redraft(
            client,
            session=session,
            report_id=rid,
            by=user.name,
            task_queue=settings.task_queue,
            period_start=start,
            period_end=end,
        )
    except InvalidInput as invalid:
        form.add_validation_errors(invalid)
        return _redraft_page(request, session, rid, form)
    return _result_page(request, result)


@router.get("/reports/{report_id}/discard", response_class=HTMLResponse)
def discard_form(
    report_id: str, request: Request, session: SessionDep, _: Approver
) -> HTMLResponse:
    report, rows, _board = reports.get_report(session=session, report_id=parse_id(report_id))
    report_drafts.check_draft(report)
    return page(
        request,
        "reports/discard.jinja",
        {
            "page_title": "Discard this draft?",
            "report": report,
            "rows": len(rows),
            "form_action": f"/reports/{report.id}/discard",
            "back_link": {"href": f"/reports/{report.id}", "text": "Back to the report"},
        },
    )


@router.post("/reports/{report_id}/discard", response_class=HTMLResponse)
async def discard(
    report_id: str, request: Request, session: SessionDep, user: Approver
) -> Response:
    await read_form(request)
    gone = report_drafts.discard(session=session, report_id=parse_id(report_id), by=user.name)
    return page(
        request,
        "reports/drafted.jinja",
        {
            "page_title": "Draft discarded",
            "lines": [
                f"The draft “{gone.title}” ({long_date(gone.period_start)} to "
                f"{long_date(gone.period_end)}) was discarded. The audit trail keeps that it "
                "was there.",
            ],
            "result": None,
            "back_link": BACK,
        },
    )
