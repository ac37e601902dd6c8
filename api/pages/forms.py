"""Form handling for pages: what was typed, what is wrong with it, and friendly messages.

A ``Form`` keeps every value as typed (so nothing is lost when a form comes back with errors)
and the errors by field id, in the order the NHS.UK error summary lists them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.datastructures import FormData

from api import csrf
from services.error_text import friendly, lower_first, sentence
from services.errors import InvalidInput, field_errors

#: A form's idempotency key sent again with other answers (``services.idempotency.KeyReused``).
SENT_BEFORE = (
    "This form was sent before with different answers, and the first was kept. Check the case "
    "page; to send this as well, send the form again"
)


class CsrfFailed(Exception):
    """A form without this browser's CSRF token (expired page, or sent from another site)."""


async def read_form(request: Request) -> FormData:
    """The submitted form, after checking its CSRF token (from the body only: a token in an
    address would end up in logs and Referer headers)."""
    form = await request.form()
    submitted = form.get(csrf.FIELD)
    try:
        csrf.check(request, submitted if isinstance(submitted, str) else None)
    except Exception as error:
        raise CsrfFailed() from error
    return form


def text_field(data: FormData, name: str) -> str:
    """A text field as sent (not stripped: passwords keep their spaces); '' if absent."""
    value = data.get(name)
    return value if isinstance(value, str) else ""


class Form:
    def __init__(
        self,
        values: Mapping[str, Any] | None = None,
        *,
        labels: Mapping[str, str] | None = None,
        dates: Iterable[str] = (),
    ) -> None:
        self.values: dict[str, Any] = {
            k: v for k, v in (values or {}).items() if isinstance(v, str) and k != csrf.FIELD
        }
        self.errors: dict[str, str] = {}
        self.labels = dict(labels or {})
        self.date_fields = set(dates)

    @classmethod
    def from_data(cls, data: FormData, **kwargs: Any) -> Form:
        return cls({k: v.strip() if isinstance(v, str) else v for k, v in data.items()}, **kwargs)

    # --- values ---------------------------------------------------------------------------------

    def get(self, name: str, default: str = "") -> str:
        value = self.values.get(name, default)
        return value if isinstance(value, str) else default

    def optional(self, name: str) -> str | None:
        return self.get(name) or None

    def checked(self, name: str) -> bool:
        return self.get(name) in ("yes", "on", "true")

    def date_values(self, name: str) -> dict[str, str]:
        return {part: self.get(f"{name}[{part}]") for part in ("day", "month", "year")}

    def set_date(self, name: str, value: date | None) -> None:
        parts = (str(value.day), str(value.month), str(value.year)) if value else ("", "", "")
        for part, text in zip(("day", "month", "year"), parts, strict=True):
            self.values[f"{name}[{part}]"] = text

    # --- errors ---------------------------------------------------------------------------------

    def add_error(self, field: str, message: str) -> None:
        self.errors.setdefault(field, message)

    def error(self, field: str) -> dict[str, str] | None:
        message = self.errors.get(field)
        return {"text": message} if message else None

    def has_errors(self) -> bool:
        return bool(self.errors)

    def anchor(self, field: str) -> str:
        return f"{field}-day" if field in self.date_fields else field

    @property
    def summary(self) -> list[dict[str, str]]:
        return [{"text": m, "href": f"#{self.anchor(f)}"} for f, m in self.errors.items()]

    def label(self, field: str) -> str:
        return self.labels.get(field) or self.labels.get(_generic(field)) or "This"

    # --- parsing --------------------------------------------------------------------------------

    def parse_date(self, name: str, *, required: bool = False) -> date | None:
        """A date from its day, month and year boxes, with the NHS.UK pattern's messages."""
        parts = self.date_values(name)
        label = self.label(name)
        if not any(parts.values()):
            if required:
                self.add_error(name, f"Enter the {lower_first(label)}")
            return None
        missing = [p for p in ("day", "month", "year") if not parts[p]]
        if missing:
            self.add_error(name, f"{label} must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(parts[p]) for p in ("day", "month", "year"))
            if year < 1000 or not 1 <= month <= 12:
                raise ValueError
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise ValueError
        except ValueError:
            self.add_error(name, f"{label} must be a real date, like 14 1 2026")
            return None
        return date(year, month, day)

    def add_validation_errors(self, error: ValidationError | InvalidInput) -> None:
        """Pydantic or service errors on their fields (``actions.0.text`` → ``actions-0-text``)."""
        if isinstance(error, InvalidInput):
            for e in error.errors:
                field = _field_id(e.field)
                self.add_error(field, sentence(e.message, self.label(field)))
            return
        raw = list(error.errors())
        for item, plain in zip(raw, field_errors(raw), strict=True):
            field = _field_id(plain["field"])
            self.add_error(field, friendly(item, plain["message"], self.label(field)))


def _field_id(path: str) -> str:
    return path.replace(".", "-")


def _generic(field: str) -> str:
    """``actions-2-text`` → ``actions-*-text`` (labels of repeated rows)."""
    return "-".join("*" if part.isdigit() else part for part in field.split("-"))
