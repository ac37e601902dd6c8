"""The outbox rows as delivery moves them, each change in its own short transaction.

``pending → sending`` (claimed by one attempt, with a lease), then the hand-over mark, then
``sent``; or back to ``pending`` (retry), ``failed`` (refused for good) or ``unconfirmed`` (the
crash window: maybe delivered, never resent). Every change after the claim holds only while
the attempt's claim token still holds the row. See ``delivery.py`` for the whole story.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, update
from sqlmodel import col, select

from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxStatus
from models.settings import Settings
from notifications import gathering
from notifications.gathering import changed
from notifications.render import message_id
from notifications.types import REMINDER_KINDS

_REMINDERS = sorted(k.value for k in REMINDER_KINDS)
Condition = ColumnElement[bool]


class Outcome(StrEnum):
    sent = "sent"
    retry = "retry"  # definite refusal or no connection: sent again later
    failed = "failed"  # refused for good (5xx for the recipient)
    unconfirmed = "unconfirmed"  # the crash window: maybe delivered, never resent
    lost_claim = "lost_claim"  # another attempt holds the row now


@dataclass(frozen=True)
class Attempt:
    row: OutboxMessage
    token: str


class OutboxRows:
    def __init__(
        self, sessions: SessionFactory, settings: Settings, clock: Callable[[], datetime]
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.clock = clock

    def due(self, now: datetime, limit: int) -> list[uuid.UUID]:
        with self.sessions() as session:
            return list(
                session.exec(
                    select(OutboxMessage.id)
                    .where(OutboxMessage.status == OutboxStatus.pending)
                    .where(col(OutboxMessage.kind).not_in(_REMINDERS))
                    .where(
                        col(OutboxMessage.next_attempt_at).is_(None)
                        | (col(OutboxMessage.next_attempt_at) <= now)
                    )
                    .order_by(col(OutboxMessage.created_at))
                    .limit(limit)
                ).all()
            )

    def gather(self, now: datetime) -> list[uuid.UUID]:
        with self.sessions() as session:
            return gathering.gather(session, now)

    def claim(self, row_id: uuid.UUID, now: datetime) -> Attempt | None:
        token = uuid.uuid4().hex
        lease = now + timedelta(seconds=self.settings.mail_claim_seconds)
        with self.sessions() as session:
            claimed = changed(
                session.execute(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id) == row_id)
                    .where(col(OutboxMessage.status) == OutboxStatus.pending)
                    .values(
                        status=OutboxStatus.sending,
                        claimed_by=token,
                        next_attempt_at=lease,
                        handed_over_at=None,
                        attempts=col(OutboxMessage.attempts) + 1,
                    )
                )
            )
            session.commit()
            if claimed != 1:
                return None
            row = session.get(OutboxMessage, row_id)
            assert row is not None
            return Attempt(row=row, token=token)

    def _update(self, attempt: Attempt, *conditions: Condition, **values: object) -> bool:
        return self._update_claimed(attempt.row.id, attempt.token, *conditions, **values)

    def _update_claimed(
        self, row_id: uuid.UUID, token: str | None, *conditions: Condition, **values: object
    ) -> bool:
        """Change a row only while the claim ``token`` still holds it."""
        with self.sessions() as session:
            count = changed(
                session.execute(
                    update(OutboxMessage)
                    .where(col(OutboxMessage.id) == row_id)
                    .where(col(OutboxMessage.claimed_by) == token)
                    .where(*conditions)
                    .values(**values)
                )
            )
            session.commit()
            return count == 1

    def mark_handed_over(self, attempt: Attempt) -> bool:
        return self._update(
            attempt, col(OutboxMessage.status) == OutboxStatus.sending, handed_over_at=self.clock()
        )

    def clear_handed_over(self, attempt: Attempt) -> None:
        self._update(attempt, handed_over_at=None)

    def handed_over(self, attempt: Attempt) -> bool:
        with self.sessions() as session:
            row = session.get(OutboxMessage, attempt.row.id)
            return row is not None and row.handed_over_at is not None

    def mark_sent(self, attempt: Attempt) -> bool:
        """False: the message went, but another attempt had taken the row over."""
        return self._update(
            attempt,
            status=OutboxStatus.sent,
            sent_at=self.clock(),
            message_id=message_id(attempt.row.id, self.settings.mail_from_address),
            next_attempt_at=None,
            last_error=None,
        )

    def retry(self, attempt: Attempt, error: str, delay: float | None = None) -> Outcome:
        s = self.settings
        attempts = attempt.row.attempts  # counted when claimed
        if delay is None:
            delay = min(
                s.mail_retry_initial_seconds * 2 ** max(attempts - 1, 0), s.mail_retry_max_seconds
            )
        ok = self._update(
            attempt,
            col(OutboxMessage.status) == OutboxStatus.sending,
            status=OutboxStatus.pending,
            handed_over_at=None,
            next_attempt_at=self.clock() + timedelta(seconds=delay),
            last_error=f"Not sent yet (attempt {attempts}): {error}"[:1000],
        )
        return Outcome.retry if ok else Outcome.lost_claim

    def mark_failed(self, attempt: Attempt, answer: str) -> Outcome:
        ok = self._update(
            attempt,
            status=OutboxStatus.failed,
            next_attempt_at=None,
            handed_over_at=None,
            last_error=f"Refused by the receiving mail server: {answer}"[:1000],
        )
        return Outcome.failed if ok else Outcome.lost_claim

    def mark_unconfirmed(self, row_id: uuid.UUID, token: str, why: str) -> Outcome:
        with self.sessions() as session:
            row = session.get(OutboxMessage, row_id)
            if row is None or row.claimed_by != token or row.status is not OutboxStatus.sending:
                return Outcome.lost_claim
            row.status = OutboxStatus.unconfirmed
            row.next_attempt_at = None
            row.message_id = message_id(row.id, self.settings.mail_from_address)
            row.last_error = (
                f"{why} It may have been delivered, so it is not sent again automatically "
                f"(no one gets a message twice). To send it again: cvt mail resend {row.id}"
            )[:1000]
            session.add(row)
            session.commit()
            return Outcome.unconfirmed

    def recover(self, now: datetime) -> int:
        """Rows whose claim outlived its lease: their worker stopped mid-attempt."""
        with self.sessions() as session:
            stale = session.exec(
                select(OutboxMessage)
                .where(OutboxMessage.status == OutboxStatus.sending)
                .where(col(OutboxMessage.next_attempt_at) < now)
            ).all()
            tokens = [(r.id, r.claimed_by, r.handed_over_at) for r in stale]
        for row_id, token, handed_over_at in tokens:
            if handed_over_at is not None:
                self.mark_unconfirmed(
                    row_id,
                    token or "",
                    "The sender stopped while handing this message to the mail server "
                    f"({handed_over_at.isoformat(timespec='seconds')}).",
                )
            else:
                self._update_claimed(
                    row_id,
                    token,
                    col(OutboxMessage.status) == OutboxStatus.sending,
                    status=OutboxStatus.pending,
                    next_attempt_at=now,
                    last_error="The sender stopped before handing this message over: sent again.",
                )
        return len(tokens)


def resend(sessions: SessionFactory, row_id: uuid.UUID) -> OutboxMessage:
    """Put an ``unconfirmed`` or ``failed`` message back in the queue (same Message-ID)."""
    with sessions() as session:
        row = session.get(OutboxMessage, row_id)
        if row is None:
            raise LookupError(f"No message with id {row_id}.")
        if row.status not in (OutboxStatus.unconfirmed, OutboxStatus.failed):
            raise ValueError(
                f"Message {row_id} is {row.status.value}: only an unconfirmed or "
                "failed message can be sent again."
            )
        row.status = OutboxStatus.pending
        row.next_attempt_at = None
        row.handed_over_at = None
        row.claimed_by = None
        row.last_error = f"Sent again by hand after: {row.last_error or row.status.value}"[:1000]
        session.add(row)
        session.commit()
        session.refresh(row)
        return row
