"""Delivery: the outbox to SMTP (aiosmtplib), at most once per message, retried until sent.

Where it runs: a loop in every worker process (``worker/main.py``), reading the outbox
table every ``mail_poll_seconds``. The table is the durable queue: a restart of the worker, the
API, Temporal or the mail server loses nothing, and more workers simply share the rows (each row
is claimed by one of them). It is not a Temporal workflow because there is no process logic in
it: a singleton workflow polling every second would grow a history for nothing and keep the
time-skipping test server busy. What delivery learns that matters to the process (a bounce)
goes back through the ``report_bounce`` callable the worker gives it (``worker/mail.py`` wires
``services.bounces``, which makes it a command for the workflow, through the inbox).

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

This module holds the loop and the SMTP conversation; ``outbox_rows.py`` the row changes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import policy as email_policy

import aiosmtplib

from models.base import utcnow
from models.db import SessionFactory
from models.outbox import OutboxMessage
from models.settings import Settings
from notifications.outbox_rows import Attempt, OutboxRows, Outcome
from notifications.render import Renderer, compose

log = logging.getLogger(__name__)

SERVER_RETRY_MAX_SECONDS = 60

#: Called with a row that was refused for good and the server's answer. The worker wires in
#: ``services.bounces.BounceReporter``; delivery itself knows nothing of commands or workflows.
ReportBounce = Callable[[OutboxMessage, str], Awaitable[None]]


@dataclass
class PassResult:
    digests: int = 0
    recovered: int = 0
    outcomes: dict[Outcome, int] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class _ConnectionLost(Exception):
    pass


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
        self.rows = OutboxRows(sessions, settings, clock)
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
        rows = self.rows
        result = PassResult()
        now = self.clock()
        result.recovered = await asyncio.to_thread(rows.recover, now)
        result.digests = len(await asyncio.to_thread(rows.gather, now))
        ids = await asyncio.to_thread(rows.due, now, self.batch)
        smtp: aiosmtplib.SMTP | None = None
        try:
            for row_id in ids:
                attempt = await asyncio.to_thread(rows.claim, row_id, self.clock())
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
                        rows.retry, attempt, _describe(error), self._server_delay()
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

    async def _send(self, smtp: aiosmtplib.SMTP, attempt: Attempt) -> Outcome:
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
            return await asyncio.to_thread(self.rows.retry, attempt, _describe(refused))
        except aiosmtplib.SMTPResponseException as refused:
            await _reset(smtp)
            return await self._refused(attempt, refused)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _ConnectionLost(_describe(error)) from error
        if not await asyncio.to_thread(self.rows.mark_handed_over, attempt):
            await _reset(smtp)
            return Outcome.lost_claim
        try:
            await smtp.data(data)
        except aiosmtplib.SMTPResponseException as refused:  # answered: definitely not kept
            await asyncio.to_thread(self.rows.clear_handed_over, attempt)
            await _reset(smtp)
            return await self._refused(attempt, refused)
        except (aiosmtplib.SMTPException, OSError) as error:
            raise _ConnectionLost(_describe(error)) from error
        return await asyncio.to_thread(self._mark_sent, attempt)

    async def _refused(
        self, attempt: Attempt, refused: aiosmtplib.SMTPResponseException
    ) -> Outcome:
        answer = _describe(refused)
        row = attempt.row
        give_up = row.created_at + timedelta(hours=self.settings.mail_give_up_hours)
        if refused.code < 500 and self.clock() < give_up:
            return await asyncio.to_thread(self.rows.retry, attempt, answer)
        outcome = await asyncio.to_thread(self.rows.mark_failed, attempt, answer)
        if outcome is Outcome.failed and self.report_bounce is not None:
            try:
                await self.report_bounce(row, answer)
            except Exception:  # stored by the inbox if it got that far; logged either way
                log.exception("could not report the bounce of message %s", row.id)
        return outcome

    async def _after_connection_lost(self, attempt: Attempt, error: str) -> Outcome:
        handed_over = await asyncio.to_thread(self.rows.handed_over, attempt)
        if handed_over:
            return await asyncio.to_thread(
                self.rows.mark_unconfirmed,
                attempt.row.id,
                attempt.token,
                f"The connection was lost while the mail server had the message ({error}).",
            )
        self.server_failures += 1
        return await asyncio.to_thread(self.rows.retry, attempt, error, self._server_delay())

    def _server_delay(self) -> float:
        """While the mail server is away, try again soon (doubling up to a minute): its return
        should not leave mail waiting. A message's own back-off is for answers about it."""
        return float(min(2 ** max(self.server_failures - 1, 0), SERVER_RETRY_MAX_SECONDS))

    def _mark_sent(self, attempt: Attempt) -> Outcome:
        if not self.rows.mark_sent(attempt):
            log.error("message %s was sent but its row was taken over", attempt.row.id)
        return Outcome.sent


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
