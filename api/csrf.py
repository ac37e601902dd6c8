"""Cross-site request forgery protection for every form (staff pages and signed-link pages).

Double submit with a signed cookie: the cookie holds a random value; each form carries the same
value signed with the app's secret. A cross-site form can neither read the cookie nor forge the
signature. Works without a sign-in (owners and presenters have none).
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import HTTPException, Request, status
from fastapi.responses import Response
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE = "cvt_csrf"
FIELD = "csrf_token"


def _serializer(request: Request) -> URLSafeSerializer:
    secret = request.app.state.settings.secret_key.get_secret_value()
    return URLSafeSerializer(secret, salt="csrf")


def token_for(request: Request) -> tuple[str, str | None]:
    """The form token for this browser, and a new cookie value to set if it has none."""
    current = request.cookies.get(COOKIE)
    new = None
    if not current or len(current) < 32:
        current = new = secrets.token_urlsafe(32)
    return _serializer(request).dumps(current), new


def set_cookie(response: Response, request: Request, value: str) -> None:
    response.set_cookie(
        COOKIE,
        value,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=60 * 60 * 12,
    )


def check(request: Request, submitted: str | None) -> None:
    """Raise 403 unless ``submitted`` is this browser's signed token."""
    cookie = request.cookies.get(COOKIE)
    try:
        value = _serializer(request).loads(submitted or "")
    except BadSignature:
        value = None
    if not cookie or not isinstance(value, str) or not hmac.compare_digest(value, cookie):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            detail="This form has expired or was not sent from this site. Go back, reload the "
            "page and try again.",
        )
