"""Find, in a piece of public text, the people the product knows and any contact details.

Pure text work, no database: the names check (``names_check``) gives it the people. A person is
found by full name, by any of their names alone (first name, surname, a nickname written in
brackets or quotes, as "Abdirahim (Abdi) Hassan" or "Mohammed Rahman ('Gaz')"), by the name they
go by with their surname ("Abdi Hassan"), and by their initials as the board's papers use them
("RV", "HC"). Officials and the names typed into a report's list are found by the name as
written (and a bracketed nickname). Names match as whole words, with the capitals they are
written with, so "Hope" the person is found and "hope" the word is not. Email addresses and UK
phone numbers are found too, and text that looks like a curation note left by whoever typed the
record up ("(spelled 'LBGTQ+' in seed)", "(from Comment column)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: Words before a name that are not part of it.
TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "cllr", "sir", "dame", "rev"}
#: Initials that are the board's ordinary words, never taken for a person's.
COMMON_CAPITALS = {"GP", "NHS", "AE", "UK", "TH", "ICB", "CVS", "ELG", "THT", "NEL", "OK", "IT"}

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
#: UK numbers: 01/02/03/07/08 with 10 or 11 digits, or +44 (0) …, spaced, dashed or bracketed.
PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s()-]{7,14}\d(?![\w])")
CURATION = re.compile(
    r"[(\[](?=[^()\[\]]*\b(?:seed|seeds|column|spell(?:ed|t|ing)|sic|sources?|transcri\w*|"
    r"inferred|typo|as written|original|editor'?s? note|note:)\b)[^()\[\]]{2,200}[)\]]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Person:
    """Someone whose name public text must not carry without a decision."""

    kind: str  # "presenter", "owner" or "named_person"
    ref: str  # the presenter's or owner's id, or the name as typed
    name: str
    label: str  # who they are, for the Community Voice Lead: "Presenter at the May 2024 session"
    description: str  # what to say instead: "a local resident", their organisation, a role


@dataclass
class Found:
    start: int
    end: int
    text: str
    kind: str  # a Person.kind, or "email", "phone", "curation_note"
    people: list[Person] = field(default_factory=list)


def name_parts(name: str) -> tuple[list[str], list[str]]:
    """A name's words (titles left out), and the names it goes by (bracketed or quoted)."""
    known_as = []
    for groups in re.findall(r"\(\s*['\"]?([^()'\"]+?)['\"]?\s*\)|'([^']+)'|\"([^\"]+)\"", name):
        known_as += [g.strip() for g in groups if g.strip()]
    plain = re.sub(r"\([^)]*\)|'[^']*'|\"[^\"]*\"", " ", name)
    words = [
        w for w in re.findall(r"[^\W\d_][\w'-]*", plain) if w.lower().rstrip(".") not in TITLES
    ]
    return words, known_as


def variants(person: Person, *, every_part: bool = True) -> set[str]:
    """Every way text may name this person (see the module's note)."""
    words, known_as = name_parts(person.name)
    found: set[str] = set()
    if words:
        found.add(" ".join(words))
        if len(words) > 1:
            found.add(f"{words[0]} {words[-1]}")
            for nick in known_as:
                found.add(f"{nick} {words[-1]}")
    if every_part:
        found.update(w for w in [*words, *known_as] if len(w) > 1)
        if len(words) > 1:
            initials = "".join(w[0] for w in words).upper()
            short = (words[0][0] + words[-1][0]).upper()
            found.update(i for i in (initials, short) if i not in COMMON_CAPITALS)
            for nick in known_as:
                found.add((nick[0] + words[-1][0]).upper())
    else:
        found.update(known_as)
    return {v for v in found if v.strip()}


class NameFinder:
    """One compiled pattern for every person known, longest names first."""

    def __init__(self, people: list[Person]) -> None:
        self.by_text: dict[str, list[Person]] = {}
        for person in people:
            for v in variants(person, every_part=person.kind == "presenter"):
                self.by_text.setdefault(v, [])
                if person not in self.by_text[v]:
                    self.by_text[v].append(person)
        names = sorted(self.by_text, key=len, reverse=True)
        self.pattern = (
            re.compile(r"(?<![\w@.])(?:" + "|".join(re.escape(n) for n in names) + r")(?![\w@])")
            if names
            else None
        )

    def find(self, text: str) -> list[Found]:
        found: list[Found] = []
        taken: list[tuple[int, int]] = []
        for m in CURATION.finditer(text):
            found.append(Found(m.start(), m.end(), m.group(), "curation_note"))
        for m in EMAIL.finditer(text):
            found.append(Found(m.start(), m.end(), m.group(), "email"))
            taken.append(m.span())
        for m in PHONE.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            national = (digits[2:] if digits.startswith("44") else digits).removeprefix("0")
            if len(national) in (9, 10) and not _inside(m.span(), taken):
                found.append(Found(m.start(), m.end(), m.group(), "phone"))
                taken.append(m.span())
        if self.pattern is not None:
            for m in self.pattern.finditer(text):
                if _inside(m.span(), taken):
                    continue
                people = self.by_text[m.group()]
                found.append(Found(m.start(), m.end(), m.group(), people[0].kind, list(people)))
        return sorted(found, key=lambda f: (f.start, -f.end))


def _inside(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(a < span[1] and span[0] < b for a, b in taken)
