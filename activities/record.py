"""The one writer of process state: records a workflow step in one transaction, at most once.

A step carries every row it changes (case, action, log entries, escalations, outbox messages,
audit events, pending timers, command outcomes). Its key is stored in ``recorded_step`` in the
same transaction, so a retried activity (worker killed after commit, timeout, …) writes nothing
twice, and a half-written step never exists.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, select
from temporalio import activity

from activities.database import activity_session
from models.action import Action, ActionUpdate, RagChange
from models.audit import AuditEvent
from models.case import Case
from models.consent import NOT_CONTACTED, ConsentAnswer, PresenterConsent
from models.db import SessionFactory
from models.escalation import Escalation, EscalationResolution, EscalationStatus
from models.inbox import CommandOutcome, CommandStatus, InboxCommand
from models.messages import StepRecord
from models.outbox import OutboxMessage, OutboxStatus, RecipientRole
from models.presenter import Presenter
from models.timer import PendingTimer, RecordedStep

T = TypeVar("T", bound=SQLModel)


def _row(table: type[T], record: SQLModel) -> T:
    return table.model_validate(record.model_dump())


class RecordActivities:
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    @activity.defn(name="record_step")
    def record_step(self, step: StepRecord) -> bool:
        """Write ``step``; returns False when it was written before (a retry)."""
        with activity_session(self.sessions) as session:
            if session.get(RecordedStep, step.key) is not None:
                return False
            try:
                self._write(session, step)
                session.add(RecordedStep(key=step.key, recorded_at=step.at))
                session.commit()
            except IntegrityError:
                session.rollback()
                if session.get(RecordedStep, step.key) is not None:
                    return False  # another attempt of this same step won the race
                raise
        return True

    def _write(self, session: Session, step: StepRecord) -> None:
        if step.case is not None:
            session.merge(_row(Case, step.case))
            session.flush()
        for presenter in step.presenters:
            session.merge(_row(Presenter, presenter))
        for action in step.actions:
            session.merge(_row(Action, action))
        session.flush()
        _add_all(session, ActionUpdate, step.updates)
        _add_all(session, RagChange, step.rag_changes)
        _add_all(session, Escalation, step.escalations)
        _add_messages(session, step.messages)
        _add_all(session, AuditEvent, step.audit)
        session.flush()
        for resolution in step.resolutions:
            _resolve(session, resolution)
        if step.timers is not None:
            session.execute(
                delete(PendingTimer).where(col(PendingTimer.workflow_id) == step.workflow_id)
            )
            for timer in step.timers:
                session.add(
                    PendingTimer(
                        workflow_id=step.workflow_id,
                        case_id=step.case_id,
                        action_id=step.action_id,
                        **timer.model_dump(),
                    )
                )
        for outcome in step.outcomes:
            _record_outcome(session, outcome, step.at)


def _add_all(session: Session, table: type[SQLModel], records: list[Any]) -> None:
    for record in records:
        session.add(_row(table, record))


def _add_messages(session: Session, records: list[Any]) -> None:
    """The step's messages; one to a presenter who asked not to be contacted about outcomes is
    kept, not sent (their consent record, read now: the workflow does not hold it)."""
    rows = [_row(OutboxMessage, record) for record in records]
    asked = {
        str(r.facts["presenter_id"])
        for r in rows
        if r.recipient_role is RecipientRole.presenter and r.facts.get("presenter_id")
    }
    refused = (
        {
            str(c.presenter_id)
            for c in session.exec(
                select(PresenterConsent)
                .where(col(PresenterConsent.presenter_id).in_([uuid.UUID(i) for i in asked]))
                .where(col(PresenterConsent.contact_about_outcomes) == ConsentAnswer.no)
            ).all()
        }
        if asked
        else set()
    )
    for row in rows:
        if row.recipient_role is RecipientRole.presenter and (
            str(row.facts.get("presenter_id")) in refused
        ):
            row.status, row.last_error = OutboxStatus.cancelled, NOT_CONTACTED
        session.add(row)


def _resolve(session: Session, resolution: EscalationResolution) -> None:
    session.execute(
        update(Escalation)
        .where(col(Escalation.id) == resolution.escalation_id)
        .where(col(Escalation.status) == EscalationStatus.open)
        .values(
            status=EscalationStatus.resolved,
            resolved_at=resolution.resolved_at,
            resolved_by=resolution.resolved_by,
            resolution_note=resolution.note,
        )
    )


def _record_outcome(session: Session, outcome: CommandOutcome, at: datetime) -> None:
    """received or delivered → applied or rejected, as a compare-and-set: a final status is
    never overwritten, and the API marking the command delivered cannot overwrite this."""
    session.execute(
        update(InboxCommand)
        .where(col(InboxCommand.id) == outcome.command_id)
        .where(col(InboxCommand.status).in_([CommandStatus.received, CommandStatus.delivered]))
        .values(status=outcome.status, outcome_at=at, outcome_message=outcome.message)
    )
