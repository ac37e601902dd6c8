"""Text people type: no invisible control characters in, and none that break a document out.

Tab, newline and carriage return are text (a form's textarea sends CR LF). Every other control
character (NUL, the rest of C0, DEL, C1) and a lone surrogate (which some JSON decoders let
through) is never something a person meant: it cannot be stored in PostgreSQL (NUL), makes Word
and XML writers fail, and can hide text. Input refuses them with a message naming the field
(``CleanText`` on every input schema); anything already stored is
passed through ``printable`` before it goes into a document or an email.

Right-to-left and zero-width characters are real writing (Arabic, Hebrew, Bengali, emoji) and are
kept as typed: outputs escape them like any other text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationInfo, field_validator

#: C0 (except tab, LF, CR), DEL, C1, lone surrogates, and the non-characters U+FFFE / U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0x7F: "DEL",
}


def name_key(name: str) -> str:
    """What makes two names the same name: Unicode compatibility forms (NFKC), case folded
    (``casefold``: "Ärzte" and "ÄRZTE", "Straße" and "STRASSE"), spaces collapsed. Compared in
    Python and stored in its own column with a unique index, so the check and the database
    agree on SQLite (whose ``lower()`` folds ASCII only) and PostgreSQL alike."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def forbidden_character(value: str) -> str | None:
    """How to name the first character ``value`` may not contain, or None if it is clean."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    code = ord(found.group())
    name = _NAMES.get(code)
    return f"U+{code:04X}" + (f" {name}" if name else "")


_PROBLEM = "contains an invisible control character"


def problem(found: str) -> str:
    """The message for a field holding the character ``found`` names (it follows the field)."""
    return (
        f"{_PROBLEM} ({found}) that cannot be stored; remove it (retype the text rather than "
        "pasting it) and send it again"
    )


def is_text_problem(message: str) -> bool:
    """Whether a validation message is this module's (forms show it instead of their own)."""
    return message.startswith(_PROBLEM)


def check_text(value: str) -> str:
    """``value`` unchanged, or a ``ValueError`` whose message reads after the field's name."""
    found = forbidden_character(value)
    if found is not None:
        raise ValueError(problem(found))
    return value


def find_forbidden(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first (field path, message) of text anywhere in ``value`` that ``check_text`` refuses,
    for records that are not read through a schema (an import file's raw rows)."""
    if isinstance(value, str):
        found = forbidden_character(value)
        return (path or "value", problem(found)) if found else None
    items: Iterable[tuple[Any, Any]] = ()
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    for key, item in items:
        where = f"{path}.{key}" if path else str(key)
        hit = find_forbidden(key, where) if isinstance(key, str) else None
        hit = hit or find_forbidden(item, where)
        if hit:
            return hit
    return None


def _check_nested(value: Any) -> Any:
    if isinstance(value, str):
        return check_text(value)
    hit = find_forbidden(value) if isinstance(value, Mapping | list | tuple) else None
    if hit:
        raise ValueError(f"{hit[0]}: {hit[1]}")
    return value


class CleanText:
    """Mixin for input schemas: every text field (and text inside lists and dicts) is checked.

    Nested models check their own fields when they use it too, so errors keep their full path
    (``presenters.0.name``). Records read back from the database do not use it: they show what
    is stored, made safe for each output by ``printable``. A schema that carries input already
    taken in (a command on its way to, or replayed by, a workflow) sets ``text_checked_on_entry``:
    a workflow whose history holds older text must still replay.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:  # noqa: ARG003
        if getattr(cls, "text_checked_on_entry", False):
            return value
        return _check_nested(value)


def printable(value: str) -> str:
    """``value`` without the characters input refuses (for text stored before it refused them)."""
    return _FORBIDDEN.sub("", value) if _FORBIDDEN.search(value) else value


def printable_or_none(value: str | None) -> str | None:
    return None if value is None else printable(value)


def printable_output(value: Any) -> Any:
    """Jinja's ``finalize`` for pages and emails: what a template prints, made ``printable``
    (keeping its type, so text already marked safe HTML is not escaped twice)."""
    if isinstance(value, str) and _FORBIDDEN.search(value):
        return type(value)(_FORBIDDEN.sub("", value))
    return value
