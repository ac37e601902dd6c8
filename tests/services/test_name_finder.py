"""Finding names, contact details and curation notes in public text (pure; the demo data)."""

from __future__ import annotations

import json
from pathlib import Path

from services.name_finder import NameFinder, Person

DEMO = Path(__file__).parents[2] / "demo" / "sessions-2022-12-to-2024-03.json"


def presenter(name: str, ref: str = "p") -> Person:
    return Person("presenter", ref, name, name, "a local resident")


def found(finder: NameFinder, text: str) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in finder.find(text)]


def test_a_presenter_is_found_by_full_name_first_name_surname_and_initials() -> None:
    finder = NameFinder([presenter("Rachel Vincent"), presenter("Dr Halima Mohamed", "h")])
    text = "Rachel Vincent spoke; Rachel and Ms Vincent met RV. Dr Mohamed and HM agreed."
    assert found(finder, text) == [
        ("Rachel Vincent", "presenter"),
        ("Rachel", "presenter"),
        ("Vincent", "presenter"),
        ("RV", "presenter"),
        ("Mohamed", "presenter"),
        ("HM", "presenter"),
    ]


def test_names_match_as_written_and_as_whole_words() -> None:
    finder = NameFinder([presenter("Hope Green")])
    assert found(finder, "We hope the greenery helps. Greenwich said so.") == []
    assert found(finder, "Hope said") == [("Hope", "presenter")]


def test_nicknames_in_brackets_or_quotes_are_names_too() -> None:
    finder = NameFinder(
        [presenter("Abdirahim (Abdi) Hassan"), presenter("Mohammed Ashadur Rahman ('Gaz')", "g")]
    )
    text = "Abdi Hassan and 'Gaz' spoke; Abdirahim agreed with Gaz Rahman."
    assert [t for t, _ in found(finder, text)] == ["Abdi Hassan", "Gaz", "Abdirahim", "Gaz Rahman"]


def test_email_addresses_and_uk_phone_numbers() -> None:
    finder = NameFinder([])
    text = (
        "Write to a.person@example.org, call 020 7946 0018, (020) 7946 0019, 07700900123 or "
        "+44 (0)7700 900123. Not numbers: 2023-2024, 55 children since 2019, 111."
    )
    assert found(finder, text) == [
        ("a.person@example.org", "email"),
        ("020 7946 0018", "phone"),
        ("(020) 7946 0019", "phone"),
        ("07700900123", "phone"),
        ("+44 (0)7700 900123", "phone"),
    ]


def test_curation_notes_from_imported_records() -> None:
    finder = NameFinder([])
    text = "Tower Hamlets LGBTQ+ Forum (spelled 'LBGTQ+' in seed). Done (from Comment column)."
    assert found(finder, text) == [
        ("(spelled 'LBGTQ+' in seed)", "curation_note"),
        ("(from Comment column)", "curation_note"),
    ]
    assert found(finder, "The forum (for carers) met.") == []


def test_the_demo_sessions_name_presenters_in_what_was_said() -> None:
    sessions = json.loads(DEMO.read_text())
    people = [
        presenter(p["name"], f"{s['id']}-{n}")
        for s in sessions
        for n, p in enumerate(s["presenters"])
        if p.get("name")
    ]
    finder = NameFinder(people)
    named = {
        f.text
        for s in sessions
        for text in [s.get("said") or "", s.get("outcome") or ""]
        for f in finder.find(text)
        if f.kind == "presenter"
    }
    assert {"Abdi Hassan", "Gaz"} <= named
