"""``cvt report``: draft a report now (with its period), redraft or discard a draft, or bring the
report schedules up to date."""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from cli.failures import fail

if TYPE_CHECKING:
    from models.report import DraftReportResult

report_app = typer.Typer(
    help="Reports: drafts on request and schedules.", no_args_is_help=True, rich_markup_mode=None
)

BY = "command line"


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: '{value}' is not a date; write it as YYYY-MM-DD")


def _run(kind: str, **fields: object) -> None:
    """Draft a report of ``kind`` (``ReportKind``) on request, and print what was drafted."""
    import asyncio

    from models.report import ReportKind, ReportRunInput, ReportTrigger
    from models.settings import get_settings
    from services.errors import InvalidInput
    from services.reports import run_report
    from workflows.client import connect

    run = ReportRunInput.model_validate(
        {
            **fields,
            "kind": ReportKind(kind),
            "trigger": ReportTrigger.manual,
            "requested_by": BY,
        }
    )

    async def go() -> DraftReportResult:
        settings = get_settings()
        client = await connect(settings)
        return await run_report(client, run, task_queue=settings.task_queue)

    try:
        result = asyncio.run(go())
    except InvalidInput as invalid:
        fail([f"{e.field}: {e.message}" for e in invalid.errors])
    _print(result)


def _print(result: DraftReportResult) -> None:
    if result.report_id is None:
        typer.echo(f"Nothing drafted: {result.note}", err=True)
        raise typer.Exit(code=1)
    from services.report_drafts import describe

    lines = describe(result)
    if result.refused:
        typer.echo("\n".join(lines), err=True)
        raise typer.Exit(code=1)
    typer.echo("\n".join(lines))


@report_app.command("quarterly")
def quarterly(
    meeting: Annotated[str, typer.Option(help="The board meeting that receives it (YYYY-MM-DD)")],
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
    start: Annotated[
        str | None,
        typer.Option(
            "--from", help="First day (default: the last meeting that received the report)"
        ),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day (default: the day before the meeting)")
    ] = None,
    redraft: Annotated[
        bool, typer.Option("--redraft", help="Replace the meeting's draft (never an approved one)")
    ] = False,
) -> None:
    """Draft "You Said, We Did" for a board meeting (owners of open actions are asked).

    Prints the period used and why, and the number of rows."""
    _run(
        "quarterly",
        board=board,
        meeting_date=_date(meeting, "--meeting"),
        period_start=_date(start, "--from"),
        period_end=_date(end, "--to"),
        redraft=redraft,
    )


@report_app.command("digest")
def digest(
    meeting: Annotated[str, typer.Option(help="The ELG meeting (YYYY-MM-DD)")],
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
) -> None:
    """Make the Engagement Leads Group digest for a meeting (prints how many items it has)."""
    _run("elg_digest", board=board, meeting_date=_date(meeting, "--meeting"))


@report_app.command("annual")
def annual(
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD)")] = None,
    redraft: Annotated[
        bool, typer.Option("--redraft", help="Replace the period's draft (never an approved one)")
    ] = False,
) -> None:
    """Draft the annual section (default: the reporting year before the December report)."""
    _run(
        "annual",
        board=board,
        period_start=_date(start, "--from"),
        period_end=_date(end, "--to"),
        redraft=redraft,
    )


def _report_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        fail(f"REPORT: '{value}' is not a report id (see /reports)")


@report_app.command("redraft")
def redraft(
    report: Annotated[str, typer.Argument(help="The draft's id")],
    start: Annotated[str | None, typer.Option("--from", help="A new first day")] = None,
    end: Annotated[str | None, typer.Option("--to", help="A new last day")] = None,
) -> None:
    """Draft a report again from today's records (refused once it is approved)."""
    import asyncio

    from cli import connect
    from models.settings import get_settings
    from services.errors import Conflict, InvalidInput, NotFound
    from services.report_drafts import redraft as run_redraft
    from workflows.client import connect as temporal

    report_id = _report_id(report)
    period_start, period_end = _date(start, "--from"), _date(end, "--to")

    async def go() -> DraftReportResult:
        settings = get_settings()
        sessions = connect.sessions()
        client = await temporal(settings)
        with sessions() as session:
            return await run_redraft(
                client,
                session=session,
                report_id=report_id,
                by=BY,
                task_queue=settings.task_queue,
                period_start=period_start,
                period_end=period_end,
            )

    try:
        result = asyncio.run(go())
    except (Conflict, NotFound) as refused:
        fail(f"Refused: {refused}", code=1)
    except InvalidInput as invalid:
        fail([f"{e.field}: {e.message}" for e in invalid.errors])
    _print(result)


@report_app.command("discard")
def discard(report: Annotated[str, typer.Argument(help="The draft's id")]) -> None:
    """Discard a draft (refused once it is approved)."""
    from cli import connect
    from services.errors import Conflict, NotFound
    from services.report_drafts import discard as run_discard

    report_id = _report_id(report)
    try:
        with connect.sessions()() as session:
            gone = run_discard(session=session, report_id=report_id, by=BY)
    except (Conflict, NotFound) as refused:
        fail(f"Refused: {refused}", code=1)
    typer.echo(f"Discarded the draft: {gone.title}.")


@report_app.command("schedules")
def schedules() -> None:
    """Create or update every board's report schedules from its meeting calendar and policy."""
    import asyncio

    from cli.connect import sessions
    from models.settings import get_settings
    from services.report_schedules import sync_all
    from workflows.client import connect

    async def go() -> list[str]:
        settings = get_settings()
        client = await connect(settings)
        return await sync_all(client, sessions(), task_queue=settings.task_queue)

    for slug in asyncio.run(go()):
        typer.echo(f"{slug}: quarterly, ELG digest and annual schedules set.")
