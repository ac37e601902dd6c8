"""Sign in and sign out (staff). Owners and presenters never sign in: they use signed links."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api import session as staff_session
from api.deps import SessionDep
from api.pages.deps import safe_next, signed_in_user
from api.pages.forms import Form, read_form, text_field
from api.pages.render import page
from models.staff import StaffUser
from services import signin
from services.errors import Busy
from services.throttle import Throttled

router = APIRouter(include_in_schema=False)
LABELS = {"email": "Email address", "password": "Password"}


def _sessions(request: Request) -> staff_session.StaffSessions:
    settings = request.app.state.settings
    return staff_session.StaffSessions(
        settings.secret_key.get_secret_value(), settings.token_hours * 3600
    )


def _sign_in_page(request: Request, form: Form, status_code: int = 200) -> HTMLResponse:
    return page(
        request,
        "auth/sign-in.jinja",
        {"page_title": "Sign in", "form": form, "form_action": "/sign-in"},
        status_code=status_code,
    )


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(
    request: Request, user: Annotated[StaffUser | None, Depends(signed_in_user)]
) -> Response:
    next_url = safe_next(request.query_params.get("next"))
    if user is not None:
        return RedirectResponse(next_url, status_code=303)
    return _sign_in_page(request, Form({"next": next_url}, labels=LABELS))


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request) -> Response:
    data = await read_form(request)
    form = Form.from_data(data, labels=LABELS)
    form.values["password"] = ""  # never sent back to the browser
    password = text_field(data, "password")
    if not form.get("email"):
        form.add_error("email", "Enter your email address")
    if not password:
        form.add_error("password", "Enter your password")
    if form.has_errors():
        return _sign_in_page(request, form, 422)
    signin_service: signin.SignIn = request.app.state.signin
    try:
        user = await signin_service.authenticate(
            form.get("email"), password, address=request.client.host if request.client else None
        )
    except signin.SignInRefused as refused:
        form.add_error("email", str(refused))
        return _sign_in_page(request, form, 401)
    except (Throttled, Busy) as busy:
        form.add_error("email", str(busy))
        refusal = _sign_in_page(request, form, 429)
        refusal.headers["Retry-After"] = str(busy.retry_after)
        return refusal
    response = RedirectResponse(safe_next(form.get("next")), status_code=303)
    sessions = _sessions(request)
    staff_session.set_cookie(
        response, request, sessions, sessions.issue(user.id, user.token_version)
    )
    return response


@router.get("/sign-out", response_class=HTMLResponse)
def sign_out_form(
    request: Request, user: Annotated[StaffUser | None, Depends(signed_in_user)]
) -> Response:
    """Reached by a link (or with JavaScript off in an old browser): one button to confirm."""
    if user is None:
        return RedirectResponse("/sign-in", status_code=303)
    request.state.page_user = user
    return page(request, "auth/sign-out.jinja", {"page_title": "Sign out", "form": Form()})


@router.post("/sign-out")
async def sign_out(
    request: Request,
    session: SessionDep,
    user: Annotated[StaffUser | None, Depends(signed_in_user)],
) -> Response:
    await read_form(request)
    if user is not None:
        await asyncio.to_thread(signin.sign_out_everywhere, session=session, user_id=user.id)
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    staff_session.clear_cookie(response, request)
    return response
