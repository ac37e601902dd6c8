"""Control characters are refused at validation, by field, on every input schema; right-to-left
and zero-width characters are text; ``printable`` makes anything already stored safe to print."""

from __future__ import annotations

import typing
import uuid

import pytest
from pydantic import BaseModel, ValidationError

from models import commands
from models.action import ActionCreate
from models.board import BoardCreate, BoardUpdate
from models.case import CaseCreate
from models.partner import OwnerCreate, PartnerCreate
from models.presenter import PresenterCreate
from models.report import AnnualRequest, CommentEdit, DigestRequest, QuarterlyRequest
from models.staff import StaffUserCreate
from models.text import (
    CleanText,
    find_forbidden,
    forbidden_character,
    is_text_problem,
    printable,
    printable_output,
)

REFUSED = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]
KEPT = [
    "line one\nline two",
    "tab\tseparated",
    "windows\r\nline",  # a textarea sends CR LF
    "مريم بيغوم",  # Arabic: right to left
    "\u202egnp.exe",  # right-to-left override: shown as typed, escaped like any text
    "zero\u200bwidth\u200djoiner\u2060\ufeff",
    "Zoë Ó Briain — 😀",
    "{{7*7}} <script>alert(1)</script> '; DROP TABLE case;--",
]

#: Every schema people's input is read through (API bodies, staff forms, link forms, imports).
INPUT_SCHEMAS: list[type[BaseModel]] = [
    CaseCreate,
    PresenterCreate,
    ActionCreate,
    PartnerCreate,
    OwnerCreate,
    BoardCreate,
    BoardUpdate,
    StaffUserCreate,
    CommentEdit,
    AnnualRequest,
    QuarterlyRequest,
    DigestRequest,
    *(
        value
        for value in vars(commands).values()
        if isinstance(value, type)
        and issubclass(value, commands.Body)
        and not issubclass(value, commands.CommandEnvelope)
    ),
]


@pytest.mark.parametrize("character", REFUSED)
def test_control_characters_are_found_and_named(character: str) -> None:
    found = forbidden_character(f"Damp{character}mould")
    assert found is not None and found.startswith(f"U+{ord(character):04X}")


@pytest.mark.parametrize("text", KEPT)
def test_real_writing_is_kept(text: str) -> None:
    assert forbidden_character(text) is None
    assert printable(text) == text
    assert CaseCreate(board="tht", meeting_date="2026-01-14", theme=text[:300]).theme == text[:300]


def _text_fields(model: type[BaseModel]) -> list[str]:
    """Fields whose annotation is ``str`` or optional ``str``."""
    return [
        name
        for name, info in model.model_fields.items()
        if info.annotation is str or str in typing.get_args(info.annotation)
    ]


@pytest.mark.parametrize("model", INPUT_SCHEMAS, ids=lambda m: m.__name__)
def test_every_text_field_of_every_input_schema_refuses_nul_naming_the_field(
    model: type[BaseModel],
) -> None:
    assert issubclass(model, CleanText)
    for field in _text_fields(model):
        with pytest.raises(ValidationError) as caught:
            model.model_validate({field: "Damp and\x00 mould in the flats"})
        mine = [e for e in caught.value.errors() if e["loc"] == (field,)]
        assert mine, f"{model.__name__}.{field} took a NUL"
        if mine[0]["type"] == "value_error" and "email" not in mine[0]["msg"].lower():
            assert "invisible control character (U+0000 NUL)" in mine[0]["msg"]


def test_nested_errors_keep_their_path() -> None:
    with pytest.raises(ValidationError) as caught:
        CaseCreate.model_validate(
            {
                "board": "tht",
                "meeting_date": "2026-01-14",
                "presenters": [{"name": "Amina"}, {"name": "Eve\x1b[31m"}],
                "actions": [{"text": "Survey\x00 every flat"}],
            }
        )
    where = {e["loc"]: e["msg"] for e in caught.value.errors()}
    assert set(where) == {("presenters", 1, "name"), ("actions", 0, "text")}
    assert all(is_text_problem(m.removeprefix("Value error, ")) for m in where.values())


def test_a_command_body_refuses_them_too() -> None:
    with pytest.raises(ValidationError) as caught:
        commands.PostUpdateBody.model_validate({"text": "On track\x00", "rag": "green"})
    assert caught.value.errors()[0]["loc"] == ("text",)
    ok = commands.AssignOwnerBody(owner_id=uuid.uuid4(), note="Mary’s team\tfrom Monday")
    assert ok.note == "Mary’s team\tfrom Monday"


def test_a_command_already_taken_in_still_loads_from_a_workflow_history() -> None:
    """Text stored before control characters were refused must not stop a workflow replaying."""
    old = commands.AddNote(
        command_id=uuid.uuid4(),
        actor={"kind": "staff", "name": "Eve"},
        received_at="2026-01-14T09:00:00Z",
        text="Noted\x00 before the rule",
    )
    assert commands.AddNote.model_validate(old.model_dump(mode="json")).text == old.text
    with pytest.raises(ValidationError):
        commands.AddNoteBody.model_validate({"text": "Noted\x00 after the rule"})


def test_find_forbidden_names_the_path_in_a_raw_record() -> None:
    record = {"theme": "ok", "actions": [{"text": "fine"}, {"owner": "Bob\x00"}]}
    hit = find_forbidden(record)
    assert hit is not None and hit[0] == "actions.1.owner" and is_text_problem(hit[1])
    assert find_forbidden({"theme": "مريم\u200b"}) is None


def test_printable_removes_only_what_input_refuses() -> None:
    assert printable("Done\x00 today\x1b\r\n\tnext") == "Done today\r\n\tnext"
    from markupsafe import Markup

    safe = printable_output(Markup("<b>bold\x00</b>"))
    assert isinstance(safe, Markup) and str(safe) == "<b>bold</b>"
    assert printable_output(42) == 42
