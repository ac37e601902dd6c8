"""Equality monitoring: recording a presenter's answers (by the presenter from their signed
link, or by staff for them), and the report of aggregates with small numbers suppressed."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from models.base import utcnow
from models.case import Case
from models.equality import (
    DECLINED,
    ETHNIC_GROUPS,
    QUESTIONS,
    SMALLEST_SHOWN,
    EqualityAnswers,
    EqualityResponse,
    shown,
)
from models.presenter import Presenter
from services.errors import NotFound

HEADINGS = {
    "ethnicity": "Ethnic group",
    "age_band": "Age",
    "sex": "Sex or gender",
    "disability": "Disability",
    "religion": "Religion",
}


def get(session: Session, presenter_id: uuid.UUID) -> EqualityResponse | None:
    return session.get(EqualityResponse, presenter_id)


def record(
    session: Session, presenter_id: uuid.UUID, answers: EqualityAnswers, by: str
) -> EqualityResponse:
    """Keep the presenter's answers (a second answer replaces the first)."""
    presenter = session.get(Presenter, presenter_id)
    if presenter is None:
        raise NotFound(f"There is no presenter {presenter_id}.")
    row = session.get(EqualityResponse, presenter_id) or EqualityResponse(
        presenter_id=presenter_id, case_id=presenter.case_id, recorded_at=utcnow(), recorded_by=by
    )
    for name, value in answers.model_dump().items():
        setattr(row, name, value)
    row.recorded_at, row.recorded_by = utcnow(), by
    session.add(row)
    session.commit()
    session.refresh(row)
    return row


@dataclass
class Line:
    label: str
    count: str
    indent: bool = False


@dataclass
class Section:
    heading: str
    lines: list[Line] = field(default_factory=list)
    described: list[Line] = field(default_factory=list)  # in people's own words
    hidden_described: int = 0  # descriptions given by fewer than 5 people: not listed


@dataclass
class EqualityReport:
    responses: str
    declined: str
    sections: list[Section]


def _responses(
    session: Session, board_id: uuid.UUID | None, start: date | None, end: date | None
) -> list[EqualityResponse]:
    query = select(EqualityResponse).join(Case, col(Case.id) == EqualityResponse.case_id)
    if board_id is not None:
        query = query.where(Case.board_id == board_id)
    if start is not None:
        query = query.where(col(Case.meeting_date) >= start)
    if end is not None:
        query = query.where(col(Case.meeting_date) <= end)
    return list(session.exec(query).all())


def report(
    session: Session,
    *,
    board_id: uuid.UUID | None = None,
    start: date | None = None,
    end: date | None = None,
) -> EqualityReport:
    """Counts of each answer, never fewer than 5 shown as a number; the census groups as
    headings with their categories under them; people's own descriptions listed (counted the
    same way) only where 5 or more gave the same one."""
    rows = _responses(session, board_id, start, end)
    answered = [r for r in rows if not r.declined]
    sections = []
    for name, _, choices, described in QUESTIONS:
        counts = Counter(getattr(r, name) or "Not answered" for r in answered)
        section = Section(HEADINGS[name])
        if name == "ethnicity":
            for group, categories in ETHNIC_GROUPS.items():
                total = sum(counts[c] for c in categories)
                section.lines.append(Line(group, shown(total)))
                section.lines += [Line(c, shown(counts[c]), indent=True) for c in categories]
        else:
            section.lines += [Line(c, shown(counts[c])) for c in choices]
        section.lines += [
            Line(DECLINED, shown(counts[DECLINED])),
            Line("Not answered", shown(counts["Not answered"])),
        ]
        if described:
            own = Counter(
                (getattr(r, described) or "").strip().title()
                for r in answered
                if getattr(r, described)
            )
            section.described = [
                Line(words, str(n)) for words, n in sorted(own.items()) if n >= SMALLEST_SHOWN
            ]
            section.hidden_described = sum(1 for n in own.values() if n < SMALLEST_SHOWN)
        sections.append(section)
    return EqualityReport(
        responses=shown(len(rows)),
        declined=shown(len(rows) - len(answered)),
        sections=sections,
    )
