"""Error answers: every 4xx says what is wrong and, for input, which field and how to fix it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from api.services.errors import Conflict, InvalidInput, NotFound


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


def _problem(code: int, message: str, errors: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"detail": message}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=code)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = field_errors(list(exc.errors()))
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return _problem(
            status.HTTP_422_UNPROCESSABLE_CONTENT, f"There is a problem: {summary}", errors
        )

    @app.exception_handler(InvalidInput)
    async def _invalid(_: Request, exc: InvalidInput) -> JSONResponse:
        errors = [{"field": e.field, "message": e.message} for e in exc.errors]
        return _problem(status.HTTP_422_UNPROCESSABLE_CONTENT, f"There is a problem: {exc}", errors)

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return _problem(status.HTTP_404_NOT_FOUND, str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_: Request, exc: Conflict) -> JSONResponse:
        return _problem(status.HTTP_409_CONFLICT, str(exc))
