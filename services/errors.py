"""Errors the services raise, each answered by the API with a clear 4xx; pydantic's, by field."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class InvalidInput(Exception):
    """Input that breaks a rule: each error names its field and the fix (HTTP 422)."""

    def __init__(self, *errors: FieldError) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = list(errors)


class NotFound(Exception):
    """An id that names nothing (HTTP 404)."""


class Conflict(Exception):
    """A request that cannot apply to the record as it stands (HTTP 409)."""


def field_errors(errors: Sequence[Mapping[str, Any]]) -> list[dict[str, str]]:
    """Pydantic errors as ``{"field": "actions.0.due_date", "message": "…"}``.

    Model validators here phrase errors as ``"<field>: <message>"``; that field is used.
    """
    out = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ()) if part not in ("body", "query", "path")]
        message = str(error.get("msg", "is not valid")).removeprefix("Value error, ")
        field = ".".join(loc)
        head, sep, tail = message.partition(": ")
        if sep and " " not in head and head.replace(".", "").replace("_", "").isalnum():
            field = ".".join([*loc, head]) if loc else head
            message = tail
        out.append({"field": field or "body", "message": message})
    return out


class Busy(Exception):
    """Too much in hand to take this now; nothing was stored (HTTP 503 with Retry-After)."""

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after
