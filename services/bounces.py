"""Bounces back to the case: a message refused for good becomes a command for its workflow.

The action's workflow raises "owner unreachable" when the current owner's address bounces; the
case's workflow raises "presenter unreachable" for a presenter, and records the rest. The command
goes through the inbox (stored first, then signalled), so a bounce is never lost, and its
idempotency key (the outbox row) means a repeated report is one command. The worker hands a
``BounceReporter`` to mail delivery as its ``report_bounce`` (``worker/mail.py``).
"""

from __future__ import annotations

from sqlmodel import select

from models.audit import Actor, ActorKind
from models.commands import ReportUndeliverableBody
from models.db import SessionFactory
from models.outbox import OutboxMessage
from notifications.types import MessageType
from services.commands import Commands
from services.errors import Conflict, NotFound

DELIVERY = Actor(kind=ActorKind.system, name="Email delivery")


class BounceReporter:
    def __init__(self, sessions: SessionFactory, commands: Commands) -> None:
        self.sessions = sessions
        self.commands = commands

    def _targets(self, row: OutboxMessage) -> list[OutboxMessage]:
        """A gathered reminder email reports on each reminder it carried."""
        if row.kind != MessageType.reminder_digest.value:
            return [row]
        with self.sessions() as session:
            gathered = session.exec(
                select(OutboxMessage).where(OutboxMessage.gathered_into == row.id)
            ).all()
        return list(gathered) or [row]

    async def __call__(self, row: OutboxMessage, answer: str) -> None:
        for target in self._targets(row):
            body = ReportUndeliverableBody(
                outbox_id=target.id,
                recipient_role=target.recipient_role.value,
                recipient_name=target.recipient_name,
                address=target.recipient_email or "",
                error=answer[:1000],
            )
            key = f"undeliverable:{target.id}"
            if target.action_id is not None:
                try:
                    await self.commands.to_action(
                        target.action_id,
                        "report_undeliverable",
                        body,
                        DELIVERY,
                        idempotency_key=key,
                        wait=False,
                    )
                    continue
                except (Conflict, NotFound):  # the action has closed: the case records it
                    pass
            if target.case_id is not None:
                await self.commands.to_case(
                    target.case_id,
                    "report_undeliverable",
                    body,
                    DELIVERY,
                    idempotency_key=key,
                    wait=False,
                )
