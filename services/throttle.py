"""Sign-in throttling: at most so many attempts a minute from one network address and for one
email address (whether or not an account has it), counted in a moving window by ``limits``.

Counts are kept in the process (each API process throttles on its own); the lockout in
``signin.py`` is in the database and holds across processes.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class Throttled(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "There have been too many attempts to sign in. Wait a minute, then try again."
        )
        self.retry_after = retry_after


class SignInThrottle:
    def __init__(self, *, per_address: int, per_account: int) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._address = RateLimitItemPerMinute(per_address)
        self._account = RateLimitItemPerMinute(per_account)

    def count(self, *, address: str | None, email: str) -> None:
        """Count one attempt; ``Throttled`` (with the seconds to wait) if over a limit."""
        for item, key in ((self._address, address or "unknown"), (self._account, email)):
            if not self._limiter.hit(item, "sign-in", key):
                raise Throttled(self._retry_after(item, key))

    def _retry_after(self, item: RateLimitItem, key: str) -> int:
        reset = self._limiter.get_window_stats(item, "sign-in", key).reset_time
        return max(1, math.ceil(reset - time.time()))
