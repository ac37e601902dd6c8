"""Staff sign-in for the JSON API (bearer tokens) and staff accounts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel
from sqlmodel import select

from api.deps import CurrentStaff, SessionDep, SettingsDep, TokensDep, UserManager
from models.base import utcnow
from models.staff import StaffUser, StaffUserCreate, StaffUserPublic
from services import directory, signin

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@router.post("/auth/token")
def issue_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    tokens: TokensDep,
    settings: SettingsDep,
) -> Token:
    """Sign in with email (as ``username``) and password; returns a bearer token.

    Shares the sign-in page's lockout: repeated failures lock the account for a while."""
    try:
        user = signin.authenticate(
            session=session, email=form.username, password=form.password, now=utcnow()
        )
    except signin.SignInRefused as refused:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=str(refused),
            headers={"WWW-Authenticate": "Bearer"},
        ) from refused
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
