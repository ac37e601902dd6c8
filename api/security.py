"""Signed bearer tokens for staff (itsdangerous). Passwords: ``services/passwords.py``."""

from __future__ import annotations

import uuid
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


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
