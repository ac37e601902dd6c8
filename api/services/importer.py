"""Importing past sessions: the board's own published records (the demo data), and this
product's own export, as JSON or CSV.

Takes records as they are and says what each lacks (no named owner, no due date, a month with
no day) rather than inventing it. Every bad record is reported with the line of the file it
starts on, and then nothing at all is imported. Idempotent: a session's id comes from its
source reference (or, for the product's own export, is the case's own id), so importing the
same file again changes nothing. ``dry_run`` checks without writing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, col, func, select

from api.errors import field_errors
from api.services import intake
from api.services.commands import Commands
from api.services.errors import InvalidInput
from api.services.inbox import Channel
from models.audit import Actor
from models.base import utcnow
from models.case import Case, CaseCreate, CaseOutcome
from models.inbox import InboxCommand
from models.partner import Owner

NAMESPACE = uuid.UUID("6f1b2c77-61a4-4b0c-9d0e-7c1d1e0f5a3b")
EXPORT_FORMAT = "community-voice-export"
#: Source references of sessions recorded in this product, as its export writes them.
CASE_REF = re.compile(r"^case:([0-9a-f-]{36})$")


@dataclass
class ImportedSession:
    """One record: what it will become, and what it lacks."""

    number: int
    source_ref: str
    line: int = 0
    board: str = ""
    body: CaseCreate | None = None
    gaps: list[str] = field(default_factory=list)
    action_gaps: list[list[str]] = field(default_factory=list)
    owner_emails: list[str | None] = field(default_factory=list)
    outcome_reflection: str | None = None
    errors: list[str] = field(default_factory=list)
    status: str = "checked"

    @property
    def lacks(self) -> list[str]:
        out = list(self.gaps)
        for index, gaps in enumerate(self.action_gaps, start=1):
            out += [f"action {index}: {gap}" for gap in gaps]
        return out

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line else f"record {self.number}"


@dataclass
class ImportReport:
    sessions: list[ImportedSession]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not any(s.errors for s in self.sessions)

    @property
    def bad(self) -> list[ImportedSession]:
        return [s for s in self.sessions if s.errors]


def case_id_for(board: str, source_ref: str) -> uuid.UUID:
    match = CASE_REF.match(source_ref)
    if match:
        return uuid.UUID(match.group(1))
    return uuid.uuid5(NAMESPACE, f"{board}:{source_ref}")


# --- reading files ----------------------------------------------------------------------------


def read_file(name: str, text: str, *, board: str) -> list[ImportedSession]:
    """Sessions from a ``.json`` or ``.csv`` file (the board papers' shape or our export)."""
    if name.lower().endswith(".csv"):
        return read_csv(text, board=board)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        bad = ImportedSession(number=1, source_ref="(file)", line=error.lineno)
        bad.errors.append(f"not valid JSON: {error.msg} (column {error.colno})")
        return [bad]
    records = data.get("sessions") if isinstance(data, dict) else data
    if not isinstance(records, list):
        bad = ImportedSession(number=1, source_ref="(file)", line=1)
        bad.errors.append("expected a list of sessions, or this product's export")
        return [bad]
    return read_board_papers(records, board=board, lines=json_record_lines(text))


def json_record_lines(text: str) -> list[int]:
    """The line each record of the sessions array starts on."""
    decoder = json.JSONDecoder()
    start = text.find("[")
    found = re.search(r'"sessions"\s*:\s*\[', text)
    if text.lstrip().startswith("{") and found:
        start = found.end() - 1
    lines: list[int] = []
    if start < 0:
        return lines
    index = start + 1
    while index < len(text):
        while index < len(text) and text[index] in " \t\r\n,":
            index += 1
        if index >= len(text) or text[index] == "]":
            break
        lines.append(text.count("\n", 0, index) + 1)
        try:
            _, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            break
    return lines


def read_board_papers(
    records: list[Any], *, board: str, lines: list[int] | None = None
) -> list[ImportedSession]:
    """Sessions in the board papers' shape (``board_month``, ``status``, ``actions`` …) or the
    richer shape of this product's export (``meeting_date``, due dates, owners' emails)."""
    out = []
    for number, record in enumerate(records, start=1):
        line = lines[number - 1] if lines and number <= len(lines) else 0
        if not isinstance(record, dict):
            item = ImportedSession(number=number, source_ref=f"record-{number}", line=line)
            item.errors.append("a session must be an object with fields such as board_month")
            out.append(item)
            continue
        item = ImportedSession(
            number=number,
            source_ref=str(record.get("id") or f"record-{number}"),
            line=line,
            board=str(record.get("board") or board),
        )
        try:
            item.body, item.gaps, item.action_gaps, item.owner_emails = _session(record, item.board)
        except ValidationError as error:
            item.errors.append(_describe(error))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            item.errors.append(_describe(error))
        item.outcome_reflection = record.get("outcome") or None
        out.append(item)
    return out


def _meeting_date(record: dict[str, Any], gaps: list[str]) -> date:
    if record.get("meeting_date"):
        try:
            return date.fromisoformat(str(record["meeting_date"]))
        except ValueError as error:
            raise ValueError(
                f"meeting_date: '{record['meeting_date']}' is not a date (YYYY-MM-DD)"
            ) from error
    if "board_month" not in record:
        raise KeyError("board_month")
    month = str(record["board_month"])
    if not re.fullmatch(r"\d{4}-\d{2}", month) or not 1 <= int(month[5:]) <= 12:
        raise ValueError(f"board_month: '{month}' is not a month: write it as YYYY-MM")
    gaps.append("meeting day not recorded: month only, dated the 1st")
    return date(int(month[:4]), int(month[5:]), 1)


def _session(
    record: dict[str, Any], board: str
) -> tuple[CaseCreate, list[str], list[list[str]], list[str | None]]:
    gaps: list[str] = []
    meeting_date = _meeting_date(record, gaps)
    status = record.get("status") or "held"
    if status not in CaseOutcome.__members__:
        known = ", ".join(CaseOutcome)
        raise ValueError(f"status: '{status}' is not a session outcome; use one of {known}")
    if not record.get("theme"):
        gaps.append("no theme recorded")
    presenters = []
    for p in record.get("presenters") or []:
        keep = (
            "name",
            "organisation",
            "role",
            "email",
            "preferred_contact",
            "access_needs",
            "language",
            "consent_to_publish_name",
        )
        presenters.append({k: p[k] for k in keep if p.get(k) is not None})
        if not (p.get("email") or p.get("preferred_contact")):
            who = p.get("name") or p.get("organisation") or "a presenter"
            gaps.append(f"no contact details for {who}")
    actions, action_gaps, emails = [], [], []
    for a in record.get("actions") or []:
        owner = a.get("owner")
        lacks = []
        if not a.get("owner_email"):
            lacks.append(
                f"no named owner (recorded as '{owner}')" if owner else "no owner recorded"
            )
        if not a.get("due_date"):
            lacks.append("no due date")
        actions.append(
            {"text": a["text"], "owner_as_written": owner, "due_date": a.get("due_date")}
        )
        action_gaps.append(lacks)
        emails.append(a.get("owner_email"))
    if record.get("note"):
        gaps.append(f"source note: {record['note']}")
    body = CaseCreate.model_validate(
        {
            "board": board,
            "meeting_date": meeting_date,
            "outcome": CaseOutcome(status),
            "theme": record.get("theme"),
            "said": record.get("said"),
            "presenters": presenters,
            "actions": actions,
        }
    )
    return body, gaps, action_gaps, emails


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{e['field']}: {e['message']}" for e in field_errors(list(error.errors()))
        )
    if isinstance(error, KeyError):
        return f"{error.args[0]}: missing"
    return str(error)


# --- CSV --------------------------------------------------------------------------------------

#: One line a session and action (a session with no action has one line, action cells empty).
CSV_COLUMNS = [
    "session_ref", "board", "meeting_date", "board_month", "status", "theme", "said",
    "presenters", "outcome_and_reflection", "action_seq", "action_text", "action_owner",
    "action_owner_email", "action_partner", "action_due_date", "action_status", "action_rag",
    "action_rag_cause", "action_closed_at", "action_closed_on_time", "action_latest_update",
]  # fmt: skip
REQUIRED_CSV = {"session_ref", "status"}


def read_csv(text: str, *, board: str) -> list[ImportedSession]:
    reader = csv.DictReader(io.StringIO(text))
    missing = REQUIRED_CSV - set(reader.fieldnames or [])
    if missing or not ({"meeting_date", "board_month"} & set(reader.fieldnames or [])):
        bad = ImportedSession(number=1, source_ref="(header)", line=1)
        bad.errors.append(
            "the first line must name the columns; needed: session_ref, status and "
            "meeting_date or board_month (see 'cvt export --format csv')"
        )
        return [bad]
    grouped: dict[str, dict[str, Any]] = {}
    problems: dict[str, list[str]] = {}
    last_line = 1
    for row in reader:
        first_line, last_line = last_line + 1, reader.line_num
        ref = (row.get("session_ref") or "").strip()
        if not ref:
            grouped[f"(line {first_line})"] = {"_line": first_line}
            problems[f"(line {first_line})"] = ["session_ref: missing"]
            continue
        record = grouped.setdefault(ref, {"_line": first_line, "id": ref, "actions": []})
        for key in ("board", "meeting_date", "board_month", "status", "theme", "said"):
            if row.get(key) and key not in record:
                record[key] = row[key]
        if row.get("outcome_and_reflection") and "outcome" not in record:
            record["outcome"] = row["outcome_and_reflection"]
        if row.get("presenters") and "presenters" not in record:
            try:
                record["presenters"] = json.loads(row["presenters"])
            except json.JSONDecodeError:
                problems.setdefault(ref, []).append(
                    f"line {first_line}: presenters: not a JSON list of presenters"
                )
        if row.get("action_text"):
            record["actions"].append(
                {
                    "text": row["action_text"],
                    "owner": row.get("action_owner") or None,
                    "owner_email": row.get("action_owner_email") or None,
                    "due_date": row.get("action_due_date") or None,
                }
            )
    records = []
    lines = []
    for record in grouped.values():
        lines.append(record.pop("_line"))
        records.append(record)
    items = read_board_papers(records, board=board, lines=lines)
    for item in items:
        item.errors = problems.get(item.source_ref, []) + item.errors
    return items


# --- importing --------------------------------------------------------------------------------


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


def _check(commands: Commands, items: list[ImportedSession], actor: Actor) -> None:
    with commands.sessions() as session:
        for item in items:
            if item.body is None:
                continue
            try:
                _owner_ids(session, item)
                intake.case_input(session, item.body, actor=actor, now=utcnow(), historical=True)
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
    if dry_run or not report.ok:
        return report
    rows = _store_all(commands, items, actor)
    for item, row in zip(items, rows, strict=True):
        if row is not None:
            await commands.inbox.deliver(row)
        item.status = "imported" if row is not None else "already imported"
        if progress is not None:
            progress(item)
    return report


def _store_all(
    commands: Commands, items: list[ImportedSession], actor: Actor
) -> list[InboxCommand | None]:
    """The new start commands, all committed together (None: imported before)."""
    out: list[InboxCommand | None] = []
    with commands.sessions() as session:
        for item in items:
            assert item.body is not None
            key = f"import:{item.board}:{item.source_ref}"
            case_id = case_id_for(item.board, item.source_ref)
            existing = session.exec(
                select(InboxCommand).where(InboxCommand.idempotency_key == key)
            ).first()
            if existing is not None or session.get(Case, case_id) is not None:
                out.append(None)
                continue
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
                gaps=item.gaps,
                action_gaps=item.action_gaps,
                outcome_reflection=item.outcome_reflection,
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
