"""The API's interactive documentation (Swagger UI), served from this site.

FastAPI's own ``/docs`` loads Swagger UI from a CDN with an inline script, which the
Content-Security-Policy (``api.headers``) forbids and which fails offline. This page loads the
``swagger-ui-dist`` files from ``/static/swagger`` and starts them with ``/static/app/docs.js``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "docs/swagger.jinja",
        {"title": f"{request.app.title} API", "openapi_url": request.app.openapi_url},
    )
