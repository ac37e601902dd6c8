"""Importing past sessions: the board's own published records (the demo data), and this
product's own export, as JSON or CSV.

Reading a file is ``import_files.py``; checking each record and what it lacks,
``import_records.py``. Every bad record is reported with the line of the file it starts on, and
then nothing at all is imported. Idempotent: importing the same file again changes nothing.
``dry_run`` checks without writing, and lists the questions a record raises (see
``import_decisions.py``): until each is answered, nothing is imported.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from models.audit import Actor
from models.base import utcnow
from models.case import Case
from models.inbox import InboxCommand
from models.partner import Owner
from services import intake
from services.commands import Commands
from services.errors import InvalidInput
from services.import_decisions import ask_about_recorded
from services.import_records import ImportedSession, ImportReport, case_id_for
from services.inbox import Channel


def _owner_ids(session: Session, item: ImportedSession) -> None:
    """Actions whose owner's email is in the directory get that named owner."""
    assert item.body is not None
    for index, email in enumerate(item.owner_emails):
        if not email:
            continue
        owner = session.exec(
            select(Owner).where(func.lower(Owner.email) == email.lower(), col(Owner.active))
        ).first()
        action = item.body.actions[index]
        if owner is None:
            item.action_gaps[index].append(f"owner {email} is not in the directory")
        else:
            action.owner_id = owner.id
            action.owner_as_written = None


def _recorded_in_month(session: Session, item: ImportedSession, refs: set[str]) -> list[Case]:
    """Sessions of the record's board and month already recorded, not from this file."""
    assert item.body is not None
    day = item.body.meeting_date
    first = date(day.year, day.month, 1)
    after = (first + timedelta(days=32)).replace(day=1)
    board = intake.get_board(session, item.board)
    own = case_id_for(item.board, item.source_ref)
    if session.get(Case, own) is not None:
        return []  # imported before: nothing new to decide
    found = session.exec(
        select(Case).where(
            Case.board_id == board.id, Case.meeting_date >= first, Case.meeting_date < after
        )
    ).all()
    return [c for c in found if c.id != own and (c.source_ref or "") not in refs]


def _check(commands: Commands, items: list[ImportedSession], actor: Actor) -> None:
    refs = {item.source_ref for item in items}
    with commands.sessions() as session:
        for item in items:
            if item.body is None or item.skipped:
                continue
            try:
                _owner_ids(session, item)
                intake.case_input(session, item.body, actor=actor, now=utcnow(), historical=True)
                ask_about_recorded(item, _recorded_in_month(session, item, refs))
            except InvalidInput as invalid:
                item.errors += [f"{e.field}: {e.message}" for e in invalid.errors]
    seen: dict[tuple[str, str], ImportedSession] = {}
    for item in items:
        key = (item.board, item.source_ref)
        if key in seen:
            item.errors.append(
                f"id: '{item.source_ref}' is used twice (first at {seen[key].where})"
            )
        seen.setdefault(key, item)


async def import_sessions(
    commands: Commands,
    items: list[ImportedSession],
    *,
    board: str,
    actor: Actor,
    dry_run: bool,
    progress: Callable[[ImportedSession], None] | None = None,
) -> ImportReport:
    """Start a (historical) case for each valid record; nothing at all if any record is bad.

    Every start is stored in the inbox in one transaction before any is handed to Temporal, so
    an import is never half stored; what is stored is delivered (now, or by the relay).
    """
    for item in items:
        item.board = item.board or board
    _check(commands, items, actor)
    report = ImportReport(sessions=items, dry_run=dry_run)
    if not report.ok:
        return report
    if dry_run:
        with commands.sessions() as session:
            for item in items:
                if item.skipped:
                    item.status = "skipped, as decided"
                elif _imported_before(session, item):
                    item.status = "already imported"
        return report
    rows = _store_all(commands, items, actor)
    for item, row in zip(items, rows, strict=True):
        if row is not None:
            await commands.inbox.deliver(row)
        if item.skipped:
            item.status = "skipped, as decided"
        else:
            item.status = "imported" if row is not None else "already imported"
        if progress is not None:
            progress(item)
    return report


def _import_key(item: ImportedSession) -> str:
    return f"import:{item.board}:{item.source_ref}"


def _imported_before(session: Session, item: ImportedSession) -> bool:
    """Stored by an earlier import (delivered or not), or the case is there already."""
    stored = session.exec(
        select(InboxCommand.id).where(InboxCommand.idempotency_key == _import_key(item))
    ).first()
    return (
        stored is not None
        or session.get(Case, case_id_for(item.board, item.source_ref)) is not None
    )


def _store_all(
    commands: Commands, items: list[ImportedSession], actor: Actor
) -> list[InboxCommand | None]:
    """The new start commands, all committed together (None: imported before)."""
    out: list[InboxCommand | None] = []
    with commands.sessions() as session:
        for item in items:
            assert item.body is not None
            if item.skipped:
                out.append(None)
                continue
            if _imported_before(session, item):
                out.append(None)
                continue
            key = _import_key(item)
            case_id = case_id_for(item.board, item.source_ref)
            command_id = uuid.uuid4()
            case_input = intake.case_input(
                session,
                item.body,
                actor=actor,
                now=utcnow(),
                command_id=command_id,
                case_id=case_id,
                historical=True,
                source_ref=item.source_ref,
                gaps=item.recorded_gaps,
                action_gaps=item.action_gaps,
                outcome_reflection=item.outcome_reflection,
                meeting_month_only=item.month_only,
                noted=item.noted,
                recorded=item.action_records,
            )
            row = InboxCommand(
                id=command_id,
                idempotency_key=key,
                kind="start_case",
                workflow_id=f"case-{case_id}",
                case_id=case_id,
                actor_name=actor.name,
                received_at=utcnow(),
                payload={
                    "channel": Channel.start_case.value,
                    "body": case_input.model_dump(mode="json"),
                },
            )
            session.add(row)
            out.append(row)
        session.commit()
        for new in out:
            if new is not None:
                session.refresh(new)
    return out
