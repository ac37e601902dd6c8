"""Erasing a presenter while keeping the record: a stable pseudonym replaces them everywhere.

The pure rules live here so the service (database rows), the workflows (their state) and the
tests share one implementation: which words name the person (``Needles``), how text and JSON
are rewritten (``Scrubber``), and the pseudonym itself ("Presenter 3, May 2024").

Full name and email address are replaced wherever they appear. A first name, a surname or
initials alone are replaced only in text about the person's own case (``case_scope``): the same
surname in another case is somebody else.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from models.base import utc_column
from models.presenter import PresenterRecord

M = TypeVar("M", bound=BaseModel)

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


class Erasure(SQLModel, table=True):
    """A presenter who was erased: the pseudonym they now have (never their name)."""

    presenter_id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    pseudonym: str = Field(max_length=100, unique=True)
    erased_at: datetime = utc_column(nullable=False)
    erased_by: str = Field(max_length=200)


class ErasePresenter(BaseModel):
    """The signal that scrubs a presenter from a workflow's state (then it continues as new)."""

    presenter_id: uuid.UUID
    pseudonym: str


def pseudonym(number: int, meeting_date: date) -> str:
    """``Presenter 3, May 2024``: the presenter's place among that month's presenters."""
    return f"Presenter {number}, {meeting_date.strftime('%B %Y')}"


@dataclass(frozen=True)
class Needles:
    """The words that name one person."""

    full_name: str | None
    email: str | None
    parts: tuple[str, ...] = ()  # first name, surname… (three letters or more)
    initials: str | None = None  # "HC", as the board's papers write them

    @classmethod
    def of(cls, name: str | None, email: str | None) -> Needles:
        words = [w.strip(".'-") for w in re.split(r"[\s,()]+", (name or "").strip())]
        words = [w for w in words if w]
        parts = tuple(w for w in words if len(w) >= 3)
        initials = "".join(w[0].upper() for w in words) if 2 <= len(words) <= 4 else None
        full = (name or "").strip() or None
        return cls(full_name=full, email=email, parts=parts, initials=initials)

    def everywhere(self) -> list[str]:
        """What is searched for in every table: the full name and the email address."""
        return [n for n in (self.email, self.full_name) if n]

    def in_case(self) -> list[str]:
        """What is searched for in rows about the person's own case."""
        found = self.everywhere() + list(self.parts)
        return found + ([self.initials] if self.initials else [])


def _word(text: str) -> str:
    return rf"(?<![\w@.]){re.escape(text)}(?![\w@])"


class Scrubber:
    """Rewrites text and JSON so that one person is named only by their pseudonym."""

    def __init__(self, needles: Needles, replacement: str) -> None:
        self.needles = needles
        self.replacement = replacement
        wide = [re.escape(n) for n in needles.everywhere()]
        self._wide = re.compile("|".join(wide), re.IGNORECASE) if wide else None
        narrow = [_word(p) for p in needles.parts]
        self._narrow = re.compile("|".join(narrow), re.IGNORECASE) if narrow else None
        self._initials = re.compile(_word(needles.initials)) if needles.initials else None

    def text(self, value: str, *, case_scope: bool) -> str:
        if _UUID.match(value):
            return value
        if self._wide is not None:
            value = self._wide.sub(self.replacement, value)
        if case_scope:
            for pattern in (self._narrow, self._initials):
                if pattern is not None:
                    value = _outside(pattern, value, self.replacement)
        return value

    def json(self, value: Any, *, case_scope: bool, case_id: str | None = None) -> Any:
        """Every string in ``value``; a dict whose ``case_id`` is the person's case (a report's
        row, say) is treated as text about that case."""
        if isinstance(value, str):
            return self.text(value, case_scope=case_scope)
        if isinstance(value, list):
            return [self.json(v, case_scope=case_scope, case_id=case_id) for v in value]
        if isinstance(value, dict):
            scope = case_scope or (case_id is not None and str(value.get("case_id")) == case_id)
            return {k: self.json(v, case_scope=scope, case_id=case_id) for k, v in value.items()}
        return value

    def model(self, value: M) -> M:
        """A workflow's state (all of it about the person's case), rewritten."""
        dumped = value.model_dump(mode="json")
        return type(value).model_validate(self.json(dumped, case_scope=True))


def _outside(pattern: re.Pattern[str], value: str, replacement: str) -> str:
    """Replace matches of ``pattern`` except inside an earlier replacement ("Presenter 3…")."""
    pieces = value.split(replacement)
    return replacement.join(pattern.sub(replacement, piece) for piece in pieces)


def erased_presenter(record: PresenterRecord, name: str) -> PresenterRecord:
    """The presenter as kept: the pseudonym for a name, no contact details or needs."""
    return record.model_copy(
        update={
            "name": name,
            "email": None,
            "preferred_contact": None,
            "access_needs": None,
            "language": None,
        }
    )


def scrub_presenters(
    presenters: list[PresenterRecord], erasure: ErasePresenter
) -> tuple[list[PresenterRecord], Scrubber | None]:
    """The presenters with one erased, and the scrubber for the rest of the state (None when
    the person is not among them)."""
    found = [p for p in presenters if p.id == erasure.presenter_id]
    if not found:
        return presenters, None
    person = found[0]
    scrubber = Scrubber(Needles.of(person.name, person.email), erasure.pseudonym)
    kept = [erased_presenter(p, erasure.pseudonym) if p.id == person.id else p for p in presenters]
    return kept, scrubber
