"""Applying each board's retention: presenters' contact details (email address, preferred
contact route) deleted once their case has been closed for the board's ``contact_retention``,
from their row and from the messages sent to them; each case's deletion written to the audit
trail (by id: the audit trail keeps no contact details)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select
from temporalio import activity

from activities.database import activity_session
from models.audit import Actor, AuditEvent
from models.base import utcnow
from models.board import Board
from models.case import Case, CaseStatus
from models.db import SessionFactory
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.presenter import Presenter
from models.retention import CONTACT_FIELDS, RetentionInput, RetentionRemoved, RetentionResult


def _has_contact(presenter: Presenter) -> bool:
    return any(getattr(presenter, f) is not None for f in CONTACT_FIELDS)


def _forget_case(session: Session, case: Case, now: datetime, why: str) -> RetentionRemoved | None:
    presenters = [
        p
        for p in session.exec(select(Presenter).where(Presenter.case_id == case.id)).all()
        if _has_contact(p)
    ]
    if not presenters:
        return None
    emails = {p.email for p in presenters if p.email}
    removed = RetentionRemoved(case_id=case.id, presenter_ids=[p.id for p in presenters])
    for presenter in presenters:
        for field in CONTACT_FIELDS:
            setattr(presenter, field, None)
        session.add(presenter)
    messages = session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case.id)
        .where(OutboxMessage.recipient_role == RecipientRole.presenter)
    ).all()
    for message in messages:
        if message.recipient_email in emails or message.recipient_route:
            message.recipient_email = None
            message.recipient_route = None
            if message.status in (OutboxStatus.pending, OutboxStatus.manual):
                message.status = OutboxStatus.cancelled
            session.add(message)
            removed.outbox_rows += 1
    session.add(
        AuditEvent.by(
            Actor.system(),
            at=now,
            verb="retention.contact_details_deleted",
            summary=f"Contact details of {len(presenters)} presenter(s) deleted: {why}",
            case_id=case.id,
            detail={
                "presenter_ids": [str(i) for i in removed.presenter_ids],
                "fields": list(CONTACT_FIELDS),
                "outbox_rows": removed.outbox_rows,
            },
        )
    )
    return removed


class RetentionActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="apply_retention")
    def apply_retention(self, input: RetentionInput) -> RetentionResult:
        now = input.now or utcnow()
        result = RetentionResult(now=now)
        with activity_session(self.sessions) as session:
            for board in session.exec(select(Board)).all():
                keep = board.policy.contact_retention
                cutoff = board.policy.before(now, keep)
                cases = session.exec(
                    select(Case)
                    .where(Case.board_id == board.id)
                    .where(Case.status == CaseStatus.closed)
                    .where(col(Case.closed_at) <= cutoff)
                ).all()
                why = f"{keep} after the case closed"
                for case in cases:
                    removed = _forget_case(session, case, now, why)
                    if removed is not None:
                        result.removed.append(removed)
            session.commit()
        return result
