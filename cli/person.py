"""``cvt person``: a person's rights over their data (erasure; subject access)."""

from __future__ import annotations

import getpass
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.failures import fail

if TYPE_CHECKING:
    from models.audit import Actor

person_app = typer.Typer(
    help="A person's data: download everything held about them; erase a presenter.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _actor(name: str | None) -> Actor:
    from models.audit import Actor, ActorKind

    return Actor(kind=ActorKind.cli, name=name or f"{getpass.getuser()} (command line)")


@person_app.command("erase")
def erase(
    presenter_id: Annotated[uuid.UUID, typer.Argument(help="The presenter's id")],
    as_name: Annotated[str | None, typer.Option("--as", help="Who is erasing")] = None,
) -> None:
    """Erase a presenter: a pseudonym everywhere, the record kept (see README)."""
    import asyncio

    from cli import connect
    from models.settings import get_settings
    from services.erasure import erase_presenter
    from services.errors import NotFound
    from workflows.client import connect as temporal

    settings = get_settings()

    async def run() -> None:
        client = await temporal(settings, lazy=True)
        result = await erase_presenter(
            sessions=connect.sessions(),
            client=client,
            presenter_id=presenter_id,
            by=_actor(as_name),
            maildir=settings.dev_mail_dir if settings.environment != "production" else None,
        )
        if result.already:
            typer.echo(
                f"Already erased: now {result.pseudonym}; "
                f"{len(result.workflows)} open workflow(s) told again."
            )
        else:
            changed = sum(result.rows.values())
            typer.echo(
                f"Erased: now {result.pseudonym}. {changed} row(s) rewritten, "
                f"{result.outbox_removed} message(s) removed from the outbox, "
                f"{result.mail_removed} from the mail archive; "
                f"{len(result.workflows)} open workflow(s) told."
            )
        if result.unreached:
            typer.echo(
                f"{len(result.unreached)} open workflow(s) could not be reached (is Temporal "
                "running?): run this command again once it is.",
                err=True,
            )

    try:
        asyncio.run(run())
    except NotFound as error:
        fail(str(error), code=1)


@person_app.command("export")
def export(
    kind: Annotated[str, typer.Argument(help="presenter or owner")],
    person_id: Annotated[uuid.UUID, typer.Argument(help="Their id")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The zip to write")] = None,
    as_name: Annotated[str | None, typer.Option("--as", help="Who is asking")] = None,
) -> None:
    """Everything held about a person (subject access): a zip of data.json and summary.html."""
    from cli import connect
    from services.errors import NotFound
    from services.subject_access import PersonKind, produce

    if kind not in PersonKind.__members__:
        fail(f"'{kind}' is not a kind of person: give presenter or owner.", code=2)
    try:
        with connect.sessions()() as session:
            archive = produce(session, PersonKind(kind), person_id, _actor(as_name))
    except NotFound as error:
        fail(str(error), code=1)
    target = output or Path(archive.filename)
    target.write_bytes(archive.content)
    rows = sum(len(r) for r in archive.rows.values())
    typer.echo(f"Wrote {target}: {rows} record(s) from {len(archive.rows)} table(s).")
