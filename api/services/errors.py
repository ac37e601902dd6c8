"""Errors the services raise, each answered by the API with a clear 4xx."""

from __future__ import annotations

from dataclasses import dataclass


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
