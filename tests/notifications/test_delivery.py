"""Delivery from the outbox to a real SMTP server on loopback (aiosmtpd) and real SQLite:
sent once, retried with back-off through an outage, failed for good on a 5xx, and never sent
twice across a crash (claims, the hand-over mark, unconfirmed rows)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from models.base import utcnow
from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxStatus
from notifications.delivery import MailDelivery
from notifications.links import Links
from notifications.outbox_rows import Outcome, resend
from notifications.render import Renderer
from tests.live import app_settings
from tests.mailflow import bare_case, queue_message, reload, text_part
from tests.smtp import SmtpServer


class Clock:
    def __init__(self) -> None:
        self.now = utcnow()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def delivery(
    sessions: SessionFactory,
    server: SmtpServer,
    *,
    clock: Clock | None = None,
    report: Any = None,
    **settings: Any,
) -> MailDelivery:
    values: dict[str, Any] = {**server.settings(), "mail_retry_initial_seconds": 30.0, **settings}
    return MailDelivery(
        sessions,
        app_settings(**values),
        Renderer(Links("delivery-test-" + "x" * 30, "http://127.0.0.1:9")),
        report_bounce=report,
        clock=clock or utcnow,
    )


def ids(server: SmtpServer) -> Counter[str]:
    return Counter(str(m["Message-ID"]) for m in server.messages)


async def test_a_message_is_sent_once_from_the_service_with_a_stable_message_id(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id)
    mail = delivery(sessions, smtp_server)
    first = await mail.deliver_due()
    second = await mail.deliver_due()
    assert first.outcomes == {Outcome.sent: 1} and second.outcomes == {}
    [message] = smtp_server.messages
    sent = reload(sessions, row.id)
    assert sent.status is OutboxStatus.sent and sent.sent_at is not None
    assert sent.message_id == f"<cvt.{row.id}@example.org>" == message["Message-ID"]
    assert message["From"] == "Community Voice <community-voice@example.org>"
    assert message["Reply-To"] == "eve.engagement@example.org"
    assert "Survey every flat" in text_part(message)
    assert message.get_body(("html",)) is not None


async def test_smtp_down_for_a_while_then_back_every_message_is_delivered_exactly_once(
    sessions: SessionFactory,
) -> None:
    server = SmtpServer()  # not started: connection refused
    clock = Clock()
    case_id = bare_case(sessions)
    rows = [queue_message(sessions, case_id, email=f"owner{n}@example.nhs.uk") for n in range(5)]
    mail = delivery(sessions, server, clock=clock)
    delays = []
    for _ in range(8):  # eight rounds of outage
        result = await mail.deliver_due()
        assert result.outcomes.get(Outcome.sent, 0) == 0
        tried = [r for r in (reload(sessions, r.id) for r in rows) if r.next_attempt_at]
        delays.append(max((r.next_attempt_at - clock.now).total_seconds() for r in tried))  # type: ignore[operator]
        clock.advance(60)
    assert delays[:3] == [1.0, 2.0, 4.0] and max(delays) == 60.0, "retried soon, up to a minute"
    waiting = [reload(sessions, r.id) for r in rows]
    assert all(r.status is OutboxStatus.pending for r in waiting)
    assert "Connect call failed" in (waiting[0].last_error or "")
    server.start()
    try:
        clock.advance(61)
        await mail.deliver_due()
        assert ids(server) == Counter({f"<cvt.{r.id}@example.org>": 1 for r in rows})
        assert all(reload(sessions, r.id).status is OutboxStatus.sent for r in rows)
        clock.advance(10 * 3600)
        await mail.deliver_due()
        assert len(server.messages) == 5, "nothing is sent twice afterwards"
    finally:
        server.stop()


async def test_back_off_doubles_up_to_the_maximum(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id)
    smtp_server.recorder.refuse["olu.owner@example.nhs.uk"] = "451 4.7.1 Greylisted, try later"
    mail = delivery(sessions, smtp_server, clock=clock, mail_retry_max_seconds=100.0)
    delays = []
    for _ in range(4):
        await mail.deliver_due()
        waiting = reload(sessions, row.id)
        assert waiting.status is OutboxStatus.pending
        assert "451 4.7.1 Greylisted" in (waiting.last_error or "")
        assert waiting.next_attempt_at is not None
        delays.append((waiting.next_attempt_at - clock.now).total_seconds())
        clock.now = waiting.next_attempt_at
    assert delays == [30.0, 60.0, 100.0, 100.0]
    del smtp_server.recorder.refuse["olu.owner@example.nhs.uk"]
    await mail.deliver_due()
    assert reload(sessions, row.id).status is OutboxStatus.sent
    assert len(smtp_server.messages) == 1


async def test_a_permanent_refusal_fails_the_row_and_reports_the_bounce(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    case_id = bare_case(sessions)
    bad = queue_message(sessions, case_id, email="gone@example.nhs.uk")
    good = queue_message(sessions, case_id, email="here@example.nhs.uk")
    smtp_server.recorder.refuse["gone@example.nhs.uk"] = "550 5.1.1 No such user here"
    reports: list[tuple[uuid.UUID, str]] = []

    async def report(row: OutboxMessage, answer: str) -> None:
        reports.append((row.id, answer))

    mail = delivery(sessions, smtp_server, report=report)
    result = await mail.deliver_due()
    assert result.outcomes == {Outcome.failed: 1, Outcome.sent: 1}
    failed = reload(sessions, bad.id)
    assert failed.status is OutboxStatus.failed
    assert "550 5.1.1 No such user here" in (failed.last_error or "")
    assert reports == [(bad.id, "550 5.1.1 No such user here")]
    assert reload(sessions, good.id).status is OutboxStatus.sent, "the connection carries on"
    await mail.deliver_due()
    assert len(reports) == 1 and len(smtp_server.messages) == 1


async def test_try_later_for_too_long_counts_as_a_bounce(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id, created_at=clock.now)
    smtp_server.recorder.refuse["olu.owner@example.nhs.uk"] = "452 4.2.2 Mailbox full"
    reports: list[str] = []

    async def report(_: OutboxMessage, answer: str) -> None:
        reports.append(answer)

    mail = delivery(sessions, smtp_server, clock=clock, report=report, mail_give_up_hours=2.0)
    await mail.deliver_due()
    assert reload(sessions, row.id).status is OutboxStatus.pending
    clock.advance(3 * 3600)
    await mail.deliver_due()
    assert reload(sessions, row.id).status is OutboxStatus.failed
    assert reports == ["452 4.2.2 Mailbox full"]


async def test_two_workers_sending_the_same_outbox_send_each_message_once(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    case_id = bare_case(sessions)
    rows = [queue_message(sessions, case_id, email=f"p{n}@example.org") for n in range(20)]
    one, two = delivery(sessions, smtp_server), delivery(sessions, smtp_server)
    await asyncio.gather(one.deliver_due(), two.deliver_due(), one.deliver_due())
    assert ids(smtp_server) == Counter({f"<cvt.{r.id}@example.org>": 1 for r in rows})


def _claim_as_a_worker_that_died(
    sessions: SessionFactory, row_id: uuid.UUID, *, handed_over: bool, lease_ended: datetime
) -> None:
    with sessions() as session:
        session.exec(  # type: ignore[call-overload]
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id)
            .values(
                status=OutboxStatus.sending,
                claimed_by="a-worker-that-died",
                attempts=1,
                next_attempt_at=lease_ended,
                handed_over_at=lease_ended if handed_over else None,
            )
        )
        session.commit()


async def test_a_worker_that_died_before_handing_over_leaves_a_message_that_is_sent_later(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id)
    _claim_as_a_worker_that_died(
        sessions, row.id, handed_over=False, lease_ended=clock.now + timedelta(seconds=60)
    )
    mail = delivery(sessions, smtp_server, clock=clock)
    await mail.deliver_due()
    assert reload(sessions, row.id).status is OutboxStatus.sending, "the claim still holds"
    assert smtp_server.messages == []
    clock.advance(61)
    result = await mail.deliver_due()
    assert result.recovered == 1 and result.outcomes == {Outcome.sent: 1}
    assert ids(smtp_server) == Counter({f"<cvt.{row.id}@example.org>": 1})


async def test_a_worker_that_died_after_handing_over_is_never_resent_automatically(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id)
    _claim_as_a_worker_that_died(sessions, row.id, handed_over=True, lease_ended=clock.now)
    clock.advance(1)
    mail = delivery(sessions, smtp_server, clock=clock)
    result = await mail.deliver_due()
    assert result.recovered == 1 and result.outcomes == {}
    stuck = reload(sessions, row.id)
    assert stuck.status is OutboxStatus.unconfirmed
    assert f"cvt mail resend {row.id}" in (stuck.last_error or "")
    clock.advance(86400)
    await mail.deliver_due()
    assert smtp_server.messages == [], "maybe delivered already: not sent again"
    again = resend(sessions, row.id)
    assert again.status is OutboxStatus.pending
    await mail.deliver_due()
    assert ids(smtp_server) == Counter({f"<cvt.{row.id}@example.org>": 1}), "same Message-ID"


class SlowToAnswer:
    """Keeps the message, then answers DATA too late: the sender cannot know it was kept."""

    def __init__(self) -> None:
        self.kept: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.kept.append(envelope.content)
        await asyncio.sleep(3)
        return "250 OK"


async def test_an_answer_lost_during_data_makes_the_row_unconfirmed_not_resent(
    sessions: SessionFactory,
) -> None:
    handler = SlowToAnswer()
    server = SmtpServer(handler=handler)
    server.start()
    try:
        case_id = bare_case(sessions)
        row = queue_message(sessions, case_id)
        mail = delivery(sessions, server, smtp_timeout_seconds=1.0)
        started = time.monotonic()
        result = await mail.deliver_due()
        assert time.monotonic() - started < 10
        assert result.outcomes == {Outcome.unconfirmed: 1}
        assert reload(sessions, row.id).status is OutboxStatus.unconfirmed
        await asyncio.sleep(2.5)
        await mail.deliver_due()
        assert len(handler.kept) == 1
    finally:
        server.stop()


async def test_a_message_with_no_address_is_never_sent(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    case_id = bare_case(sessions)
    row = queue_message(sessions, case_id, status=OutboxStatus.manual)
    await delivery(sessions, smtp_server).deliver_due()
    assert reload(sessions, row.id).status is OutboxStatus.manual
    assert smtp_server.messages == []


async def test_non_ascii_names_and_text_are_encoded(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    case_id = bare_case(sessions)
    queue_message(sessions, case_id, name="Zoë Ní Bhriain – Łukasz")
    await delivery(sessions, smtp_server).deliver_due()
    [message] = smtp_server.messages
    assert message["To"].addresses[0].display_name == "Zoë Ní Bhriain – Łukasz"
    assert text_part(message).startswith("Dear Zoë Ní Bhriain – Łukasz,")
