"""Rendering a staff page: the app's one Jinja environment, plus the staff header.

Security headers (no framing, CSP, …) are added to every response by ``api.headers``.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from api import csrf
from api.presenters.navigation import header
from api.templating import templates


def page(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Like ``api.templating.render`` (CSRF token and cookie), with the signed-in header."""
    token, cookie = csrf.token_for(request)
    user = getattr(request.state, "page_user", None)
    values = {"csrf_token": token, **header(user, request.url.path), **(context or {})}
    if "form" in values and "errors" not in values:
        values["errors"] = values["form"].summary
    response = templates.TemplateResponse(request, name, values, status_code=status_code)
    if cookie is not None:
        csrf.set_cookie(response, request, cookie)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
