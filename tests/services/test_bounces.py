"""A bounce comes back to the case: the owner's address refused for good by a real SMTP server
becomes an "owner unreachable" escalation, raised by the action's real workflow (Temporal
time-skipping server) through the inbox."""

from __future__ import annotations

from sqlmodel import select
from temporalio.worker import Worker

from models.db import SessionFactory
from models.escalation import Escalation, EscalationRule
from models.outbox import OutboxStatus
from models.rag import Rag
from notifications.delivery import MailDelivery
from notifications.links import Links
from notifications.render import Renderer
from notifications.types import MessageType
from services.bounces import BounceReporter
from services.commands import Commands
from tests.helpers import eventually
from tests.live import app_settings
from tests.mailflow import commands_for, outbox, start_case
from tests.smtp import SmtpServer


def delivery(sessions: SessionFactory, server: SmtpServer, commands: Commands) -> MailDelivery:
    return MailDelivery(
        sessions,
        app_settings(**server.settings()),
        Renderer(Links("bounce-test-" + "x" * 30, "http://127.0.0.1:9")),
        report_bounce=BounceReporter(sessions, commands),
    )


def escalations(sessions: SessionFactory) -> list[Escalation]:
    with sessions() as session:
        return list(session.exec(select(Escalation)).all())


async def test_an_owner_whose_address_bounces_is_escalated_as_unreachable(
    ts_worker: Worker, sessions: SessionFactory, task_queue: str, smtp_server: SmtpServer
) -> None:
    commands = commands_for(sessions, ts_worker.client, task_queue)
    case_id, [action_id] = await start_case(commands, sessions, owner_email="gone@example.nhs.uk")
    smtp_server.recorder.refuse["gone@example.nhs.uk"] = (
        "550 5.1.1 <gone@example.nhs.uk>: no such user"
    )
    mail = delivery(sessions, smtp_server, commands)
    await eventually(lambda: outbox(sessions, kind=MessageType.owner_action_assigned.value))
    await mail.deliver_due()

    [assigned] = outbox(sessions, kind=MessageType.owner_action_assigned.value)
    assert assigned.status is OutboxStatus.failed
    [unreachable] = await eventually(lambda: escalations(sessions), timeout=20)
    assert unreachable.rule is EscalationRule.owner_unreachable
    assert unreachable.action_id == action_id and unreachable.case_id == case_id
    assert "550 5.1.1" in unreachable.reason
    with sessions() as session:
        from models.action import Action

        action = session.get(Action, action_id)
        assert action is not None and action.rag is Rag.red
    # The Community Voice Lead is emailed about it (and that email goes out)
    await eventually(lambda: outbox(sessions, kind=MessageType.escalation_raised.value))
    await mail.deliver_due()
    [alert] = smtp_server.by_subject("Escalation: Owner's email address bounces")
    assert alert["To"].addresses[0].addr_spec == "cara.lead@example.org"
    # the presenter's thanks went out; nothing went to the bouncing address
    assert {m["To"].addresses[0].addr_spec for m in smtp_server.messages} == {
        "amina@example.com",
        "cara.lead@example.org",
    }
