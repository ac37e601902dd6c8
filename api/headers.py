"""Security headers on every response: pages, signed-link pages, public pages, errors, docs, API,
static files.

- **Content-Security-Policy**: pages load scripts, styles and images from this site only (the
  NHS.UK frontend and Swagger UI are served from ``/static``); fonts also from assets.nhs.uk,
  the only place the licensed NHS font (Frutiger) may be served from: the NHS.UK stylesheet
  links it there, and without it pages fall back to Arial. The one inline script, the
  NHS.UK template's ``js-enabled`` line, is allowed by its hash, read from the template itself,
  so an upgrade of ``nhsuk-frontend-jinja`` that changes it still works. No inline styles. Other
  responses (JSON, files) get ``default-src 'none'``. A route may set its own policy (the mail
  catcher's sandboxed frame, a report's HTML download).
- **Framing**: never (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``), except where a
  route says ``SAMEORIGIN`` itself.
- ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin`` (a signed link never
  leaves the site in a Referer), ``Cross-Origin-Opener-Policy: same-origin``.
- ``X-Robots-Tag: noindex, nofollow`` everywhere but the public pages: signed links, staff pages
  and errors are not for search engines.
- ``Strict-Transport-Security`` when the request came over https.
"""

from __future__ import annotations

import base64
import hashlib
import re

from jinja2 import Environment
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Pages search engines may index: the public "You said, we did" pages and the statements.
INDEXABLE = ("/public/", "/accessibility", "/privacy")

_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.+?)</script>", re.S)


def inline_script_hashes(env: Environment, template: str = "nhsuk/template.jinja") -> list[str]:
    """CSP sources for the inline scripts of ``template`` (literal text, no Jinja inside)."""
    assert env.loader is not None
    source, _, _ = env.loader.get_source(env, template)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(source)
    ]


def page_policy(script_hashes: list[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' " + " ".join(script_hashes),
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self' https://assets.nhs.uk",
            "connect-src 'self'",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


#: For everything that is not a page: JSON, downloads, images, scripts and styles themselves.
RESOURCE_POLICY = "default-src 'none'; frame-ancestors 'none'"

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def headers_for(path: str, content_type: str, *, https: bool, page_csp: str) -> dict[str, str]:
    """The headers a response to ``path`` of ``content_type`` carries (unless it set its own)."""
    found = dict(COMMON)
    found["Content-Security-Policy"] = (
        page_csp if content_type.startswith("text/html") else RESOURCE_POLICY
    )
    if not path.startswith(INDEXABLE):
        found["X-Robots-Tag"] = "noindex, nofollow"
    if https:
        found["Strict-Transport-Security"] = "max-age=31536000"
    return found


def apply(headers: MutableHeaders, path: str, *, https: bool, page_csp: str) -> MutableHeaders:
    """Add the security headers a response lacks (a route's own choice is kept)."""
    wanted = headers_for(path, headers.get("content-type", ""), https=https, page_csp=page_csp)
    for name, value in wanted.items():
        if name.lower() not in headers:
            headers[name] = value
    return headers


class SecurityHeaders:
    """ASGI middleware: ``apply`` to every HTTP response."""

    def __init__(self, app: ASGIApp, *, page_csp: str) -> None:
        self.app = app
        self.page_csp = page_csp

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                apply(MutableHeaders(scope=message), path, https=https, page_csp=self.page_csp)
            await send(message)

        await self.app(scope, receive, send_with_headers)
