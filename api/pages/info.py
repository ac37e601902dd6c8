"""Pages about the service: accessibility statement and privacy notice."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility(request: Request) -> HTMLResponse:
    return render(request, "info/accessibility.jinja", {"page_title": "Accessibility statement"})


@router.get("/privacy", response_class=HTMLResponse)
def privacy(request: Request) -> HTMLResponse:
    return render(request, "info/privacy.jinja", {"page_title": "How we use your information"})
