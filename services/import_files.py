"""Reading an import file: JSON (the board papers, or this product's export) or CSV.

Every record keeps the line of the file it starts on, so that each bad one can be reported
where it is. A file that holds no records at all (empty, not JSON, no sessions, no header)
raises ``FileProblem``: one sentence that names the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from services import csv_files
from services.import_records import ImportedSession, read_board_papers

#: The name this product's JSON export gives its format (``export.py`` writes it).
EXPORT_FORMAT = "community-voice-export"


class FileProblem(ValueError):
    """The file as a whole cannot be read as sessions; the message names it."""


def read_file(
    name: str, text: str, *, board: str, decisions: Mapping[str, str] | None = None
) -> list[ImportedSession]:
    """Sessions from a ``.json`` or ``.csv`` file (the board papers' shape or our export);
    ``decisions`` answer the questions records raise (``import_decisions.py``)."""
    if not text.strip():
        raise FileProblem(f"No sessions found in {name}: the file is empty.")
    if name.lower().endswith(".csv"):
        items = read_csv(text, board=board, decisions=decisions, name=name)
    else:
        items = _read_json(name, text, board=board, decisions=decisions)
    if not items:
        raise FileProblem(f"No sessions found in {name}.")
    return items


def _read_json(
    name: str, text: str, *, board: str, decisions: Mapping[str, str] | None
) -> list[ImportedSession]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(
            f"{name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None
    records = data.get("sessions") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise FileProblem(
            f"{name} holds no list of sessions: give a JSON list of sessions (as in demo/), or "
            "this product's export (cvt export)."
        )
    return read_board_papers(
        records, board=board, lines=json_record_lines(text), decisions=decisions
    )


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


#: One line a session and action (a session with no action has one line, action cells empty).
CSV_COLUMNS = [
    "session_ref", "board", "meeting_date", "board_month", "status", "theme", "said",
    "presenters", "outcome_and_reflection", "noted", "import_decision", "action_seq",
    "action_text", "action_owner", "action_owner_email", "action_partner", "action_due_date",
    "action_status", "action_rag", "action_rag_cause", "action_closed_at",
    "action_closed_on_time", "action_latest_update",
]  # fmt: skip
REQUIRED_CSV = {"session_ref", "status"}


def read_csv(
    text: str,
    *,
    board: str,
    decisions: Mapping[str, str] | None = None,
    name: str = "the file",
) -> list[ImportedSession]:
    reader = csv_files.read_rows(text)
    missing = REQUIRED_CSV - set(reader.fieldnames or [])
    if missing or not ({"meeting_date", "board_month"} & set(reader.fieldnames or [])):
        raise FileProblem(
            f"The first line of {name} must name the columns; needed: session_ref, status and "
            "meeting_date or board_month (see 'cvt export --format csv')."
        )
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
        for key in (
            "board", "meeting_date", "board_month", "status", "theme", "said", "import_decision"
        ):  # fmt: skip
            if row.get(key) and key not in record:
                record[key] = row[key]
        if row.get("outcome_and_reflection") and "outcome" not in record:
            record["outcome"] = row["outcome_and_reflection"]
        if row.get("noted") and "noted" not in record:
            try:
                record["noted"] = [str(n) for n in json.loads(row["noted"])]
            except (json.JSONDecodeError, TypeError):
                problems.setdefault(ref, []).append(
                    f"line {first_line}: noted: not a JSON list of texts"
                )
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
    items = read_board_papers(records, board=board, lines=lines, decisions=decisions)
    for item in items:
        item.errors = problems.get(item.source_ref, []) + item.errors
    return items
