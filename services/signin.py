"""Checking a staff member's email and password: throttled, locked after repeated failures.

Shared by the sign-in page and ``POST /api/v1/auth/token`` so neither can be used to guess
passwords faster than the other. In order:

1. ``throttle.py``: too many attempts a minute from one address or for one email → ``Throttled``
   (HTTP 429 with Retry-After), before any work.
2. A place on the password checker's threads (``passwords.py``), or ``Busy`` (also 429).
3. The account is read in a short session of its own, closed before any password is checked.
4. ``_claim``: one conditional update counts the attempt *before* the check and, at the
   ``MAX_FAILURES``-th, locks the account for ``LOCK_MINUTES``; a locked account (or one with
   that many checks in flight) is not checked at all. However many attempts arrive at once,
   at most ``MAX_FAILURES`` passwords are checked before the lock (atomic on SQLite and
   PostgreSQL alike). A right password clears the count (``_clear``).

Every refusal says the same (``NOT_RIGHT``), whether the account exists, the password is wrong
or the account is locked, and costs the same password check: nothing tells an account apart.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal, or_, update
from sqlmodel import Session, col, select

from models.base import UTCDateTime, utcnow
from models.db import SessionFactory
from models.staff import StaffUser
from models.text import forbidden_character
from services.passwords import PasswordChecker
from services.throttle import SignInThrottle

MAX_FAILURES = 5
LOCK_MINUTES = 15
NOT_RIGHT = (
    "The email address or password is not right. After 5 wrong passwords in a row an account "
    f"is locked for {LOCK_MINUTES} minutes: if that may have happened, try again later or ask an "
    "administrator to unlock it."
)


class SignInRefused(Exception):
    """Why a sign-in failed, in words fit to show."""


class SignIn:
    def __init__(
        self,
        sessions: SessionFactory,
        checker: PasswordChecker,
        throttle: SignInThrottle,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.sessions = sessions
        self.checker = checker
        self.throttle = throttle
        self.clock = clock

    async def authenticate(self, email: str, password: str, *, address: str | None) -> StaffUser:
        """The active account these credentials sign in to; else ``SignInRefused``,
        ``Throttled`` or ``Busy``."""
        email = email.strip().lower()
        self.throttle.count(address=address, email=email)
        async with self.checker.place():
            user = await asyncio.to_thread(self._find, email)
            claimed = user is not None and await asyncio.to_thread(self._claim, user.id)
            checked = user.password_hash if user is not None and claimed else None
            right = await self.checker.verify(password, checked)
        if user is None or not claimed or not right or not user.active:
            raise SignInRefused(NOT_RIGHT)
        await asyncio.to_thread(self._clear, user.id)
        return user

    def _find(self, email: str) -> StaffUser | None:
        with self.sessions() as session:
            return find_user(session, email)

    def _claim(self, user_id: uuid.UUID) -> bool:
        """Count an attempt on the account unless it is locked; lock it at the last one."""
        now = self.clock()
        until = now + timedelta(minutes=LOCK_MINUTES)
        failures, locked_until = col(StaffUser.failed_sign_ins), col(StaffUser.locked_until)
        lock_over = and_(locked_until.is_not(None), locked_until <= now)
        count = case((lock_over, 1), else_=failures + 1)
        with self.sessions() as session:
            result = session.execute(
                update(StaffUser)
                .where(col(StaffUser.id) == user_id)
                .where(or_(lock_over, and_(locked_until.is_(None), failures < MAX_FAILURES)))
                .values(
                    failed_sign_ins=count,
                    locked_until=case(
                        (count >= MAX_FAILURES, literal(until, UTCDateTime())),
                        else_=None,
                    ),
                )
            )
            session.commit()
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    def _clear(self, user_id: uuid.UUID) -> None:
        with self.sessions() as session:
            session.execute(
                update(StaffUser)
                .where(col(StaffUser.id) == user_id)
                .values(failed_sign_ins=0, locked_until=None)
            )
            session.commit()


def find_user(session: Session, email: str) -> StaffUser | None:
    if forbidden_character(email):  # no account has one (and PostgreSQL cannot compare a NUL)
        return None
    return session.exec(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    ).first()


def sign_out_everywhere(*, session: Session, user_id: object) -> None:
    """End every session and API token of this person (their token version moves on)."""
    user = session.get(StaffUser, user_id)
    if user is not None:
        user.token_version += 1
        session.add(user)
        session.commit()
