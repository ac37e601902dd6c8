"""Error answers: every 4xx says what is wrong and, for input, which field and how to fix it."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import TimeoutError as PoolTimeout

from services.errors import Busy, Conflict, InvalidInput, NotFound, field_errors

#: When every database connection stayed busy for the pool's timeout: ask to come back.
POOL_RETRY_SECONDS = 2


def _problem(
    code: int,
    message: str,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {"detail": message}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=code, headers=headers)


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

    @app.exception_handler(Busy)
    async def _busy(_: Request, exc: Busy) -> JSONResponse:
        return _problem(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            str(exc),
            headers={"Retry-After": str(exc.retry_after)},
        )

    @app.exception_handler(PoolTimeout)
    async def _pool_timeout(_: Request, __: PoolTimeout) -> JSONResponse:
        return _problem(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            "The service is very busy just now: send the request again in a moment.",
            headers={"Retry-After": str(POOL_RETRY_SECONDS)},
        )
