"""Requests the app refuses before any route sees them.

- **Too large** (413): a body over ``settings.max_request_bytes`` (1 MiB by default: a CSV of
  thousands of owners fits), whether it says its length up front or streams it.
- **Control characters in the address** (404 for the path, 422 for a query parameter, naming it):
  no record's id or name holds one (``models.text``), and PostgreSQL cannot even compare with NUL.
- **Development settings reached from another machine** (503): in development, with its
  well-known default secret, anyone who can reach the app could sign staff sessions and owners'
  links. ``cvt api`` refuses to start that way (``Settings.exposure_refusal``); this covers a
  server started some other way (``uvicorn --host 0.0.0.0``).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.error_pages import NOT_FOUND, error_response
from models.text import forbidden_character, problem


def size_text(limit: int) -> str:
    return f"{limit / 1024 / 1024:g} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"


class BodyTooLarge(HTTPException):
    """Raised while a route reads a body that grows past the limit (answered as 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, detail=too_large(limit))


def too_large(limit: int) -> str:
    return (
        f"What you sent is larger than this service accepts ({size_text(limit)} at most). "
        "Nothing was saved. If it is a file, split it into smaller files."
    )


def loopback(host: str) -> bool:
    """Whether the server's own address ``host`` is loopback (names, as test clients use, are)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return True


class RequestGuard:
    def __init__(self, app: ASGIApp, *, max_body_bytes: int, loopback_only: bool) -> None:
        self.app = app
        self.limit = max_body_bytes
        self.loopback_only = loopback_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(scope, request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, self._counting(receive), send)

    def _refusal(self, scope: Scope, request: Request) -> ASGIApp | None:
        server = scope.get("server")
        if self.loopback_only and server and not loopback(str(server[0])):
            return error_response(
                request,
                503,
                "This service is running with development settings, which only answer on this "
                "machine. Its administrator must set CVT_ENVIRONMENT=production and a secret "
                "CVT_SECRET_KEY to serve it to others.",
                title="Sorry, the service is unavailable",
            )
        if forbidden_character(scope.get("path", "")):
            return error_response(
                request, 404, "There is nothing at this address.", paragraphs=NOT_FOUND
            )
        for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
            found = forbidden_character(name) or forbidden_character(value)
            if found:
                field = name if not forbidden_character(name) else "query"
                message = problem(found)
                return error_response(
                    request,
                    422,
                    f"There is a problem: {field}: {message}",
                    errors=[{"field": field, "message": message}],
                )
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > self.limit:
            return error_response(
                request, 413, too_large(self.limit), extra_headers={"Connection": "close"}
            )
        return None

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        return counted
