"""The development mail catcher: a real SMTP server (aiosmtpd) writing a Maildir, keeping one
message per Message-ID, even across a restart."""

from __future__ import annotations

import mailbox
from pathlib import Path

from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxStatus
from notifications import catcher
from notifications.outbox_rows import resend
from tests.live import free_port
from tests.mailflow import bare_case, queue_message
from tests.notifications.test_delivery import delivery
from tests.smtp import SmtpServer


async def test_the_catcher_keeps_one_message_per_message_id(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    maildir = tmp_path / "mail"
    port = free_port()
    controller = catcher.serve(port, maildir)
    server = SmtpServer(port=port)  # for its settings only: the catcher is the server here
    try:
        case_id = bare_case(sessions)
        rows = [queue_message(sessions, case_id, email=f"p{n}@example.org") for n in range(2)]
        mail = delivery(sessions, server)
        await mail.deliver_due()
        assert len(mailbox.Maildir(str(maildir))) == 2
        # the same message again (e.g. resent by hand after a crash): kept once
        with sessions() as session:
            row = session.get(OutboxMessage, rows[0].id)
            assert row is not None
            row.status = OutboxStatus.unconfirmed
            session.add(row)
            session.commit()
        resend(sessions, rows[0].id)
        await mail.deliver_due()
        assert len(mailbox.Maildir(str(maildir))) == 2
    finally:
        controller.stop()
    # after a restart the catcher still knows what it has
    controller = catcher.serve(port, maildir)
    try:
        handler = controller.handler
        assert f"<cvt.{rows[1].id}@example.org>" in handler.seen
    finally:
        controller.stop()
    box = mailbox.Maildir(str(maildir))
    kept = sorted(str(box[key]["Message-ID"]) for key in box.keys())
    assert kept == sorted(f"<cvt.{r.id}@example.org>" for r in rows)
    assert all(box[key]["X-Envelope-To"] for key in box.keys())
