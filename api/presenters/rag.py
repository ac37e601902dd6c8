"""RAG as people see it: always the word with the colour (WCAG 1.4.1), and the cause."""

from __future__ import annotations

from typing import Any

from models.rag import LABELS, Rag

_TAG_CLASSES = {
    Rag.green: "nhsuk-tag--green",
    Rag.amber: "nhsuk-tag--orange",
    Rag.red: "nhsuk-tag--red",
    Rag.blue: "nhsuk-tag--blue",
    Rag.not_rated: "nhsuk-tag--grey",
}


def rag_tag(rag: Rag | str | None, *, cause: str | None = None) -> dict[str, Any]:
    """Parameters for the NHS.UK ``tag`` macro: 'Red' in red, never colour alone."""
    if rag is None:
        return {"text": "Not rated", "classes": "nhsuk-tag--grey app-rag"}
    value = Rag(rag)
    params: dict[str, Any] = {"text": LABELS[value], "classes": f"{_TAG_CLASSES[value]} app-rag"}
    if cause:
        params["attributes"] = {"title": cause}
    return params
