"""Every JSON body the API takes refuses control characters, naming the field (``models.text``)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from api.main import create_app
from models.text import CleanText
from tests.live import app_settings


def _clean_schemas() -> set[str]:
    found: set[str] = set()
    todo: list[type] = [CleanText]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if issubclass(sub, BaseModel):
                found.add(sub.__name__)
            todo.append(sub)
    return found


def _free_text(schema: dict[str, Any]) -> bool:
    """Whether a schema (or one of its options or items) is a string with no format or enum."""
    if schema.get("type") == "string" and "format" not in schema and "enum" not in schema:
        return True
    nested = [*schema.get("anyOf", []), *schema.get("oneOf", [])]
    if "items" in schema:
        nested.append(schema["items"])
    return any(_free_text(option) for option in nested)


def test_every_json_request_body_uses_an_input_schema_that_refuses_control_characters() -> None:
    spec = create_app(app_settings()).openapi()
    bodies: dict[str, str] = {}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if "$ref" in schema:
                bodies[f"{method.upper()} {path}"] = schema["$ref"].rsplit("/", 1)[1]
    assert len(bodies) > 20, "the API's JSON bodies were found"
    clean = _clean_schemas()
    schemas = spec["components"]["schemas"]
    unchecked = {
        op: name
        for op, name in bodies.items()
        if name not in clean
        and any(_free_text(p) for p in schemas[name].get("properties", {}).values())
    }
    assert unchecked == {}
