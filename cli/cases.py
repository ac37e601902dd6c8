"""``cvt case start``: record a session from a JSON file (the shape of POST /api/v1/cases)."""

from __future__ import annotations

from pathlib import Path

import typer

from cli.failures import fail


def start(file: Path, as_name: str | None) -> None:
    import asyncio
    import getpass

    from pydantic import ValidationError

    from cli import connect
    from models.audit import Actor, ActorKind
    from models.base import utcnow
    from models.case import CaseCreate
    from services import intake
    from services.errors import InvalidInput, field_errors

    try:
        body = CaseCreate.model_validate_json(file.read_text())
    except ValidationError as error:
        fail([f"{e['field']}: {e['message']}" for e in field_errors(list(error.errors()))])
    actor = Actor(kind=ActorKind.cli, name=as_name or f"{getpass.getuser()} (command line)")

    async def go() -> None:
        commands = await connect.commands()
        row = await commands.start_case(
            lambda session, command_id: intake.case_input(
                session, body, actor=actor, now=utcnow(), command_id=command_id
            ),
            actor,
        )
        typer.echo(f"Case {row.case_id}: {row.status.value}. {row.outcome_message or ''}".strip())

    try:
        asyncio.run(go())
    except InvalidInput as error:
        fail([f"{e.field}: {e.message}" for e in error.errors])
