"""The messages to one presenter: by their id in the message's facts, or by their address."""

from __future__ import annotations

from sqlmodel import Session, select

from models.outbox import OutboxMessage, RecipientRole
from models.presenter import Presenter


def messages_to(session: Session, presenter: Presenter) -> list[OutboxMessage]:
    rows = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == presenter.case_id)
        .where(OutboxMessage.recipient_role == RecipientRole.presenter)
    ).all()
    return [
        m
        for m in rows
        if m.facts.get("presenter_id") == str(presenter.id)
        or (presenter.email and m.recipient_email == presenter.email)
    ]
