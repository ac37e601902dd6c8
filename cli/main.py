"""``cvt``: the Community Voice command line (``cvt --help`` lists the commands)."""

# Nothing heavy at import: ``cvt --help`` and a mistyped option answer at once, so every
# command imports what it needs when it runs (tests/cli/test_startup.py).

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cli.failures import App, fail
from cli.imports import import_sessions_command
from cli.person import person_app
from cli.report import report_app

HELP = (
    "Community Voice on the command line. 'cvt dev' (what 'make run' runs) starts everything on "
    "this machine; the other commands work on what it runs, from any folder. Set CVT_* "
    "variables to work on another installation (README, 'Configuration')."
)

app = App(
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
case_app = typer.Typer(help="Record sessions (cases).", no_args_is_help=True, rich_markup_mode=None)
user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True, rich_markup_mode=None)
db_app = typer.Typer(help="The database.", no_args_is_help=True, rich_markup_mode=None)
mail_app = typer.Typer(
    help="Outgoing email (the outbox).", no_args_is_help=True, rich_markup_mode=None
)
app.add_typer(case_app, name="case")
app.add_typer(user_app, name="user")
app.add_typer(db_app, name="db")
app.add_typer(report_app, name="report")
app.add_typer(person_app, name="person")
app.add_typer(mail_app, name="mail")
app.command("import")(import_sessions_command)


@app.callback()
def settings(context: typer.Context) -> None:
    """Every command but ``dev`` (which makes them) finds a running ``make run``'s settings."""
    if context.invoked_subcommand != "dev":
        from cli import local

        local.apply()


@app.command()
def dev() -> None:
    """Start everything on this machine: Temporal dev server, worker, API, mail catcher."""
    from cli.dev import run

    raise typer.Exit(run())


@app.command()
def worker() -> None:
    """Run a worker (workflows, activities, mail delivery): the same as ``python -m worker``."""
    import runpy

    # Run as a program, as ``cvt api`` runs the app by name: the CLI imports no other adapter.
    runpy.run_module("worker", run_name="__main__", alter_sys=True)


@app.command()
def api(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app and JSON API (development settings: on 127.0.0.1 only)."""
    import uvicorn

    from models.settings import get_settings

    refusal = get_settings().exposure_refusal(host)
    if refusal is not None:
        fail(refusal)
    uvicorn.run("api.main:app", factory=True, host=host, port=port, proxy_headers=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply database migrations (this makes the database if there is none)."""
    from models.db import create_engine, migrate
    from models.settings import get_settings

    migrate(create_engine(get_settings().database_url))
    typer.echo("Database is up to date.")


@app.command()
def seed() -> None:
    """Add the demo boards, staff accounts and partner directory (idempotent)."""
    from cli import connect
    from cli.seed import DEMO_PASSWORD
    from cli.seed import seed as run_seed

    with connect.sessions()() as session:
        added = run_seed(session)
    typer.echo("\n".join(f"added {line}" for line in added) or "Nothing to add.")
    typer.echo(f"Demo staff password: {DEMO_PASSWORD}")


@user_app.command("add")
def user_add(
    email: str,
    name: Annotated[str, typer.Option(help="Full name")],
    role: Annotated[str, typer.Option(help="engagement_lead, cv_lead, admin or viewer")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Create a staff account."""
    from pydantic import ValidationError

    from cli import connect
    from models.staff import StaffUserCreate
    from services import directory
    from services.errors import InvalidInput, field_errors

    try:
        body = StaffUserCreate.model_validate(
            {"email": email, "name": name, "role": role, "password": password}
        )
        with connect.sessions()() as session:
            user = directory.create_user(session=session, body=body)
    except ValidationError as error:
        fail([f"{e['field']}: {e['message']}" for e in field_errors(list(error.errors()))])
    except InvalidInput as error:
        fail(str(error))
    typer.echo(f"Created {user.email} ({user.role.value}).")


@case_app.command("start")
def case_start(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A session as JSON")],
    as_name: Annotated[str | None, typer.Option("--as", help="Who is recording it")] = None,
) -> None:
    """Record a session from a JSON file (the same shape as POST /api/v1/cases)."""
    from cli.cases import start

    start(file, as_name)


@app.command("export")
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: stdout)")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json",
    board: Annotated[str | None, typer.Option(help="Only this board")] = None,
) -> None:
    """Export every case with its presenters, actions and updates (cvt import takes it back)."""
    if fmt not in ("json", "csv"):
        fail(f"--format: '{fmt}' is not json or csv")
    from cli import connect
    from services.export import export_sessions, to_csv, to_json

    with connect.sessions()() as session:
        data = export_sessions(session, board=board)
    text = to_json(data) if fmt == "json" else to_csv(data)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {len(data['sessions'])} session(s) to {output}.", err=True)


@mail_app.command("list")
def mail_list(
    status: Annotated[str | None, typer.Option(help="e.g. pending, unconfirmed, failed")] = None,
) -> None:
    """Messages in the outbox, newest first, with their delivery state."""
    from sqlmodel import col, select

    from cli import connect
    from models.outbox import OutboxMessage

    with connect.sessions()() as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.created_at).desc()).limit(200)
        if status:
            query = query.where(OutboxMessage.status == status)
        for row in session.exec(query).all():
            typer.echo(
                f"{row.id}  {row.status.value:<11} {row.kind:<32} {row.recipient_email or '-'}"
                + (f"\n    {row.last_error}" if row.last_error else "")
            )


@mail_app.command("resend")
def mail_resend(message_id: str) -> None:
    """Send an 'unconfirmed' or 'failed' message again (same Message-ID)."""
    import uuid

    from cli import connect
    from notifications.outbox_rows import resend

    try:
        row = resend(connect.sessions(), uuid.UUID(message_id))
    except (LookupError, ValueError) as error:
        fail(str(error))
    typer.echo(f"Message {row.id} is queued to be sent again.")


if __name__ == "__main__":
    app()
