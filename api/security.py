"""Passwords (pwdlib, Argon2) and signed bearer tokens for staff (itsdangerous)."""

from __future__ import annotations

import uuid
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash

_hasher = PasswordHash.recommended()
_DUMMY_HASH = _hasher.hash("a password nobody has, for timing-safe failures")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not the account exists."""
    if password_hash is None:
        _hasher.verify(password, _DUMMY_HASH)
        return False
    return _hasher.verify(password, password_hash)


class TokenError(Exception):
    pass


class StaffTokens:
    """Bearer tokens for the JSON API: signed user id + token version, expiring."""

    SALT = "staff-api-token"

    def __init__(self, secret: str, max_age_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret, salt=self.SALT)
        self.max_age = max_age_seconds

    def issue(self, user_id: uuid.UUID, token_version: int) -> str:
        return self._serializer.dumps({"uid": str(user_id), "v": token_version})

    def read(self, token: str) -> tuple[uuid.UUID, int]:
        try:
            data: Any = self._serializer.loads(token, max_age=self.max_age)
        except SignatureExpired as error:
            raise TokenError("Your sign-in has expired: sign in again.") from error
        except BadSignature as error:
            raise TokenError("That token is not valid: sign in again.") from error
        return uuid.UUID(data["uid"]), int(data["v"])
