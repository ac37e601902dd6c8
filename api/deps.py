"""Dependencies the routes declare: database session, services, the signed-in staff member."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Header, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlmodel import Session

from api.security import StaffTokens, TokenError
from models.audit import Actor, ActorKind
from models.db import SessionFactory
from models.settings import Settings
from models.staff import Permission, StaffUser
from services.commands import Commands

_bearer = HTTPBearer(auto_error=False, description="A token from POST /api/v1/auth/token")


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessions() as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_commands(request: Request) -> Commands:
    commands: Commands = request.app.state.commands
    return commands


def get_tokens(request: Request) -> StaffTokens:
    tokens: StaffTokens = request.app.state.tokens
    return tokens


SessionDep = Annotated[Session, Depends(get_session)]


def release(session: Session) -> None:
    """Give the request's connection back to the pool before waiting (for a command's answer):
    ends the transaction; what was read stays usable, and a later query takes a connection
    again. A request never holds a pooled connection while it waits."""
    session.commit()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
CommandsDep = Annotated[Commands, Depends(get_commands)]
TokensDep = Annotated[StaffTokens, Depends(get_tokens)]


def load_staff(request: Request, user_id: object) -> StaffUser | None:
    """The account, read in a session of its own that is closed at once: a request that then
    waits (for a command's answer, say) holds no database connection for having signed in."""
    sessions: SessionFactory = request.app.state.sessions
    with sessions() as session:
        return session.get(StaffUser, user_id)


def get_current_staff(
    request: Request,
    tokens: TokensDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> StaffUser:
    """The staff member signed in by bearer token. Only a token: the JSON API ignores the staff
    pages' session cookie, which a browser would send with a request forged by another site (the
    pages protect their forms with CSRF tokens; the API has no forms, and programs use tokens)."""
    if credentials is None:
        raise unauthorised(
            "Sign in first: send 'Authorization: Bearer <token>' (a token from "
            "POST /api/v1/auth/token; the staff pages' sign-in does not work here)."
        )
    try:
        user_id, version = tokens.read(credentials.credentials)
    except TokenError as error:
        raise unauthorised(str(error)) from error
    user = load_staff(request, user_id)
    if user is None or not user.active or user.token_version != version:
        raise unauthorised("Your sign-in is no longer valid: sign in again.")
    return user


def unauthorised(message: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=message, headers={"WWW-Authenticate": "Bearer"}
    )


CurrentStaff = Annotated[StaffUser, Depends(get_current_staff)]


def no_permission(user: StaffUser, permission: Permission) -> HTTPException:
    return HTTPException(
        status.HTTP_403_FORBIDDEN,
        detail=f"Your role ({user.role.value.replace('_', ' ')}) cannot do this: it needs "
        f"the '{permission.value.replace('_', ' ')}' permission.",
    )


def require(permission: Permission) -> Callable[[StaffUser], StaffUser]:
    def check(user: CurrentStaff) -> StaffUser:
        if not user.can(permission):
            raise no_permission(user, permission)
        return user

    return check


Reader = Annotated[StaffUser, Depends(require(Permission.read))]
SessionRecorder = Annotated[StaffUser, Depends(require(Permission.record_session))]
ActionDriver = Annotated[StaffUser, Depends(require(Permission.drive_actions))]
Intervener = Annotated[StaffUser, Depends(require(Permission.intervene))]
DirectoryManager = Annotated[StaffUser, Depends(require(Permission.manage_directory))]
BoardManager = Annotated[StaffUser, Depends(require(Permission.manage_boards))]
UserManager = Annotated[StaffUser, Depends(require(Permission.manage_users))]


def staff_actor(user: StaffUser, request: Request) -> Actor:
    return Actor(
        kind=ActorKind.staff,
        name=user.name,
        id=str(user.id),
        source=request.client.host if request.client else None,
    )


IdempotencyKey = Annotated[
    str | None,
    Header(
        max_length=255,
        description="Send the same key again to retry safely: you get the first answer (the "
        "same status and body) and nothing is done twice. A key counts for you, this operation "
        "and this record; the same key with a different request is refused with 422.",
    ),
]
