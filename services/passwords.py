"""Staff passwords, hashed with pwdlib (Argon2), and checked off the event loop.

Argon2 is slow and memory-hard on purpose (tens of milliseconds and 64 MiB a check), so checks
run on a few threads of their own (``PasswordChecker``), never on the event loop and never while
a database connection is held. A sign-in first takes one of a bounded number of places (those
threads plus a short queue); with none free it is refused at once (``Busy``), so a burst of
sign-ins degrades into "try again shortly" rather than into slow answers and a starved server.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager

from pwdlib import PasswordHash

from services.errors import Busy

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


class PasswordChecker:
    """Checks passwords on ``workers`` threads, with at most ``queue`` more waiting."""

    def __init__(self, *, workers: int = 2, queue: int = 16) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="password")
        self._places = threading.BoundedSemaphore(workers + queue)

    @asynccontextmanager
    async def place(self) -> AsyncIterator[None]:
        """A place for one sign-in's check; ``Busy`` at once if all are taken."""
        if not self._places.acquire(blocking=False):
            raise Busy("Too many people are signing in at once: try again in a moment.", 2)
        try:
            yield
        finally:
            self._places.release()

    async def verify(self, password: str, password_hash: str | None) -> bool:
        """``verify_password`` on the checker's threads (call it holding a ``place``)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, verify_password, password, password_hash)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
