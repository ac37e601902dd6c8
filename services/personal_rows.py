"""Every row of every table that names one person: found for a subject access request, rewritten
for an erasure.

The search covers every table in the schema (so a table added later is covered without a
change here), except those that hold staff credentials, step keys or the erasure register. A
row names the person when one of its text or JSON values holds their full name or email address
anywhere, their first name, surname or initials in a row about their own case, or when it
refers to them by id (their presenter or owner row, messages to them, commands they sent, a
decision about them in a report's names check); a row that refers to a presenter by id is also
about their case.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel
from sqlmodel.sql.sqltypes import AutoString

import models.tables  # noqa: F401 - every table module, so the metadata is whole
from models.erasure import Scrubber

#: Tables that never hold a member of the public's data, or must not be rewritten.
SKIPPED = frozenset({"staff_user", "recorded_step", "erasure", "alembic_version"})


@dataclass(frozen=True)
class Person:
    """Whom to look for: the words that name them, their case (a presenter) and their ids."""

    scrubber: Scrubber
    case_id: uuid.UUID | None = None
    ids: frozenset[uuid.UUID] = frozenset()
    #: The ids of the rows of their case (its actions, report rows…): a row pointing at one of
    #: them (a names-check decision on a report row) is about their case too.
    case_rows: frozenset[uuid.UUID] = frozenset()


def with_case_rows(session: Session, person: Person) -> Person:
    """``person`` with the ids of every row of their case."""
    if person.case_id is None:
        return person
    found: set[uuid.UUID] = set()
    for table in tables():
        column = _case_column(table)
        key = table.c.get("id")
        if column is None or key is None or not isinstance(key.type, sa.Uuid):
            continue
        found |= set(session.execute(sa.select(key).where(column == person.case_id)).scalars())
    return replace(person, case_rows=frozenset(found))


@dataclass
class FoundRow:
    table: str
    key: dict[str, Any]
    values: dict[str, Any]


def _text_columns(table: sa.Table) -> list[sa.Column[Any]]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, sa.String | sa.JSON | AutoString) and not isinstance(c.type, sa.Enum)
    ]


def _case_column(table: sa.Table) -> sa.Column[Any] | None:
    if table.name == "case":
        return table.c.id
    return table.c.get("case_id")


def _contains(text: sa.ColumnElement[Any], needle: str) -> sa.ColumnElement[bool]:
    """``text`` holds ``needle`` in any case, as written or as JSON writes it ("Zo\\u00eb").

    Wildcards in the needle are taken literally (``autoescape``), on SQLite and PostgreSQL.
    """
    forms = {needle.lower(), json.dumps(needle)[1:-1].lower()}
    return sa.or_(*(sa.func.lower(text).contains(f, autoescape=True) for f in sorted(forms)))


def _prefilter(table: sa.Table, person: Person) -> sa.ColumnElement[bool] | None:
    """A cheap SQL test that every row naming the person passes (and some others)."""
    texts = [sa.cast(c, sa.Text) for c in _text_columns(table)]
    needles = person.scrubber.needles
    tests: list[sa.ColumnElement[bool]] = [
        _contains(t, n) for t in texts for n in needles.everywhere()
    ]
    case_column = _case_column(table)
    if person.case_id is not None:
        narrow = [_contains(t, n) for t in texts for n in needles.in_case()]
        if case_column is not None and narrow:
            tests.append(sa.and_(case_column == person.case_id, sa.or_(*narrow)))
        tests += [t.like(f"%{person.case_id}%") for t in texts]
    pointers = [c for c in table.columns if isinstance(c.type, sa.Uuid) and c is not case_column]
    if person.case_rows and case_column is None:
        tests += [c.in_(list(person.case_rows)) for c in pointers]
    ids = list(person.ids)
    if ids:
        tests += [c.in_(ids) for c in table.columns if isinstance(c.type, sa.Uuid)]
        tests += [t.like(f"%{i}%") for t in texts for i in ids]
    return sa.or_(*tests) if tests else None


def _in_case(table: sa.Table, row: dict[str, Any], person: Person) -> bool:
    """A row about the person's own case, or about the person (their id in it)."""
    column = _case_column(table)
    if person.case_id is not None and column is not None and row[column.name] == person.case_id:
        return True
    if column is None and any(
        isinstance(row[c.name], uuid.UUID) and row[c.name] in person.case_rows
        for c in table.columns
        if not c.primary_key
    ):
        return True
    return person.case_id is not None and _refers(table, row, person)


def rewritten(table: sa.Table, row: dict[str, Any], person: Person) -> dict[str, Any]:
    """The text and JSON values of ``row`` that change when the person is replaced."""
    scope = _in_case(table, row, person)
    case = str(person.case_id) if person.case_id else None
    changed: dict[str, Any] = {}
    for column in _text_columns(table):
        value = row[column.name]
        if isinstance(value, str):
            new: Any = person.scrubber.text(value, case_scope=scope)
        elif value is not None:
            new = person.scrubber.json(value, case_scope=scope, case_id=case)
        else:
            continue
        if new != value:
            changed[column.name] = new
    return changed


def _refers(table: sa.Table, row: dict[str, Any], person: Person) -> bool:
    ids = person.ids
    if not ids:
        return False
    for column in table.columns:
        value = row[column.name]
        if isinstance(value, uuid.UUID) and value in ids:
            return True
        if isinstance(value, str | dict | list) and any(str(i) in str(value) for i in ids):
            return True
    return False


def tables() -> list[sa.Table]:
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in SKIPPED]


def find(session: Session, person: Person) -> Iterator[FoundRow]:
    """Every row that names or refers to the person, table by table."""
    person = with_case_rows(session, person)
    for table in tables():
        where = _prefilter(table, person)
        if where is None:
            continue
        for mapping in session.execute(sa.select(table).where(where)).mappings():
            row = dict(mapping)
            if rewritten(table, row, person) or _refers(table, row, person):
                key = {c.name: row[c.name] for c in table.primary_key.columns}
                yield FoundRow(table=table.name, key=key, values=row)


def rewrite(session: Session, person: Person) -> dict[str, int]:
    """Replace the person by their pseudonym in every row; how many rows changed, by table."""
    counts: dict[str, int] = {}
    person = with_case_rows(session, person)
    by_name = {t.name: t for t in tables()}
    for found in list(find(session, person)):
        table = by_name[found.table]
        changed = rewritten(table, found.values, person)
        if not changed:
            continue
        where = [table.c[name] == value for name, value in found.key.items()]
        session.execute(sa.update(table).where(*where).values(**changed))
        counts[found.table] = counts.get(found.table, 0) + 1
    return counts
