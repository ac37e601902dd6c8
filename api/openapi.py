"""What the OpenAPI says each operation can answer besides success, as it is really answered.

Every refusal (4xx, 5xx) is a ``Problem``: ``{"detail": "…", "errors": [{"field", "message"}]}``,
the body ``api.errors`` and FastAPI's ``HTTPException`` send. ``problems(…)`` is the one
``responses=`` helper for routes; ``install(app)`` adds what every route can answer by its
shape, so a new route is described without anyone remembering to: 401 (it needs a bearer
token), 403 (it checks a permission), 404 (it names a record in its path), 413 and 422 (it
takes input; 400 too for a body that is not JSON at all), 503 (every route: the database pool
stayed busy, or development settings reached from another machine).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import RouteContext, iter_route_contexts
from pydantic import BaseModel, Field

from api.deps import get_current_staff


class FieldProblem(BaseModel):
    field: str = Field(description="The field, as a dotted path (``actions.0.due_date``).")
    message: str = Field(description="What is wrong with it and how to put it right.")


class Problem(BaseModel):
    """Why a request was refused: the reason in words, and each field at fault (422)."""

    detail: str
    errors: list[FieldProblem] | None = Field(
        default=None, description="Each field at fault (only with 422)."
    )


DESCRIPTIONS: dict[int, str] = {
    400: "The request is not in the form this operation takes.",
    401: "Not signed in, or the sign-in is no longer valid: send a bearer token.",
    403: "Your role does not allow this.",
    404: "No such record.",
    409: "The record as it stands does not allow this (the reason says why).",
    413: "The body is larger than the service accepts (CVT_MAX_REQUEST_BYTES).",
    422: "A field is wrong: each is named with what to change.",
    429: "Too many requests: see Retry-After.",
    503: "The service is busy or cannot reach a part it needs: nothing was changed; "
    "see Retry-After.",
}

Responses = dict[int | str, dict[str, Any]]


def problems(*codes: int, **descriptions: str) -> Responses:
    """``responses=`` for refusals, each a ``Problem``; ``descriptions`` override the wording
    by code (``problems(404, 409, d409="…")``)."""
    return {
        code: {
            "model": Problem,
            "description": descriptions.get(f"d{code}", DESCRIPTIONS[code]),
        }
        for code in codes
    }


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def by_shape(route: RouteContext) -> list[int]:
    """The refusals a route can answer because of what it is."""
    dependant: Dependant = route.dependant
    calls = list(_calls(dependant))
    codes = [503]
    if get_current_staff in calls:
        codes.append(401)
    if any(getattr(c, "__qualname__", "").startswith("require.") for c in calls):
        codes.append(403)
    if dependant.path_params:
        codes.append(404)
    if route.body_field is not None or dependant.body_params:
        codes.append(400)  # a body that is not JSON (or a form) at all
    if (route.methods or set()) & {"POST", "PUT", "PATCH"}:
        codes.append(413)
    if dependant.path_params or dependant.query_params or dependant.header_params:
        codes.append(422)
    elif route.body_field is not None or dependant.body_params:
        codes.append(422)
    return codes


PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_JSON = "application/json"


def _refusal(body: dict[str, Any], code: int) -> dict[str, Any]:
    """A refusal's answer: a ``Problem`` (or, where the route declares another body, either)."""
    if body.get("description") in (None, "Validation Error"):  # FastAPI's default 422
        body["description"] = DESCRIPTIONS.get(code, "Refused.")
    content = body.setdefault("content", {})
    declared = content.get(_JSON, {}).get("schema")
    if declared is None or declared.get("$ref", "").endswith("/HTTPValidationError"):
        content[_JSON] = {"schema": PROBLEM_REF}
    elif declared != PROBLEM_REF and PROBLEM_REF not in declared.get("anyOf", []):
        content[_JSON] = {"schema": {"anyOf": [declared, PROBLEM_REF]}}
    return body


def _complete(schema: dict[str, Any], app: FastAPI) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(problem.pop("$defs", {}))
    components["Problem"] = problem
    for route in iter_route_contexts(app.routes):
        if not getattr(route, "include_in_schema", False) or route.path_format is None:
            continue
        for method in route.methods or ():
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:
                continue
            answers = operation.setdefault("responses", {})
            for code in by_shape(route):
                answers.setdefault(str(code), {})
            for code, body in answers.items():
                if code[0] in "45":
                    _refusal(body, int(code))
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def install(app: FastAPI) -> None:
    """Make the app's OpenAPI declare, on every operation, the refusals it can answer."""
    make = app.openapi
    completed: set[int] = set()

    def openapi() -> dict[str, Any]:
        schema = make()  # FastAPI's, made once and kept (until a route is added)
        if id(schema) not in completed:
            _complete(schema, app)
            completed.add(id(schema))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
