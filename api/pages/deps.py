"""Who may see a staff page: the session cookie only (never a bearer token or a signed link).

No sign-in sends the browser to ``/sign-in`` (and back afterwards); a role without the
permission gets a 403 page saying so. Checked on the server for every staff route.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from api.deps import load_staff
from models.staff import Permission, StaffUser


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


class Forbidden(Exception):
    def __init__(self, user: StaffUser, permission: Permission) -> None:
        super().__init__(permission.value)
        self.user = user
        self.permission = permission


class PageNotFound(Exception):
    """A page for something that does not exist (shown as a 404 page)."""


def sign_in_url(next_url: str) -> str:
    return "/sign-in" if next_url in ("", "/") else f"/sign-in?next={quote(next_url, safe='/')}"


def safe_next(value: str | None) -> str:
    """Only a path on this site: never '//elsewhere' or 'https://elsewhere'."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    return value


def signed_in_user(request: Request) -> StaffUser | None:
    found = getattr(request.state, "staff_user_id", None)
    if found is None:
        return None
    user_id, version = found
    user = load_staff(request, user_id)
    if user is None or not user.active or user.token_version != version:
        return None
    return user


def _here(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query and request.method == "GET" else path


def page_user(permission: Permission) -> Callable[..., StaffUser]:
    def check(
        request: Request, user: Annotated[StaffUser | None, Depends(signed_in_user)]
    ) -> StaffUser:
        if user is None:
            raise SignInRequired(_here(request))
        if not user.can(permission):
            raise Forbidden(user, permission)
        request.state.page_user = user
        return user

    return check


StaffReader = Annotated[StaffUser, Depends(page_user(Permission.read))]
StaffRecorder = Annotated[StaffUser, Depends(page_user(Permission.record_session))]
StaffDriver = Annotated[StaffUser, Depends(page_user(Permission.drive_actions))]
StaffIntervener = Annotated[StaffUser, Depends(page_user(Permission.intervene))]
StaffDirectoryManager = Annotated[StaffUser, Depends(page_user(Permission.manage_directory))]
StaffBoardManager = Annotated[StaffUser, Depends(page_user(Permission.manage_boards))]
StaffUserManager = Annotated[StaffUser, Depends(page_user(Permission.manage_users))]


def parse_id(value: str) -> uuid.UUID:
    """A record id from a URL; anything else is a 404, not a 422 or a 500."""
    try:
        return uuid.UUID(value)
    except ValueError as error:
        raise PageNotFound(f"No record with id {value!r}.") from error
