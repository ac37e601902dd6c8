"""Error messages people can act on: pydantic's errors in plain English, naming the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def lower_first(label: str) -> str:
    """'Due date' → 'due date', but 'RAG rating' stays."""
    first, _, rest = label.partition(" ")
    return f"{first.lower() if not first.isupper() else first} {rest}".strip()


def sentence(message: str, label: str) -> str:
    """A service's message about a field, as a sentence that names it."""
    message = message.strip()
    if not message:
        return f"{label} is not valid"
    return f"{label}: {message}" if message[0].islower() else message


def friendly(error: Mapping[str, Any], message: str, label: str) -> str:
    """Plain-English messages for the usual pydantic errors, naming the field."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    empty = kind == "string_too_short" and (ctx.get("min_length") == 1 or error.get("input") == "")
    if kind == "missing" or empty:
        return f"Enter the {lower_first(label)}"
    if kind == "string_too_short":
        return f"{label} must be {ctx.get('min_length')} characters or more"
    if kind == "string_too_long":
        return f"{label} must be {ctx.get('max_length')} characters or fewer"
    if kind == "value_error" and "email" in message.lower():
        return f"{label} must be an email address in the correct format, like name@example.org"
    if kind in ("uuid_parsing", "uuid_type", "enum", "literal_error"):
        return f"Choose the {lower_first(label)} from the list"
    return sentence(message, label)
