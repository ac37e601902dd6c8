"""Reminders gathered: one email a person a period (a London day by default), listing every
reminder waiting for them; sent through a real SMTP server from real SQLite rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from models.db import SessionFactory
from models.outbox import OutboxStatus
from models.policy import LONDON, Policy
from notifications.gathering import digest_due
from notifications.types import MessageType
from tests.mailflow import bare_case, outbox, queue_message, reload, text_part
from tests.notifications.test_delivery import Clock, delivery
from tests.smtp import SmtpServer

MONDAY_9AM = datetime(2027, 1, 11, 9, 0, tzinfo=LONDON)


def test_reminders_due_at_9am_go_at_9_01_and_later_ones_wait_for_the_next_morning() -> None:
    policy = Policy()
    assert digest_due(policy, MONDAY_9AM, None) == MONDAY_9AM + timedelta(minutes=1)
    sent = MONDAY_9AM + timedelta(minutes=1)
    afternoon = MONDAY_9AM.replace(hour=14)
    tuesday = datetime(2027, 1, 12, 9, 1, tzinfo=LONDON)
    assert digest_due(policy, afternoon, sent) == tuesday
    assert digest_due(policy, tuesday.replace(minute=0), sent) == tuesday


def test_a_policy_in_seconds_gathers_over_seconds() -> None:
    policy = Policy.in_seconds()
    start = MONDAY_9AM
    assert policy.reminder_gathering.as_timedelta() == timedelta(seconds=4)
    assert digest_due(policy, start, None) == start + timedelta(seconds=0.4)
    assert digest_due(policy, start, start) == start + timedelta(seconds=4.4)


async def test_one_email_a_person_lists_everything_waiting_on_them(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    clock.now = MONDAY_9AM
    case_a, case_b = bare_case(sessions), bare_case(sessions)
    olu = [
        queue_message(
            sessions, case_a, kind="owner_acknowledgement_reminder", created_at=MONDAY_9AM
        ),
        queue_message(sessions, case_b, kind="owner_update_reminder", created_at=MONDAY_9AM),
        queue_message(
            sessions,
            case_b,
            kind="owner_update_reminder",
            created_at=MONDAY_9AM,
            email="OLU.OWNER@example.nhs.uk",
        ),
    ]
    priya = queue_message(
        sessions,
        case_a,
        kind="owner_update_reminder",
        created_at=MONDAY_9AM,
        email="priya.shah@example.nhs.uk",
        name="Priya Shah",
    )
    assigned = queue_message(sessions, case_a, created_at=MONDAY_9AM)
    mail = delivery(sessions, smtp_server, clock=clock)

    first = await mail.deliver_due()
    assert first.digests == 0, "reminders due together wait a minute to go together"
    assert [m["Message-ID"] for m in smtp_server.messages] == [f"<cvt.{assigned.id}@example.org>"]

    clock.advance(61)
    result = await mail.deliver_due()
    assert result.digests == 2
    by_person = {m["To"].addresses[0].addr_spec.lower(): m for m in smtp_server.messages[1:]}
    assert set(by_person) == {"olu.owner@example.nhs.uk", "priya.shah@example.nhs.uk"}
    digest = by_person["olu.owner@example.nhs.uk"]
    assert digest["Subject"] == "3 things are waiting for you in Community Voice"
    body = text_part(digest)
    assert "1 of 3" in body and "3 of 3" in body
    assert by_person["priya.shah@example.nhs.uk"]["Subject"].startswith("Reminder: how is")

    [olu_digest] = [
        r
        for r in outbox(sessions, kind=MessageType.reminder_digest.value)
        if r.recipient_email == "olu.owner@example.nhs.uk"
    ]
    assert digest["Message-ID"] == f"<cvt.{olu_digest.id}@example.org>"
    for reminder in olu:
        gathered = reload(sessions, reminder.id)
        assert gathered.status is OutboxStatus.gathered
        assert gathered.gathered_into == olu_digest.id
    assert reload(sessions, priya.id).status is OutboxStatus.gathered

    # a reminder that fires later the same day waits for tomorrow morning's email
    clock.now = MONDAY_9AM.replace(hour=15)
    late = queue_message(sessions, case_a, kind="owner_update_reminder", created_at=clock.now)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 3
    assert reload(sessions, late.id).status is OutboxStatus.pending
    clock.now = datetime(2027, 1, 12, 9, 1, 30, tzinfo=LONDON)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 4
    assert smtp_server.messages[-1]["Subject"].startswith("Reminder: how is")
    assert reload(sessions, late.id).status is OutboxStatus.gathered


async def test_each_board_gathers_on_its_own_policy(
    sessions: SessionFactory, smtp_server: SmtpServer
) -> None:
    clock = Clock()
    slow = bare_case(sessions)
    fast = bare_case(sessions, slug="demo-fast", policy=Policy.in_seconds())
    queue_message(sessions, slow, kind="owner_update_reminder", created_at=clock.now)
    queue_message(sessions, fast, kind="owner_update_reminder", created_at=clock.now)
    mail = delivery(sessions, smtp_server, clock=clock)
    clock.advance(1)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 1, "the seconds board's reminder goes at once"
    clock.advance(2)
    queue_message(sessions, fast, kind="owner_acknowledgement_reminder", created_at=clock.now)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 1, "at most one a period"
    clock.advance(4)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 2
    clock.advance(60)
    await mail.deliver_due()
    assert len(smtp_server.messages) == 3, "the other board's after its minute of gathering"
