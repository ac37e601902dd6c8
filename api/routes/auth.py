"""Staff sign-in for the JSON API (bearer tokens) and staff accounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlmodel import select

from api.deps import CurrentStaff, SessionDep, SettingsDep, TokensDep, UserManager
from api.openapi import problems
from models.staff import StaffUser, StaffUserCreate, StaffUserPublic
from services import directory, signin
from services.errors import Busy
from services.throttle import Throttled

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@router.post(
    "/auth/token",
    responses=problems(
        401,
        429,
        d401="The email address or password is not right (or it is locked).",
        d429="Too many attempts, or too many at once: see Retry-After.",
    ),
)
async def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    tokens: TokensDep,
    settings: SettingsDep,
) -> Token:
    """Sign in with email (as ``username``) and password; returns a bearer token.

    Shares the sign-in page's throttling and lockout: repeated failures lock the account for a
    while, and too many attempts a minute are answered 429 with Retry-After."""
    signin_service: signin.SignIn = request.app.state.signin
    try:
        user = await signin_service.authenticate(
            form.username, form.password, address=request.client.host if request.client else None
        )
    except signin.SignInRefused as refused:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=str(refused),
            headers={"WWW-Authenticate": "Bearer"},
        ) from refused
    except (Throttled, Busy) as busy:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=str(busy),
            headers={"Retry-After": str(busy.retry_after)},
        ) from busy
    return Token(
        access_token=tokens.issue(user.id, user.token_version),
        expires_in=settings.token_hours * 3600,
    )


@router.get("/auth/me")
def who_am_i(user: CurrentStaff) -> StaffUserPublic:
    return user  # type: ignore[return-value]


@router.get("/users")
def list_users(session: SessionDep, _: UserManager) -> Sequence[StaffUserPublic]:
    return session.exec(select(StaffUser).order_by(StaffUser.name)).all()  # type: ignore[return-value]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: StaffUserCreate, session: SessionDep, _: UserManager) -> StaffUserPublic:
    return directory.create_user(session=session, body=body)  # type: ignore[return-value]
