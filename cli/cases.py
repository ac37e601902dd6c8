"""``cvt case start``: record a session from a JSON file (the shape of POST /api/v1/cases).

The file is checked in one round (``services/intake_checks.py``): every problem is listed at
once, named by the field as the file writes it, before anything is stored.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from cli.failures import fail


def read_session(file: Path) -> dict[str, Any]:
    """The file's JSON object; a file that is not one is a one-line failure."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8 text: save it as UTF-8 and run it again.")
    if not text.strip():
        fail(f"{file} is empty: write the session as JSON (README, 'Try it').")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        fail(f"{file} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}.")
    if not isinstance(data, dict):
        fail(f"{file} holds no session: give one JSON object, as in README's 'Try it'.")
    return data


def start(file: Path, as_name: str | None) -> None:
    import asyncio
    import getpass

    from cli import connect
    from models.audit import Actor, ActorKind
    from models.base import utcnow
    from services import intake
    from services.errors import InvalidInput
    from services.intake_checks import case_problems

    data = read_session(file)
    sessions = connect.sessions()
    with sessions() as session:
        body, problems = case_problems(session, data, now=utcnow())
    if body is None:
        fail(
            [
                *(f"{p.field}: {p.message}" for p in problems),
                f"{len(problems)} problem(s) in {file}: nothing was recorded. Fix them and run "
                "it again.",
            ]
        )
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
