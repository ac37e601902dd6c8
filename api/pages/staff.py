"""The staff web app: its routers, and how its errors are shown as pages.

``install`` is called once by ``api.main.create_app``.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.pages import (
    auth,
    boards,
    case_commands,
    cases,
    directory,
    directory_csv,
    directory_owners,
    equality,
    escalations,
    home,
    intake,
    names_check,
    personal_data,
    presenter_consent_staff,
    rag_board,
    said_summary,
    users,
)
from api.pages.deps import Forbidden, PageNotFound, SignInRequired, sign_in_url
from api.pages.forms import CsrfFailed
from api.pages.render import page
from models.staff import ROLE_LABELS

ROUTERS = [
    auth,
    home,
    intake,
    cases,
    said_summary,
    names_check,
    presenter_consent_staff,
    case_commands,
    escalations,
    rag_board,
    directory,
    directory_owners,
    directory_csv,
    boards,
    users,
    personal_data,
    equality,
]


def problem(
    request: Request, status_code: int, title: str, *paragraphs: str, **links: str
) -> HTMLResponse:
    return page(
        request,
        "errors/problem.jinja",
        {"page_title": title, "paragraphs": paragraphs, **links},
        status_code=status_code,
    )


def install(app: FastAPI) -> None:
    for module in ROUTERS:
        app.include_router(module.router)

    @app.exception_handler(SignInRequired)
    async def _sign_in(_: Request, exc: SignInRequired) -> RedirectResponse:
        return RedirectResponse(sign_in_url(exc.next_url), status_code=303)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> HTMLResponse:
        request.state.page_user = exc.user
        return problem(
            request,
            403,
            "You cannot use this page",
            f"Your role ({ROLE_LABELS[exc.user.role]}) does not allow it. If you need it for "
            "your work, ask an administrator of this service.",
        )

    @app.exception_handler(PageNotFound)
    async def _not_found(request: Request, exc: PageNotFound) -> HTMLResponse:
        return problem(request, 404, "Page not found", str(exc))

    @app.exception_handler(CsrfFailed)
    async def _csrf(request: Request, _: CsrfFailed) -> HTMLResponse:
        return problem(
            request,
            403,
            "Your form could not be sent",
            "The page had expired, or cookies are switched off in your browser. Nothing was "
            "changed. Go back, reload the page and try again.",
        )
