"""Checking a staff member's email and password, with a lockout after repeated failures.

Shared by the sign-in page and ``POST /api/v1/auth/token`` so neither can be used to guess
passwords faster than the other. After ``MAX_FAILURES`` wrong passwords in a row the account is
locked for ``LOCK_MINUTES``; a right password during the lock is refused too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from models.formatting import clock_time
from models.staff import StaffUser
from models.text import forbidden_character
from services.passwords import verify_password

MAX_FAILURES = 5
LOCK_MINUTES = 15
NOT_RIGHT = "The email address or password is not right."


class SignInRefused(Exception):
    """Why a sign-in failed, in words fit to show."""


def find_user(session: Session, email: str) -> StaffUser | None:
    if forbidden_character(email):  # no account has one (and PostgreSQL cannot compare a NUL)
        return None
    return session.exec(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    ).first()


def authenticate(*, session: Session, email: str, password: str, now: datetime) -> StaffUser:
    """The active account these credentials sign in to; else raises ``SignInRefused``."""
    user = find_user(session, email)
    right = verify_password(password, user.password_hash if user else None)
    if user is None:
        raise SignInRefused(NOT_RIGHT)
    if user.locked_until is not None and user.locked_until > now:
        raise SignInRefused(_locked(user.locked_until))
    if not right:
        user.failed_sign_ins += 1
        locked = user.failed_sign_ins >= MAX_FAILURES
        if locked:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_sign_ins = 0
        session.add(user)
        session.commit()
        raise SignInRefused(
            _locked(user.locked_until) if locked and user.locked_until else NOT_RIGHT
        )
    if not user.active:
        raise SignInRefused(NOT_RIGHT)
    if user.failed_sign_ins or user.locked_until:
        user.failed_sign_ins, user.locked_until = 0, None
        session.add(user)
        session.commit()
    return user


def _locked(until: datetime) -> str:
    return (
        f"There have been too many failed attempts to sign in to this account. Try again after "
        f"{clock_time(until)}, or ask an administrator to unlock it."
    )


def sign_out_everywhere(*, session: Session, user_id: object) -> None:
    """End every session and API token of this person (their token version moves on)."""
    user = session.get(StaffUser, user_id)
    if user is not None:
        user.token_version += 1
        session.add(user)
        session.commit()
