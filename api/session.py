"""Staff sign-in sessions for pages: a signed, expiring cookie read by a small ASGI middleware.

The cookie holds the user's id and ``token_version`` (signed with the app secret under its own
salt, so neither an API bearer token nor a signed email link can pass for it). The middleware
only *reads* it into ``request.state.staff_user_id``; ``api.deps`` and ``api.pages.deps`` then
check the account is still active and the version still current. Signing out bumps the version,
which ends every session and token of that person.
"""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

COOKIE = "cvt_session"
SALT = "staff-session"


class StaffSessions:
    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=SALT)
        self.max_age = max_age_seconds

    def issue(self, user_id: uuid.UUID, token_version: int) -> str:
        return self._serializer.dumps({"uid": str(user_id), "v": token_version})

    def read(self, value: str) -> tuple[uuid.UUID, int] | None:
        try:
            data: Any = self._serializer.loads(value, max_age=self.max_age)
            return uuid.UUID(data["uid"]), int(data["v"])
        except (BadSignature, KeyError, TypeError, ValueError):
            return None


def set_cookie(response: Response, request: Request, sessions: StaffSessions, value: str) -> None:
    """HttpOnly; SameSite=Lax so a link from an email to a case page keeps the sign-in."""
    response.set_cookie(
        COOKIE,
        value,
        max_age=sessions.max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def clear_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, httponly=True, samesite="lax", secure=request.url.scheme == "https", path="/"
    )


class StaffSessionMiddleware:
    """Puts ``(user_id, token_version)`` from a valid session cookie on ``request.state``."""

    def __init__(self, app: ASGIApp, *, secret: str, max_age_seconds: int) -> None:
        self.app = app
        self.sessions = StaffSessions(secret, max_age_seconds)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            value = HTTPConnection(scope).cookies.get(COOKIE)
            found = self.sessions.read(value) if value else None
            if found is not None:
                scope.setdefault("state", {})["staff_user_id"] = found
        await self.app(scope, receive, send)
