"""Delivery: the outbox to SMTP (aiosmtplib), at most once per message, retried until sent.

Where it runs: a loop in every worker process (``workflows/worker.py``), reading the outbox
table every ``mail_poll_seconds``. The table is the durable queue: a restart of the worker, the
API, Temporal or the mail server loses nothing, and more workers simply share the rows (each row
is claimed by one of them). It is not a Temporal workflow because there is no process logic in
it: a singleton workflow polling every second would grow a history for nothing and keep the
time-skipping test server busy. What delivery learns that matters to the process (a bounce)
goes back to the workflow as a command through the inbox.

One message, step by step:

1. **Claim**: ``pending → sending`` in one conditional UPDATE with a random claim token and a
   lease (``mail_claim_seconds``). Only one worker wins a row.
2. **Envelope**: connect, ``MAIL FROM``, ``RCPT TO``. A refusal here is definite (nothing was
   handed over): no connection → back to ``pending``, tried again within a minute; 4xx →
   back-off doubling from ``mail_retry_initial_seconds`` to ``mail_retry_max_seconds``, a bounce
   after ``mail_give_up_hours``; 5xx for the recipient → ``failed`` and an "owner unreachable"
   escalation through the workflow.
3. **Hand-over mark**: ``handed_over_at`` is committed (only if this attempt still holds the
   claim) *before* ``DATA``. This is the point after which the server may have the message.
4. **DATA** and its answer. ``250`` → ``sent`` (with the Message-ID) straight away. An error
   code is again definite (4xx retry, 5xx failed).

The crash window: if the worker dies, or the connection drops, after step 3 and before ``sent``
is recorded, nobody can know whether the server kept the message. Such a row becomes
``unconfirmed`` (at once when the connection drops, or when its lease runs out if the worker
died) and is **never resent automatically**: nobody gets a message twice. It stays visible on
the case's messages with what happened; ``cvt mail resend ID`` sends it again with the same
Message-ID (which receivers such as Outlook/Exchange, Gmail and the development catcher use to
keep one copy). A worker that dies *before* step 3 leaves a row that goes back to ``pending``
when its lease runs out, and is sent then: the server never had it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy as email_policy
from enum import StrEnum

import aiosmtplib
from sqlalchemy import ColumnElement, update
from sqlmodel import col, select

from models.base import utcnow
from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxStatus
from models.settings import Settings
from notifications import gathering
from notifications.gathering import changed
from notifications.render import Renderer, compose, message_id
from notifications.types import REMINDER_KINDS

log = logging.getLogger(__name__)

_REMINDERS = sorted(k.value for k in REMINDER_KINDS)
SERVER_RETRY_MAX_SECONDS = 60
Condition = ColumnElement[bool]

#: Called with a row that was refused for good and the server's answer (see ``bounces.py``).
ReportBounce = Callable[[OutboxMessage, str], Awaitable[None]]


class Outcome(StrEnum):
    sent = "sent"
    retry = "retry"  # definite refusal or no connection: sent again later
    failed = "failed"  # refused for good (5xx for the recipient)
    unconfirmed = "unconfirmed"  # the crash window: maybe delivered, never resent
    lost_claim = "lost_claim"  # another attempt holds the row now


@dataclass
class PassResult:
    digests: int = 0
    recovered: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class _ConnectionLost(Exception):
    pass


@dataclass(frozen=True)
class _Attempt:
    row: OutboxMessage
    token: str


class MailDelivery:
    def __init__(
        self,
        sessions: SessionFactory,
        settings: Settings,
        renderer: Renderer,
        *,
        report_bounce: ReportBounce | None = None,
        clock: Callable[[], datetime] = utcnow,
        batch: int = 50,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.renderer = renderer
        self.report_bounce = report_bounce
        self.clock = clock
        self.batch = batch
        self.server_failures = 0  # in a row: the mail server (not a message) is away

    # --- the loop -----------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set; every failure is retried on the next round."""
        while not stop.is_set():
            try:
                await self.deliver_due()
            except Exception:  # the database may be away: try again next round
                log.exception("mail delivery round failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.mail_poll_seconds)

    async def deliver_due(self) -> PassResult:
        """One round: recover stale claims, gather reminders, send what is due."""
        result = PassResult()
        now = self.clock()
        result.recovered = await asyncio.to_thread(self._recover, now)
        result.digests = len(await asyncio.to_thread(self._gather, now))
        ids = await asyncio.to_thread(self._due, now)
        smtp: aiosmtplib.SMTP | None = None
        try:
            for row_id in ids:
                attempt = await asyncio.to_thread(self._claim, row_id, self.clock())
                if attempt is None:
                    continue
                try:
                    if smtp is None:
                        smtp = await self._connect()
                        self.server_failures = 0
                    outcome = await self._send(smtp, attempt)
                except _ConnectionLost as lost:
                    outcome = await self._after_connection_lost(attempt, str(lost))
                    await _close(smtp)
                    smtp = None
                except Exception as error:  # could not connect (or render): the server's fault
                    log.warning("message %s not sent: %s", row_id, error)
                    self.server_failures += 1
                    outcome = await asyncio.to_thread(
                        self._retry, attempt, _describe(error), self._server_delay()
                    )
                    await _close(smtp)
                    smtp = None
                result.count(outcome)
                if smtp is None and outcome is Outcome.retry:
                    break  # the server is away: leave the rest for the next round
        finally:
            await _quit(smtp)
        return result

    # --- SMTP ---------------------------------------------------------------------------------

    async def _connect(self) -> aiosmtplib.SMTP:
        s = self.settings
        smtp = aiosmtplib.SMTP(
            hostname=s.smtp_host,
            port=s.smtp_port,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            username=s.smtp_username,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            timeout=s.smtp_timeout_seconds,
        )
        await smtp.connect()
        return smtp

    async def _send(self, smtp: aiosmtplib.SMTP, attempt: _Attempt) -> Outcome:
        row = attempt.row
        assert row.recipient_email is not None
        rendered = self.renderer.render(row.kind, row.facts, to=row.recipient_name)
        message = compose(
            row,
            rendered,
            from_address=self.settings.mail_from_address,
            from_name=self.settings.mail_from_name,
        )
        utf8 = not (row.recipient_email.isascii() and message.as_string().isascii())
        data = message.as_bytes(policy=email_policy.SMTPUTF8 if utf8 else email_policy.SMTP)
        options = ["SMTPUTF8"] if utf8 and smtp.supports_extension("smtputf8") else []
        encoding = "utf-8" if utf8 else "ascii"
        try:  # the envelope: a refusal here is definite, nothing was handed over
            await smtp.mail(self.settings.mail_from_address, options=options, encoding=encoding)
            await smtp.rcpt(row.recipient_email, encoding=encoding)
        except aiosmtplib.SMTPSenderRefused as refused:  # our sender, not their address
            await _reset(smtp)
            log.error("the mail server refuses our sender address: %s", refused)
            return await asyncio.to_thread(self._retry, attempt, _describe(refused))
        except aiosmtplib.SMTPResponseException as refused:
            await _reset(smtp)
            return await self._refused(attempt, refused)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _ConnectionLost(_describe(error)) from error
        if not await asyncio.to_thread(self._mark_handed_over, attempt):
            await _reset(smtp)
            return Outcome.lost_claim
        try:
            await smtp.data(data)
        except aiosmtplib.SMTPResponseException as refused:  # answered: definitely not kept
            await asyncio.to_thread(self._clear_handed_over, attempt)
            await _reset(smtp)
            return await self._refused(attempt, refused)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _ConnectionLost(_describe(error)) from error
        return await asyncio.to_thread(self._mark_sent, attempt)

    async def _refused(
        self, attempt: _Attempt, refused: aiosmtplib.SMTPResponseException
    ) -> Outcome:
        answer = _describe(refused)
        row = attempt.row
        give_up = row.created_at + timedelta(hours=self.settings.mail_give_up_hours)
        if refused.code < 500 and self.clock() < give_up:
            return await asyncio.to_thread(self._retry, attempt, answer)
        outcome = await asyncio.to_thread(self._mark_failed, attempt, answer)
        if outcome is Outcome.failed and self.report_bounce is not None:
            try:
                await self.report_bounce(row, answer)
            except Exception:  # stored by the inbox if it got that far; logged either way
                log.exception("could not report the bounce of message %s", row.id)
        return outcome

    async def _after_connection_lost(self, attempt: _Attempt, error: str) -> Outcome:
        handed_over = await asyncio.to_thread(self._handed_over, attempt)
        if handed_over:
            return await asyncio.to_thread(
                self._mark_unconfirmed,
                attempt.row.id,
                attempt.token,
                f"The connection was lost while the mail server had the message ({error}).",
            )
        self.server_failures += 1
        return await asyncio.to_thread(self._retry, attempt, error, self._server_delay())

    def _server_delay(self) -> float:
        """While the mail server is away, try again soon (doubling up to a minute): its return
        should not leave mail waiting. A message's own back-off is for answers about it."""
        return float(min(2 ** max(self.server_failures - 1, 0), SERVER_RETRY_MAX_SECONDS))

    # --- rows (each in its own short transaction) ---------------------------------------------

    def _due(self, now: datetime) -> list[uuid.UUID]:
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
                    .limit(self.batch)
                ).all()
            )

    def _gather(self, now: datetime) -> list[uuid.UUID]:
        with self.sessions() as session:
            return gathering.gather(session, now)

    def _claim(self, row_id: uuid.UUID, now: datetime) -> _Attempt | None:
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
            return _Attempt(row=row, token=token)

    def _update(self, attempt: _Attempt, *conditions: Condition, **values: object) -> bool:
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

    def _mark_handed_over(self, attempt: _Attempt) -> bool:
        return self._update(
            attempt, col(OutboxMessage.status) == OutboxStatus.sending, handed_over_at=self.clock()
        )

    def _clear_handed_over(self, attempt: _Attempt) -> None:
        self._update(attempt, handed_over_at=None)

    def _handed_over(self, attempt: _Attempt) -> bool:
        with self.sessions() as session:
            row = session.get(OutboxMessage, attempt.row.id)
            return row is not None and row.handed_over_at is not None

    def _mark_sent(self, attempt: _Attempt) -> Outcome:
        ok = self._update(
            attempt,
            status=OutboxStatus.sent,
            sent_at=self.clock(),
            message_id=message_id(attempt.row.id, self.settings.mail_from_address),
            next_attempt_at=None,
            last_error=None,
        )
        if not ok:
            log.error("message %s was sent but its row was taken over", attempt.row.id)
        return Outcome.sent

    def _retry(self, attempt: _Attempt, error: str, delay: float | None = None) -> Outcome:
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

    def _mark_failed(self, attempt: _Attempt, answer: str) -> Outcome:
        ok = self._update(
            attempt,
            status=OutboxStatus.failed,
            next_attempt_at=None,
            handed_over_at=None,
            last_error=f"Refused by the receiving mail server: {answer}"[:1000],
        )
        return Outcome.failed if ok else Outcome.lost_claim

    def _mark_unconfirmed(self, row_id: uuid.UUID, token: str, why: str) -> Outcome:
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

    def _recover(self, now: datetime) -> int:
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
                self._mark_unconfirmed(
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


def _describe(error: BaseException) -> str:
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return f"{error.code} {error.message}".strip()
    return f"{type(error).__name__}: {error}".strip()


async def _reset(smtp: aiosmtplib.SMTP) -> None:
    with contextlib.suppress(Exception):
        await smtp.rset()


async def _close(smtp: aiosmtplib.SMTP | None) -> None:
    if smtp is not None:
        with contextlib.suppress(Exception):
            smtp.close()


async def _quit(smtp: aiosmtplib.SMTP | None) -> None:
    if smtp is not None and smtp.is_connected:
        with contextlib.suppress(Exception):
            await smtp.quit()
    await _close(smtp)


def from_settings(
    settings: Settings, sessions: SessionFactory, client: object | None
) -> MailDelivery:
    """Delivery as a worker runs it: signed links from the settings, bounces to the workflows."""
    from api.services.commands import Commands
    from api.services.inbox import Inbox
    from notifications.bounces import BounceReporter
    from notifications.links import Links

    links = Links(
        settings.secret_key.get_secret_value(),
        settings.base_url,
        max_age=timedelta(days=settings.link_max_age_days),
    )
    inbox = Inbox(sessions, client, task_queue=settings.task_queue)  # type: ignore[arg-type]
    return MailDelivery(
        sessions,
        settings,
        Renderer(links),
        report_bounce=BounceReporter(sessions, Commands(sessions, inbox)),
    )
