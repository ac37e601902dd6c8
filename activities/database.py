"""The database session every activity uses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlmodel import Session
from temporalio import activity

from models.db import SessionFactory


@contextmanager
def activity_session(sessions: SessionFactory) -> Iterator[Session]:
    """A session that Temporal's cancellation cannot cut short.

    Activities run in threads, and cancelling one (a worker shutting down, a timeout) raises
    an exception inside its thread wherever it is. Raised in the middle of a database call,
    it can leave a connection open inside a transaction, holding its locks. Shielded, the
    cancellation waits until the session is closed (committed or rolled back) and is raised
    then; the step's idempotency key makes the retry safe. (Called outside an activity, as
    unit tests do, it is a plain session.)
    """
    shield = activity.shield_thread_cancel_exception() if activity.in_activity() else nullcontext()
    with shield, sessions() as session:
        yield session
