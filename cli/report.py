"""``cvt report``: draft a report now, or bring the report schedules up to date."""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

import typer

from models.report import DraftReportResult, ReportKind, ReportRunInput, ReportTrigger

report_app = typer.Typer(help="Reports: drafts on request and schedules.", no_args_is_help=True)


def _run(run: ReportRunInput) -> None:
    from models.settings import get_settings
    from services.reports import run_report
    from workflows.client import connect

    async def go() -> DraftReportResult:
        settings = get_settings()
        client = await connect(settings)
        return await run_report(client, run, task_queue=settings.task_queue)

    result = asyncio.run(go())
    if result.report_id is None:
        typer.echo(f"Nothing drafted: {result.note}", err=True)
        raise typer.Exit(code=1)
    made = "Drafted" if result.created else "Already there"
    typer.echo(f"{made}: report {result.report_id}. {result.note}".strip())


@report_app.command("quarterly")
def quarterly(
    meeting: Annotated[str, typer.Option(help="The board meeting that receives it (YYYY-MM-DD)")],
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
) -> None:
    """Draft "You Said, We Did" for a board meeting (owners of open actions are asked)."""
    _run(
        ReportRunInput(
            board=board,
            kind=ReportKind.quarterly,
            meeting_date=date.fromisoformat(meeting),
            trigger=ReportTrigger.manual,
            requested_by="command line",
        )
    )


@report_app.command("digest")
def digest(
    meeting: Annotated[str, typer.Option(help="The ELG meeting (YYYY-MM-DD)")],
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
) -> None:
    """Make the Engagement Leads Group digest for a meeting."""
    _run(
        ReportRunInput(
            board=board,
            kind=ReportKind.elg_digest,
            meeting_date=date.fromisoformat(meeting),
            trigger=ReportTrigger.manual,
            requested_by="command line",
        )
    )


@report_app.command("annual")
def annual(
    board: Annotated[str, typer.Option(help="The board's slug")] = "tht",
    start: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD)")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD)")] = None,
) -> None:
    """Draft the annual section (default: the reporting year before the December report)."""
    _run(
        ReportRunInput(
            board=board,
            kind=ReportKind.annual,
            period_start=date.fromisoformat(start) if start else None,
            period_end=date.fromisoformat(end) if end else None,
            trigger=ReportTrigger.manual,
            requested_by="command line",
        )
    )


@report_app.command("schedules")
def schedules() -> None:
    """Create or update every board's report schedules from its meeting calendar."""
    from models.db import create_engine, session_factory
    from models.settings import get_settings
    from services.report_schedules import sync_all
    from workflows.client import connect

    async def go() -> list[str]:
        settings = get_settings()
        client = await connect(settings)
        sessions = session_factory(
            create_engine(settings.database_url, **settings.engine_options())
        )
        return await sync_all(client, sessions, task_queue=settings.task_queue)

    for slug in asyncio.run(go()):
        typer.echo(f"{slug}: quarterly, ELG digest and annual schedules set.")
