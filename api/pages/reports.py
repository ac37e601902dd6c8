"""Report pages: staff review (/reports) and the public page of each board (/public/{slug})."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from api import csrf
from api.deps import SessionDep, SettingsDep
from api.pages import names_check
from api.pages.deps import StaffReader, page_user
from api.pages.render import page
from api.presenters.rag import rag_tag
from api.routes.reports import TemporalDep, download
from api.templating import render, templates
from models.board import Board
from models.report import ReportKind, ReportStatus
from models.staff import Permission, StaffUser
from models.text import is_text_problem
from services import report_render, reports
from services.errors import Conflict, InvalidInput, NotFound
from services.report_view import late_text

router = APIRouter(include_in_schema=False)
public_router = APIRouter(include_in_schema=False)

Approver = Annotated[StaffUser, Depends(page_user(Permission.approve_reports))]

_STATUS_TAGS = {
    ReportStatus.draft: {"text": "Draft", "classes": "nhsuk-tag--yellow"},
    ReportStatus.approved: {"text": "Approved", "classes": "nhsuk-tag--green"},
    ReportStatus.published: {"text": "Published", "classes": "nhsuk-tag--blue"},
}
templates.env.globals.setdefault("rag_tag", rag_tag)
templates.env.globals.setdefault("status_tag", lambda s: _STATUS_TAGS[ReportStatus(s)])


def report_tag(report: Any) -> dict[str, str]:
    """A report's state as a tag: a digest has no approval step (it is emailed as made)."""
    if ReportKind(report.kind) is ReportKind.elg_digest:
        return {"text": "Emailed as made", "classes": "nhsuk-tag--grey"}
    return dict(_STATUS_TAGS[ReportStatus(report.status)])


templates.env.globals.setdefault("report_tag", report_tag)


@router.get("/reports", response_class=HTMLResponse)
def list_page(request: Request, session: SessionDep, user: StaffReader) -> HTMLResponse:
    return page(
        request,
        "reports/list.jinja",
        {
            "page_title": "Reports",
            "reports": reports.list_reports(session=session),
            "can_draft": user.can(Permission.approve_reports),
        },
    )


def _detail_context(session: Any, report_id: uuid.UUID, user: StaffUser) -> dict[str, Any]:
    view = reports.view(session=session, report_id=report_id)
    report = view.report
    can = user.can(Permission.approve_reports)
    draft = report.status is ReportStatus.draft and report.kind is not ReportKind.elg_digest
    rows = reports.rows_of(session=session, report_id=report_id)
    return {
        "page_title": view.title,
        "view": view,
        "charts": report_render.charts(view),
        "late": late_text(report),
        "partner_rows": sum(1 for r in rows if r.partner_text and r.comment == r.comment_draft)
        if draft
        else 0,
        "edit_base": f"/reports/{report.id}" if can and draft else None,
        "can_approve": can and draft,
        "can_publish": can and report.status is ReportStatus.approved,
        "names": names_check.summary(session, report_id)
        if report.kind is not ReportKind.elg_digest
        else None,
        "back_link": {"href": "/reports", "text": "All reports"},
    }


@router.get("/reports/{report_id}", response_class=HTMLResponse)
def detail_page(
    report_id: uuid.UUID, request: Request, session: SessionDep, user: StaffReader
) -> HTMLResponse:
    return page(request, "reports/detail.jinja", _detail_context(session, report_id, user))


@router.get("/reports/{report_id}/rows/{row_id}/edit", response_class=HTMLResponse)
def edit_row_page(
    report_id: uuid.UUID, row_id: uuid.UUID, request: Request, session: SessionDep, _: Approver
) -> HTMLResponse:
    return _edit_form(request, session, report_id, row_id)


def _edit_form(
    request: Request,
    session: Any,
    report_id: uuid.UUID,
    row_id: uuid.UUID,
    *,
    comment: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    report, rows, _ = reports.get_report(session=session, report_id=report_id)
    row = next((r for r in rows if r.id == row_id), None)
    if row is None:
        raise NotFound(f"No row {row_id} in report {report_id}.")
    return page(
        request,
        "reports/edit_row.jinja",
        {
            "page_title": f"Change the comment for {row.board_month}",
            "report": report,
            "row": row,
            "comment": row.comment if comment is None else comment,
            "errors": [{"text": error, "href": "#comment"}] if error else [],
            "form_action": f"/reports/{report_id}/rows/{row_id}/edit",
            "back_link": {"href": f"/reports/{report_id}", "text": "Back to the report"},
        },
        status_code=422 if error else 200,
    )


@router.post("/reports/{report_id}/rows/{row_id}/edit", response_class=HTMLResponse)
def edit_row(
    report_id: uuid.UUID,
    row_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    user: Approver,
    comment: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    csrf.check(request, csrf_token)
    try:
        reports.edit_comment(
            session=session, report_id=report_id, row_id=row_id, comment=comment, by=user.name
        )
    except InvalidInput as invalid:
        message = invalid.errors[0].message
        return _edit_form(
            request,
            session,
            report_id,
            row_id,
            comment=comment,
            error=f"The comment {message}"
            if is_text_problem(message)
            else "Enter the comment (it cannot be empty)",
        )
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/approve")
def approve(
    report_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    user: Approver,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    csrf.check(request, csrf_token)
    reports.approve(session=session, report_id=report_id, by=user.name)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/publish")
async def publish(
    report_id: uuid.UUID,
    request: Request,
    session: SessionDep,
    user: Approver,
    client: TemporalDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    csrf.check(request, csrf_token)
    report, _, _ = reports.get_report(session=session, report_id=report_id)
    reports.check_publishable(report)
    if report.kind is ReportKind.annual:
        await reports.publish_annual(client, report_id, user.name, task_queue=settings.task_queue)
    else:
        reports.publish_now(session=session, report_id=report_id, by=user.name)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


# --- public -----------------------------------------------------------------------------------


def _board(session: Any, slug: str) -> Board:
    board = session.exec(select(Board).where(Board.slug == slug)).first()
    if board is None:
        raise NotFound(f"There is no board '{slug}'.")
    return board  # type: ignore[no-any-return]


@public_router.get("/public/{slug}", response_class=HTMLResponse)
def public_board(slug: str, request: Request, session: SessionDep) -> HTMLResponse:
    board = _board(session, slug)
    return render(
        request,
        "public/board.jinja",
        {
            "page_title": f"You said, we did: {board.name}",
            "board": board,
            "reports": reports.public_reports(session=session, board=board),
            "home_url": f"/public/{slug}",
        },
    )


def _public_view(session: Any, slug: str, report_id: uuid.UUID) -> Any:
    board = _board(session, slug)
    report, _, _ = reports.get_report(session=session, report_id=report_id)
    if report.board_id != board.id or not reports.is_public(report):
        raise NotFound("This report is not published.")
    return reports.public_view(session=session, report_id=report_id)


@public_router.get("/public/{slug}/reports/{report_id}", response_class=HTMLResponse)
def public_report(
    slug: str, report_id: uuid.UUID, request: Request, session: SessionDep
) -> HTMLResponse:
    view = _public_view(session, slug, report_id)
    intro = (
        "What residents told the board, what the board agreed to do, and what has happened "
        "since. Presenters are named only if they agreed to be."
    )
    return render(
        request,
        "public/report.jinja",
        {
            "page_title": view.title,
            "view": view,
            "slug": slug,
            "intro": intro,
            "approved": f"Approved by the Community Voice Lead on "
            f"{view.report.approved_at.strftime('%-d %B %Y')}.",
            "charts": report_render.charts(view),
            "home_url": f"/public/{slug}",
            "back_link": {"href": f"/public/{slug}", "text": "All reports"},
        },
    )


@public_router.get("/public/{slug}/reports/{report_id}/download.{fmt}")
def public_download(slug: str, report_id: uuid.UUID, fmt: str, session: SessionDep) -> Response:
    if fmt not in ("docx", "pdf", "csv", "html"):
        raise NotFound(f"No download as '{fmt}'.")
    return download(_public_view(session, slug, report_id), fmt, slug)


__all__ = ["Conflict", "public_router", "router"]
