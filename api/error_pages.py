"""Errors as a browser should see them: NHS.UK-styled pages; JSON for the API and for programs.

A request gets a page when it asks for HTML (``Accept: text/html``, as every browser does) and is
not for the JSON API (``/api/``); everything else keeps the JSON answers of ``api.errors`` (and
FastAPI's), unchanged. ``install`` wraps the JSON handlers already registered, so it is called
after them. An unexpected error is a 500 page (or JSON) that gives nothing away; it is still
raised on to the server's log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from api import headers
from api.pages.render import page as render_page
from services.errors import Conflict, InvalidInput, NotFound, field_errors

log = logging.getLogger(__name__)

Handler = Callable[[Request, Any], Response | Awaitable[Response]]

NOT_FOUND = (
    "If you typed the web address, check it is correct.",
    "If you pasted the web address, check you copied the entire address.",
    "If you followed a link in an email, the email may be old: use the link in the latest one.",
)
SERVER_ERROR = "Sorry, there is a problem with the service"
SERVER_ERROR_TEXT = (
    "Try again later.",
    "If you were sending a form, go back and reload the page to see whether it was saved "
    "before you send it again.",
)

#: Titles for the status codes a page can end in.
TITLES = {
    400: "There is a problem with the request",
    401: "You need to sign in",
    403: "You cannot do this",
    404: "Page not found",
    405: "This page cannot be used that way",
    409: "This cannot be done now",
    413: "What you sent is too large",
    422: "There is a problem",
    429: "Too many requests",
    503: "Sorry, the service is unavailable",
}


def wants_html(request: Request) -> bool:
    """A browser asking for a page (not the JSON API, not a program asking for JSON)."""
    if request.url.path.startswith("/api/"):
        return False
    return "text/html" in request.headers.get("accept", "")


def page(request: Request, status_code: int, title: str, paragraphs: Sequence[str]) -> Response:
    """The NHS.UK-styled problem page (with the staff header if someone is signed in)."""
    return render_page(
        request,
        "errors/problem.jinja",
        {"page_title": title, "paragraphs": list(paragraphs)},
        status_code=status_code,
    )


def error_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str | None = None,
    paragraphs: Sequence[str] = (),
    errors: list[dict[str, str]] | None = None,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    """A page for a browser (``paragraphs``, else the message), or else
    ``{"detail": message, "errors": [...]}`` as ``api.errors`` answers."""
    if wants_html(request):
        response = page(
            request,
            status_code,
            title or TITLES.get(status_code, HTTPStatus(status_code).phrase),
            paragraphs or [message],
        )
    else:
        body: dict[str, Any] = {"detail": message}
        if errors is not None:
            body["errors"] = errors
        response = JSONResponse(body, status_code=status_code)
    response.headers.update(extra_headers or {})
    return response


def _http_exception_page(request: Request, exc: HTTPException) -> Response:
    code = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else ""
    if code == 404:
        paragraphs: Sequence[str] = NOT_FOUND
    elif not detail or detail == HTTPStatus(code).phrase:
        paragraphs = ["Go back and try again from the page before."]
    else:
        paragraphs = [detail]
    response = page(request, code, TITLES.get(code, HTTPStatus(code).phrase), paragraphs)
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


def _validation_page(request: Request, exc: RequestValidationError) -> Response:
    raw = list(exc.errors())
    if any(e.get("loc", ("",))[0] == "path" for e in raw):  # /reports/not-an-id
        return page(request, 404, TITLES[404], NOT_FOUND)
    messages = [f"{e['field']}: {e['message']}" for e in field_errors(raw)]
    return page(request, 422, TITLES[422], messages)


def _service_page(request: Request, exc: Exception) -> Response:
    if isinstance(exc, NotFound):
        return page(request, 404, TITLES[404], [str(exc), *NOT_FOUND[:1]])
    if isinstance(exc, Conflict):
        return page(request, 409, TITLES[409], [str(exc), "Nothing has been changed."])
    return page(request, 422, TITLES[422], [str(exc)])


def _browser_aware(json_handler: Handler, html: Callable[[Request, Any], Response]) -> Handler:
    async def handle(request: Request, exc: Any) -> Response:
        if wants_html(request):
            return html(request, exc)
        answer = json_handler(request, exc)
        return await answer if isinstance(answer, Awaitable) else answer

    return handle


def server_error(request: Request, exc: Exception) -> Response:
    """An unexpected error: a page or JSON that gives nothing away (the log has the details).

    This answer is made outside the other middleware, so it adds the security headers itself."""
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    response: Response = JSONResponse({"detail": f"{SERVER_ERROR}. Try again later."}, 500)
    if wants_html(request):
        try:
            response = page(request, 500, SERVER_ERROR, SERVER_ERROR_TEXT)
        except Exception:  # noqa: BLE001 - the page itself may be what fails
            response = HTMLResponse(
                f"<!DOCTYPE html><html lang='en'><title>{SERVER_ERROR}</title>"
                f"<h1>{SERVER_ERROR}</h1><p>{' '.join(SERVER_ERROR_TEXT)}</p></html>",
                status_code=500,
            )
    response.headers["Cache-Control"] = "no-store"
    headers.apply(
        response.headers,
        request.url.path,
        https=request.url.scheme == "https",
        page_csp=getattr(request.app.state, "page_csp", headers.RESOURCE_POLICY),
    )
    return response


def install(app: FastAPI) -> None:
    """Wrap the JSON error handlers already installed; add the 500 answer."""
    pages: dict[type[Exception], Callable[[Request, Any], Response]] = {
        HTTPException: _http_exception_page,
        RequestValidationError: _validation_page,
        NotFound: _service_page,
        Conflict: _service_page,
        InvalidInput: _service_page,
    }
    for kind, html in pages.items():
        json_handler = app.exception_handlers.get(kind)
        if json_handler is not None:
            app.add_exception_handler(kind, _browser_aware(json_handler, html))
    app.add_exception_handler(Exception, server_error)
