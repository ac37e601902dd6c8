"""The one Jinja environment for pages (its date filters are ``models.formatting.FILTERS``).

Loads the app's templates first, then the NHS.UK frontend macros from ``nhsuk-frontend-jinja``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, FileSystemLoader, PackageLoader

from api import csrf
from api.static import asset_url
from models.formatting import FILTERS, SERVICE_NAME
from models.text import printable_output

TEMPLATES = Path(__file__).parent / "templates"


def build_environment(*extra_dirs: Path) -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                *(FileSystemLoader(str(d)) for d in extra_dirs),
                FileSystemLoader(str(TEMPLATES)),
                PackageLoader("nhsuk_frontend_jinja"),
            ]
        ),
        undefined=ChainableUndefined,
        autoescape=True,
        finalize=printable_output,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["service_name"] = SERVICE_NAME
    env.globals["asset_url"] = asset_url
    return env


templates = Jinja2Templates(env=build_environment())


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the CSRF token its forms need (setting the cookie on first visit)."""
    token, cookie = csrf.token_for(request)
    response = templates.TemplateResponse(
        request, name, {"csrf_token": token, **(context or {})}, status_code=status_code
    )
    if cookie is not None:
        csrf.set_cookie(response, request, cookie)
    response.headers.setdefault("Cache-Control", "no-store")
    return response
