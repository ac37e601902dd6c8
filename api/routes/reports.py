"""Reports: list, read, draft on request, edit comments, approve, publish, download.

Scheduled drafts arrive by themselves (Temporal Schedules); these routes let the Community
Voice Lead review them, ask for a report outside the schedule (with its period), and discard or
redraft a draft until it is approved.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.responses import Response
from temporalio.client import Client

from api.deps import BoardManager, Reader, SessionDep, SettingsDep, release, require
from api.openapi import problems
from api.templating import templates
from models.report import (
    AnnualRequest,
    CommentEdit,
    DigestRequest,
    DraftReportResult,
    PublishResult,
    QuarterlyRequest,
    RedraftRequest,
    ReportDetail,
    ReportKind,
    ReportRowRecord,
    ReportRunInput,
    ReportStatus,
    ReportSummary,
    ReportTrigger,
)
from models.staff import Permission, StaffUser
from services import directory, report_drafts, report_render, reports
from services.errors import Conflict
from services.report_schedules import sync_board
from services.report_view import ReportView

router = APIRouter(prefix="/reports", tags=["reports"])

Approver = Annotated[StaffUser, Depends(require(Permission.approve_reports))]
Format = Literal["docx", "pdf", "html", "csv"]
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
}


def get_temporal(request: Request) -> Client:
    client: Client = request.app.state.temporal
    return client


TemporalDep = Annotated[Client, Depends(get_temporal)]

#: What a request to draft can be answered besides the draft itself.
DRAFT_RESPONSES = problems(
    404,
    409,
    422,
    503,
    d404="No such report.",
    d409="The report is approved (its rows are kept as approved) or is an ELG digest (sent as "
    "it is made): it cannot be redrafted or discarded.",
    d422="A field is wrong (e.g. a period that ends before it starts).",
    d503="The process engine is not reachable: nothing was drafted.",
)
#: What approving or publishing can be refused with.
STATE_RESPONSES = problems(
    409, d409="The report is not in a state that allows this (the reason says which)."
)


@router.get("")
def list_reports(
    session: SessionDep,
    _: Reader,
    board: str | None = None,
    kind: ReportKind | None = None,
    status: ReportStatus | None = None,
) -> list[ReportSummary]:
    return reports.list_reports(session=session, board=board, kind=kind, status=status)


@router.get("/{report_id:uuid}")
def get_report(report_id: uuid.UUID, session: SessionDep, _: Reader) -> ReportDetail:
    """The report with its rows exactly as drafted (or as approved)."""
    return reports.detail(session=session, report_id=report_id)


def _answer(result: DraftReportResult) -> DraftReportResult:
    if result.refused:
        raise Conflict(result.note)
    return result


async def _run(client: Client, settings: SettingsDep, run: ReportRunInput) -> DraftReportResult:
    try:
        return _answer(await reports.run_report(client, run, task_queue=settings.task_queue))
    except RuntimeError as error:  # pragma: no cover - Temporal unreachable
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="The process engine is not reachable: nothing was drafted. Try again shortly.",
            headers={"Retry-After": "5"},
        ) from error


@router.post("/quarterly", status_code=status.HTTP_201_CREATED, responses=DRAFT_RESPONSES)
async def draft_quarterly(
    body: QuarterlyRequest, user: Approver, client: TemporalDep, settings: SettingsDep
) -> DraftReportResult:
    """Draft "You Said, We Did" for a board meeting now (at most once for that meeting).

    The answer says the period used and how it was chosen (``period_note``) and how many rows
    the paper has. ``redraft`` replaces the meeting's draft from today's records."""
    run = ReportRunInput(
        board=body.board,
        kind=ReportKind.quarterly,
        meeting_date=body.meeting_date,
        period_start=body.period_start,
        period_end=body.period_end,
        redraft=body.redraft,
        trigger=ReportTrigger.manual,
        requested_by=user.name,
    )
    return await _run(client, settings, run)


@router.post(
    "/{report_id:uuid}/redraft", status_code=status.HTTP_201_CREATED, responses=DRAFT_RESPONSES
)
async def redraft(
    report_id: uuid.UUID,
    session: SessionDep,
    user: Approver,
    client: TemporalDep,
    settings: SettingsDep,
    body: RedraftRequest | None = None,
) -> DraftReportResult:
    """Replace a draft with a new one from today's records (its own period, or one given).

    Refused (409) once the report is approved: approved rows stay as they are."""
    body = body or RedraftRequest()
    try:
        result = await report_drafts.redraft(
            client,
            session=session,
            report_id=report_id,
            by=user.name,
            task_queue=settings.task_queue,
            period_start=body.period_start,
            period_end=body.period_end,
        )
    except RuntimeError as error:  # pragma: no cover - Temporal unreachable
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="The process engine is not reachable: nothing was drafted. Try again shortly.",
            headers={"Retry-After": "5"},
        ) from error
    return _answer(result)


@router.delete(
    "/{report_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={k: v for k, v in DRAFT_RESPONSES.items() if k in (404, 409)},
)
def discard(report_id: uuid.UUID, session: SessionDep, user: Approver) -> Response:
    """Discard a draft (its rows go; the audit trail keeps that it was there).

    Refused (409) once the report is approved, and for an ELG digest."""
    report_drafts.discard(session=session, report_id=report_id, by=user.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/elg-digest", status_code=status.HTTP_201_CREATED, responses=DRAFT_RESPONSES)
async def draft_digest(
    body: DigestRequest, user: Approver, client: TemporalDep, settings: SettingsDep
) -> DraftReportResult:
    run = ReportRunInput(
        board=body.board,
        kind=ReportKind.elg_digest,
        meeting_date=body.meeting_date,
        trigger=ReportTrigger.manual,
        requested_by=user.name,
    )
    return await _run(client, settings, run)


@router.post("/annual", status_code=status.HTTP_201_CREATED, responses=DRAFT_RESPONSES)
async def draft_annual(
    body: AnnualRequest, user: Approver, client: TemporalDep, settings: SettingsDep
) -> DraftReportResult:
    """Draft the annual section for a period (default: the reporting year before December)."""
    run = ReportRunInput(
        board=body.board,
        kind=ReportKind.annual,
        period_start=body.period_start,
        period_end=body.period_end,
        trigger=ReportTrigger.manual,
        requested_by=user.name,
    )
    return await _run(client, settings, run)


@router.patch("/{report_id:uuid}/rows/{row_id}", responses=STATE_RESPONSES)
def edit_comment(
    report_id: uuid.UUID, row_id: uuid.UUID, body: CommentEdit, session: SessionDep, user: Approver
) -> ReportRowRecord:
    """Edit a draft's comment. Partner-written text goes public only once the report is approved."""
    row = reports.edit_comment(
        session=session, report_id=report_id, row_id=row_id, comment=body.comment, by=user.name
    )
    return ReportRowRecord.model_validate(row.model_dump())


@router.post("/{report_id:uuid}/approve", responses=STATE_RESPONSES)
def approve(report_id: uuid.UUID, session: SessionDep, user: Approver) -> ReportSummary:
    """Approve a draft: its rows are kept exactly as they are, for good."""
    reports.approve(session=session, report_id=report_id, by=user.name)
    return _summary(session, report_id)


@router.post("/{report_id:uuid}/publish", responses=STATE_RESPONSES)
async def publish(
    report_id: uuid.UUID,
    session: SessionDep,
    user: Approver,
    client: TemporalDep,
    settings: SettingsDep,
) -> PublishResult | ReportSummary:
    """Publish an approved report. The annual report also tells each included case."""
    report, _, _ = reports.get_report(session=session, report_id=report_id)
    reports.check_publishable(report)
    if report.kind is ReportKind.annual:
        return await reports.publish_annual(
            client, report_id, user.name, task_queue=settings.task_queue
        )
    reports.publish_now(session=session, report_id=report_id, by=user.name)
    return _summary(session, report_id)


def _summary(session: SessionDep, report_id: uuid.UUID) -> ReportSummary:
    found = reports.detail(session=session, report_id=report_id)
    return ReportSummary.model_validate(found.model_dump(exclude={"rows"}))


def download(view: ReportView, fmt: str, slug: str) -> Response:
    if fmt == "docx":
        body: bytes | str = report_render.to_docx(view)
    elif fmt == "pdf":
        body = report_render.to_pdf(view)
    elif fmt == "csv":
        body = report_render.to_csv(view)
    else:
        body = templates.env.get_template("reports/document.jinja").render(
            view=view, charts=report_render.charts(view)
        )
    r = view.report
    name = f"{r.kind.value.replace('_', '-')}-{slug}-{r.period_key.replace('..', '-to-')}.{fmt}"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    if fmt == "html":  # a document, not a page: its own styles, images inline, never a script
        headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
        )
    return Response(body, media_type=MEDIA_TYPES[fmt], headers=headers)


@router.get(
    "/{report_id:uuid}/download.{fmt}",
    response_class=Response,
    responses={
        200: {
            "description": "The report as a file in the format asked for.",
            "content": {
                media.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for media in MEDIA_TYPES.values()
            },
        }
    },
)
def download_report(report_id: uuid.UUID, fmt: Format, session: SessionDep, _: Reader) -> Response:
    """The report as a board paper: Word (.docx), PDF, HTML or CSV."""
    report, _rows, board = reports.get_report(session=session, report_id=report_id)
    return download(reports.view(session=session, report_id=report_id), fmt, board.slug)


@router.post(
    "/schedules/{board}",
    responses=problems(503, d503="The process engine is not reachable: nothing was changed."),
)
async def sync_schedules(
    board: str,
    session: SessionDep,
    request: Request,
    _: BoardManager,
    client: TemporalDep,
    settings: SettingsDep,
) -> dict[str, str]:
    """Bring the board's report schedules in line with its meeting calendar and policy."""
    directory.get_board(session=session, slug=board)  # 404 for a board that is not there
    release(session)
    try:
        ids = await sync_board(
            client, request.app.state.sessions, board, task_queue=settings.task_queue
        )
    except RuntimeError as error:  # Temporal unreachable
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            detail="The process engine is not reachable: nothing was changed. Try again shortly.",
            headers={"Retry-After": "5"},
        ) from error
    return {kind.value: sid for kind, sid in ids.items()}
