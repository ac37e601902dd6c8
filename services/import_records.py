"""Past sessions as records: each one checked and made into a case, with what it lacks.

Takes a record as it is (the board papers' shape, or the richer shape of this product's
export) and says what it lacks (no named owner, no due date, a month with no day) rather than
inventing it. A session's id comes from its source reference (or, for the product's own export,
is the case's own id), so importing it again finds the same case.

Where a record could mean two things (a session recorded as "no specific action" that also lists
actions; two sessions in one month) it is not guessed: ``import_decisions`` asks, and the answer
comes from the record's ``import_decision`` field or ``cvt import --decide REF=DECISION``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from models.action import ActionAsRecorded, RecordedStatus, RecordedUpdate
from models.case import CaseCreate, CaseOutcome
from models.formatting import month_year
from models.text import find_forbidden, printable
from services.errors import field_errors
from services.import_decisions import (
    DECISION_FIELD,
    Decision,
    ask_about_same_month,
    decide_no_specific_action,
    read_decision,
)

NAMESPACE = uuid.UUID("6f1b2c77-61a4-4b0c-9d0e-7c1d1e0f5a3b")
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
    action_records: list[ActionAsRecorded] = field(default_factory=list)
    outcome_reflection: str | None = None
    month_only: bool = False
    noted: list[str] = field(default_factory=list)
    decision: Decision | None = None
    questions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    #: What the source says about the record itself (kept with the case, not a lack).
    source_note: str | None = None
    status: str = "checked"

    @property
    def skipped(self) -> bool:
        return self.decision is Decision.skip

    @property
    def lacks(self) -> list[str]:
        out = list(self.gaps)
        for index, gaps in enumerate(self.action_gaps, start=1):
            out += [f"action {index}: {gap}" for gap in gaps]
        return out

    @property
    def recorded_gaps(self) -> list[str]:
        """What the case keeps as missing from its record (with the source's own note)."""
        return self.gaps + ([f"source note: {self.source_note}"] if self.source_note else [])

    @property
    def where(self) -> str:
        return f"line {self.line}" if self.line else f"record {self.number}"


@dataclass
class ImportReport:
    sessions: list[ImportedSession]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not any(s.errors or s.questions for s in self.sessions)

    @property
    def bad(self) -> list[ImportedSession]:
        return [s for s in self.sessions if s.errors]

    @property
    def undecided(self) -> list[ImportedSession]:
        return [s for s in self.sessions if s.questions and not s.errors]


def case_id_for(board: str, source_ref: str) -> uuid.UUID:
    match = CASE_REF.match(source_ref)
    if match:
        return uuid.UUID(match.group(1))
    return uuid.uuid5(NAMESPACE, f"{board}:{source_ref}")


def read_board_papers(
    records: list[Any],
    *,
    board: str,
    lines: list[int] | None = None,
    decisions: Mapping[str, str] | None = None,
) -> list[ImportedSession]:
    """Sessions in the board papers' shape (``board_month``, ``status``, ``actions`` …) or the
    richer shape of this product's export (``meeting_date``, due dates, owners' emails).

    ``decisions`` (source reference → decision, from the command line) answer the questions a
    record raises; they take the place of the record's own ``import_decision``."""
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
        if hit := find_forbidden(record):
            item.source_ref = printable(item.source_ref)
            item.board = printable(item.board)
            item.errors.append(f"{hit[0]}: {hit[1]}")
            out.append(item)
            continue
        try:
            given = (decisions or {}).get(item.source_ref, record.get(DECISION_FIELD))
            item.decision = read_decision(given)
            _session(record, item)
        except ValidationError as error:
            item.errors.append(_describe(error))
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            item.errors.append(_describe(error))
        item.outcome_reflection = record.get("outcome") or None
        out.append(item)
    ask_about_same_month(out)
    return out


def _meeting_date(record: dict[str, Any], item: ImportedSession) -> date:
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
    first = date(int(month[:4]), int(month[5:]), 1)
    item.month_only = True
    item.gaps.append(f"meeting day not recorded: shown as {month_year(first)}")
    return first


def _session(record: dict[str, Any], item: ImportedSession) -> None:
    gaps = item.gaps
    meeting_date = _meeting_date(record, item)
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
    actions, action_gaps, emails = [], item.action_gaps, item.owner_emails
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
        item.action_records.append(as_recorded(a, lacks))
        action_gaps.append(lacks)
        emails.append(a.get("owner_email"))
    if record.get("note"):
        item.source_note = str(record["note"])
    outcome = decide_no_specific_action(record, item, CaseOutcome(status), actions)
    item.noted += [str(n) for n in record.get("noted") or [] if n]
    item.body = CaseCreate.model_validate(
        {
            "board": item.board,
            "meeting_date": meeting_date,
            "outcome": outcome,
            "theme": record.get("theme"),
            "said": record.get("said"),
            "presenters": presenters,
            "actions": actions,
        }
    )


#: How records write an action's status (this product's export writes ``recorded_status``).
_DONE = {"done", "complete", "completed", "closed", "achieved", "delivered"}
_IN_PROGRESS = {
    "in_progress", "in progress", "ongoing", "open", "underway", "under way", "started",
    "awaiting_acknowledgement", "unassigned", "cannot_deliver",
}  # fmt: skip


def as_recorded(a: dict[str, Any], lacks: list[str]) -> ActionAsRecorded:
    """An action's status, date done and comment as its record gives them; never guessed."""
    given = a.get("recorded_status") or a.get("status")
    written = str(given or "").strip().lower()
    if written in _DONE:
        status = RecordedStatus.done
    elif written in _IN_PROGRESS:
        status = RecordedStatus.in_progress
    else:
        status = RecordedStatus.not_known
        if written and written != RecordedStatus.not_known.value:
            lacks.append(f"status recorded as '{given}': shown as not known")
    ours = "recorded_status" in a  # this product's own export says exactly what it knows
    done = a.get("recorded_done_on") or a.get("done_date") or a.get("completed_on")
    if not done and not ours and status is RecordedStatus.done and a.get("closed_at"):
        done = str(a["closed_at"])[:10]
    done_on = date.fromisoformat(str(done)[:10]) if done else None
    closed_at = None
    if ours and status is RecordedStatus.done and a.get("closed_at"):
        closed_at = datetime.fromisoformat(str(a["closed_at"]))
    if status is RecordedStatus.done and done_on is None and closed_at is None:
        lacks.append("done, the date not recorded")
    if ours:
        comment = a.get("recorded_comment")
    else:
        comment = a.get("recorded_comment") or a.get("comment") or a.get("closure_note")
    return ActionAsRecorded(
        status=status,
        done_on=done_on,
        comment=str(comment) if comment else None,
        closed_at=closed_at,
        closure_note=a.get("closure_note") if ours else None,
        updates=[
            RecordedUpdate(
                at=datetime.fromisoformat(str(u["at"])),
                kind=u["kind"],
                text=u["text"],
                author=u["author"],
                author_kind=u["author_kind"],
                rag_at_time=u["rag_at_time"],
            )
            for u in (a.get("updates") or [] if ours else [])
        ],
    )


def _describe(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{e['field']}: {e['message']}" for e in field_errors(list(error.errors()))
        )
    if isinstance(error, KeyError):
        return f"{error.args[0]}: missing"
    return str(error)
