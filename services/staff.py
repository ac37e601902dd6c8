"""Staff accounts, as administrators change them. A change of role, a deactivation or a new
password signs the person out everywhere (their token version moves on)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.staff import Role, StaffUser
from models.text import forbidden_character, problem
from services.errors import FieldError, InvalidInput, NotFound
from services.passwords import hash_password


def list_users(*, session: Session) -> Sequence[StaffUser]:
    return session.exec(select(StaffUser).order_by(col(StaffUser.name))).all()


def get_user(*, session: Session, user_id: uuid.UUID) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(f"No staff account with id {user_id}.")
    return user


def update_user(
    *, session: Session, user_id: uuid.UUID, by: StaffUser, name: str, role: Role, active: bool
) -> StaffUser:
    user = get_user(session=session, user_id=user_id)
    if found := forbidden_character(name):
        raise InvalidInput(FieldError("name", problem(found)))
    if user.id == by.id and (role is not user.role or not active):
        raise InvalidInput(
            FieldError(
                "role" if role is not user.role else "active",
                "You cannot change your own role or deactivate yourself: ask another administrator",
            )
        )
    if role is not user.role or active != user.active:
        user.token_version += 1
    user.name, user.role, user.active = name, role, active
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def set_password(*, session: Session, user_id: uuid.UUID, password: str) -> StaffUser:
    user = get_user(session=session, user_id=user_id)
    user.password_hash = hash_password(password)
    user.token_version += 1
    user.failed_sign_ins, user.locked_until = 0, None
    session.add(user)
    session.commit()
    session.refresh(user)
    return user


def unlock(*, session: Session, user_id: uuid.UUID) -> StaffUser:
    user = get_user(session=session, user_id=user_id)
    user.failed_sign_ins, user.locked_until = 0, None
    session.add(user)
    session.commit()
    session.refresh(user)
    return user
