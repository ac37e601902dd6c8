"""``cvt import``: past sessions from the board's papers or this product's export, checked
first (every bad record with its line), asking what it cannot tell (``--decide``), then all or
nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli.failures import fail as _fail

if TYPE_CHECKING:
    from services.import_records import ImportReport


def _decisions(decide: list[str], decisions_file: Path | None) -> dict[str, str]:
    """REF=DECISION pairs (and a JSON file of them): the answers to an import's questions."""
    out: dict[str, str] = {}
    if decisions_file is not None:
        try:
            loaded = json.loads(decisions_file.read_text(encoding="utf-8-sig"))
        except json.JSONDecodeError as error:
            _fail([f"--decisions: {decisions_file} is not JSON ({error.msg}, line {error.lineno})"])
        if not isinstance(loaded, dict):
            _fail(['--decisions: give a JSON object of record id → decision, {"AR-2023-10": …}'])
        out.update({str(k): str(v) for k, v in loaded.items()})
    for pair in decide:
        ref, sep, choice = pair.partition("=")
        if not sep or not ref.strip() or not choice.strip():
            _fail([f"--decide: '{pair}' is not REF=DECISION, e.g. --decide AR-2023-10=no_action"])
        out[ref.strip()] = choice.strip()
    return out


def import_sessions_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSON or CSV")],
    board: Annotated[str, typer.Option(help="The board's slug, where a record names none")] = "tht",
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing")] = False,
    decide: Annotated[
        list[str] | None,
        typer.Option(
            help="Answer a record's question: REF=held|no_action|same_meeting|skip (repeatable)"
        ),
    ] = None,
    decisions_file: Annotated[
        Path | None,
        typer.Option(
            "--decisions", exists=True, dir_okay=False, help="A JSON file of REF: DECISION"
        ),
    ] = None,
) -> None:
    """Import past sessions: the board papers' JSON, or this product's export (JSON or CSV).

    Every bad record is reported with its line, and then nothing is imported. A record that
    could mean two things (no specific action but actions listed; two sessions in one month)
    asks for a decision (--decide REF=DECISION), and until it has one nothing is imported.
    Importing the same file again changes nothing.
    """
    import asyncio

    from rich.progress import Progress

    from cli import connect
    from models.audit import Actor, ActorKind
    from services.import_files import FileProblem, read_file
    from services.importer import import_sessions

    answers = _decisions(decide or [], decisions_file)
    try:
        items = read_file(str(file), _text(file), board=board, decisions=answers)
    except FileProblem as problem:
        _fail([str(problem)])
    actor = Actor(kind=ActorKind.importer, name=f"Import of {file.name}")

    async def go() -> ImportReport:
        commands = await connect.commands()
        with Progress(transient=True) as bar:
            task = bar.add_task(f"Importing {len(items)} session(s)", total=len(items))
            return await import_sessions(
                commands,
                items,
                board=board,
                actor=actor,
                dry_run=dry_run,
                progress=lambda _: bar.advance(task),
            )

    report = asyncio.run(go())
    for item in report.sessions:
        head = f"{item.where} ({item.source_ref})"
        if item.errors:
            typer.echo(f"{head}: NOT IMPORTED: {'; '.join(item.errors)}", err=True)
            continue
        typer.echo(f"{head}: {'NEEDS A DECISION' if item.questions else item.status}")
        for question in item.questions:
            typer.echo(f"    decide: {question}")
        for gap in item.lacks:
            typer.echo(f"    lacks: {gap}")
        for line in item.noted:
            typer.echo(f"    noted, not tracked: {line}")
        if item.source_note:
            typer.echo(f"    source note: {item.source_note}")
    if not report.ok:
        problems = []
        if report.bad:
            problems.append(
                f"{len(report.bad)} bad record(s): nothing was imported. Fix the lines above "
                "and run it again."
            )
        if report.undecided:
            problems.append(
                f"{len(report.undecided)} record(s) need a decision: nothing was imported. Give "
                "each with --decide REF=DECISION (or the record's import_decision field) and "
                "run it again."
            )
        _fail([*problems, *(["Dry run: nothing was written."] if dry_run else [])])
    there = sum(1 for i in report.sessions if i.status == "already imported")
    skipped = sum(1 for i in report.sessions if i.skipped)
    new = len(report.sessions) - there - skipped
    typer.echo(
        f"{new} {'to import' if dry_run else 'imported'}, {there} already there"
        + (f", {skipped} skipped as decided." if skipped else ".")
    )
    if dry_run:
        typer.echo("Dry run: nothing was written.")


def _text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        _fail(
            [
                f"{file} is not UTF-8 text: save it as UTF-8 (in a spreadsheet, as CSV UTF-8) "
                "and run it again."
            ]
        )
