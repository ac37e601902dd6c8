"""The public text of a report: its approved rows with each names-check decision applied.

Made each time the public page or a download is served, so consent is checked now: a presenter
whose consent was withdrawn is described instead of named, and a name found without a decision
is replaced by its description. The approved rows themselves (the staff record) never change.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence

from sqlmodel import Session

from models.public_text import PUBLIC_FIELDS, Decision
from models.report import Report, ReportRow
from services.name_finder import Found
from services.named_people import People
from services.names_check import automatic_decision, scan, stored_decisions


def _tidy(left: str, right: str) -> str:
    """Join two pieces of text around something removed, without a stray space or bracket."""
    if right[:1] in (".", ",", ";", ":", ")", "") or right[:1].isspace():
        left = left.rstrip(" ")
    if left.endswith("(") and right.startswith(")"):
        left, right = left[:-1].rstrip(" "), right[1:]
    return left + right


def public_rows(*, session: Session, report: Report, rows: Sequence[ReportRow]) -> list[ReportRow]:
    """The rows as the public may read them: each finding's decision applied, consent checked
    now, and anything found without a decision replaced by its description. The rows given are
    not changed (they are the staff record)."""
    people = People(session, report)
    stored = stored_decisions(session, report.id)
    by_field: dict[tuple[uuid.UUID, str], list[tuple[Found, str]]] = {}
    for row, field, fid, found in scan(people, rows):
        decided = stored.get(fid) or automatic_decision(people, row, field, found)
        consent = people.consent_recorded(found, row)
        if decided is None:
            shown = found.text if consent else people.description(found, row)
        elif decided.decision is Decision.consent:
            shown = found.text if consent else people.description(found, row)
        elif decided.decision is Decision.describe:
            shown = decided.replacement
        elif decided.decision is Decision.remove:
            shown = ""
        else:
            shown = found.text
        by_field.setdefault((row.id, field), []).append((found, shown))
    out = []
    for row in rows:
        changes = {}
        for field in PUBLIC_FIELDS:
            text: str = getattr(row, field)
            for found, shown in sorted(
                _apart(by_field.get((row.id, field), [])), key=lambda x: x[0].start, reverse=True
            ):
                if shown:
                    end = found.end
                    if shown != found.text and text[end:].lower().startswith(f" ({shown.lower()})"):
                        end += len(shown) + 3  # "Amina Begum (Tenants' Forum)": the forum once
                    text = text[: found.start] + shown + text[end:]
                else:
                    text = _tidy(text[: found.start], text[found.end :])
            changes[field] = _capitalise_lines(text)
        out.append(row.model_copy(update=changes))
    return out


def _apart(changes: list[tuple[Found, str]]) -> list[tuple[Found, str]]:
    """Changes that do not overlap: a note removed or replaced takes what is inside it with it;
    a note kept changes nothing, and what is inside it is changed on its own."""
    cut = [(f, s) for f, s in changes if f.kind == "curation_note" and s != f.text]
    return [
        (f, s)
        for f, s in changes
        if (f, s) in cut
        or (
            f.kind != "curation_note"
            and not any(c.start <= f.start and f.end <= c.end for c, _ in cut)
        )
    ]


def _capitalise_lines(text: str) -> str:
    """A description that starts a sentence starts with a capital ("A local resident said…")."""
    return re.sub(
        r"(^|[.!?]\s+|: )(a local resident|a person|a carer)\b",
        lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:],
        text,
        flags=re.MULTILINE,
    )
