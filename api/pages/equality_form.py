"""The equality monitoring form, shared by the presenter's signed-link page and the staff page:
its questions for the template, and reading the submitted answers."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from models.equality import (
    DESCRIBED_LABELS,
    ETHNIC_GROUPS,
    QUESTIONS,
    EqualityAnswers,
    EqualityResponse,
)

FIELDS = [f for q in QUESTIONS for f in (q[0], q[3]) if f]


def questions() -> list[dict[str, Any]]:
    return [
        {
            "field": field,
            "question": question,
            "choices": choices,
            "groups": list(ETHNIC_GROUPS.items()) if field == "ethnicity" else None,
            "described": described,
            "described_label": DESCRIBED_LABELS.get(described or ""),
        }
        for field, question, choices, described in QUESTIONS
    ]


def values_of(row: EqualityResponse | None) -> dict[str, Any]:
    if row is None:
        return {}
    return {**{f: getattr(row, f) for f in FIELDS}, "declined": row.declined}


def read(form: dict[str, str]) -> EqualityAnswers | None:
    """The answers given, or None if they are not the listed ones (a forged form)."""
    try:
        return EqualityAnswers.model_validate(
            {**{f: form.get(f) or None for f in FIELDS}, "declined": form.get("declined") == "yes"}
        )
    except ValidationError:
        return None
