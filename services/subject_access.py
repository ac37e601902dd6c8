"""Subject access: everything the product holds about one person (a presenter or an owner), as
a zip of ``data.json`` (every row, table by table) and ``summary.html`` (the same, readable).

The rows are those ``personal_rows`` finds: every row of every table that names the person or
refers to them by id (their own row, the actions they own, updates they wrote, messages sent to
them, audit events, report rows). Producing an archive is written to the audit trail.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import jinja2
from sqlmodel import Session, col, or_, select

from models.audit import Actor, AuditEvent
from models.base import utcnow
from models.erasure import Needles, Scrubber
from models.formatting import date_and_time
from models.partner import Owner
from models.presenter import Presenter
from services import personal_rows
from services.errors import NotFound


class PersonKind(StrEnum):
    presenter = "presenter"
    owner = "owner"


#: Plain-English headings for the tables (any other table is shown by its own name).
TABLE_TITLES = {
    "presenter": "You as a presenter",
    "owner": "You as an action owner",
    "case": "Sessions you presented at or are named in",
    "action": "Actions",
    "action_update": "Updates to actions",
    "outbox_message": "Messages sent to you or naming you",
    "audit_event": "Audit trail",
    "inbox_command": "What you or staff asked the service to do",
    "escalation": "Escalations",
    "report_row": "Rows of reports",
    "report": "Reports",
    "said_summary": "Summaries of what was said",
}


@dataclass(frozen=True)
class Subject:
    kind: PersonKind
    id: uuid.UUID
    label: str
    person: personal_rows.Person
    case_id: uuid.UUID | None = None


@dataclass
class Archive:
    filename: str
    content: bytes
    rows: dict[str, list[dict[str, Any]]]


def subject(session: Session, kind: PersonKind, person_id: uuid.UUID) -> Subject:
    if kind is PersonKind.presenter:
        presenter = session.get(Presenter, person_id)
        if presenter is None:
            raise NotFound(f"There is no presenter {person_id}.")
        scrubber = Scrubber(Needles.of(presenter.name, presenter.email), "\x00")
        person = personal_rows.Person(scrubber, presenter.case_id, frozenset({presenter.id}))
        return Subject(kind, presenter.id, presenter.display_name, person, presenter.case_id)
    owner = session.get(Owner, person_id)
    if owner is None:
        raise NotFound(f"There is no owner {person_id}.")
    scrubber = Scrubber(Needles.of(owner.name, owner.email), "\x00")
    person = personal_rows.Person(scrubber, None, frozenset({owner.id}))
    return Subject(kind, owner.id, owner.name, person)


def search(session: Session, words: str, limit: int = 50) -> list[tuple[PersonKind, Any]]:
    """Presenters and owners whose name, organisation or email holds ``words``."""
    like = f"%{words.strip()}%"
    presenters = session.exec(
        select(Presenter)
        .where(
            or_(
                col(Presenter.name).ilike(like),
                col(Presenter.email).ilike(like),
                col(Presenter.organisation).ilike(like),
            )
        )
        .limit(limit)
    ).all()
    owners = session.exec(
        select(Owner)
        .where(or_(col(Owner.name).ilike(like), col(Owner.email).ilike(like)))
        .limit(limit)
    ).all()
    found: list[tuple[PersonKind, Any]] = [(PersonKind.presenter, p) for p in presenters]
    return found + [(PersonKind.owner, o) for o in owners]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | uuid.UUID):
        return str(value)
    return value


def rows_about(session: Session, who: Subject) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for row in personal_rows.find(session, who.person):
        found.setdefault(row.table, []).append({k: _plain(v) for k, v in row.values.items()})
    return found


_SUMMARY = jinja2.Environment(autoescape=True).from_string(
    """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{{ title }}</title>
<style>body{font-family:Arial,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}
td,th{border:1px solid #aeb7bd;padding:4px 8px;text-align:left;vertical-align:top}</style></head>
<body><h1>{{ title }}</h1>
<p>Produced on {{ produced }} by {{ by }}. This is everything Community Voice holds that
names you or refers to you, in {{ total }} record(s). The file data.json holds the same
records in full.</p>
{% for table, rows in sections %}<h2>{{ table }}</h2>
{% for row in rows %}<table><caption class="visually-hidden">{{ table }} {{ loop.index }}</caption>
{% for key, value in row.items() %}{% if value not in (None, "", [], {}) %}
<tr><th scope="row">{{ key.replace("_", " ") }}</th><td>{{ value }}</td></tr>{% endif %}{% endfor %}
</table><p></p>{% endfor %}{% endfor %}
</body></html>
"""
)


def produce(session: Session, kind: PersonKind, person_id: uuid.UUID, by: Actor) -> Archive:
    """The archive for one person; the request is written to the audit trail."""
    who = subject(session, kind, person_id)
    rows = rows_about(session, who)
    now = utcnow()
    title = f"Your data held by Community Voice: {who.label}"
    sections = [(TABLE_TITLES.get(t, t.replace("_", " ")), r) for t, r in rows.items()]
    summary = _SUMMARY.render(
        title=title,
        produced=date_and_time(now),
        by=by.name,
        total=sum(len(r) for r in rows.values()),
        sections=sections,
    )
    data = {
        "person": {"kind": kind.value, "id": str(who.id), "name": who.label},
        "produced_at": now.isoformat(),
        "tables": rows,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("summary.html", summary)
    session.add(
        AuditEvent.by(
            by,
            at=now,
            verb="person.subject_access",
            summary=f"Subject access archive produced for {kind.value} {who.id}",
            case_id=who.case_id,
            detail={
                "person_kind": kind.value,
                "person_id": str(who.id),
                "rows": sum(len(r) for r in rows.values()),
            },
        )
    )
    session.commit()
    return Archive(f"subject-access-{kind.value}-{who.id}.zip", buffer.getvalue(), rows)
