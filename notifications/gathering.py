"""Reminders gathered: at most one reminder email a person per period of the board's policy.

Reminder rows (``REMINDER_KINDS``) are never sent one by one. When a person's earliest waiting
reminder is due, every reminder waiting for them (on that board) goes into one new outbox row of
kind ``reminder_digest``; the reminders are marked ``gathered`` and point at it. The digest is
then delivered like any other message (and renders as the reminder itself when it holds one).

With the default policy (``1 day``) reminders fire at 9am London time and go out at 9:01 in one
email; one that arrives later in the day waits for the next morning's email. A policy in
seconds gathers over seconds, so tests and demos see reminders quickly.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, update
from sqlmodel import Session, col, select

from models.board import Board
from models.case import Case
from models.outbox import OutboxMessage, OutboxStatus
from models.policy import Policy
from notifications.types import REMINDER_KINDS, DigestItem, MessageType, ReminderDigest

_KINDS = sorted(k.value for k in REMINDER_KINDS)


def grace(policy: Policy) -> timedelta:
    """How long to wait after a reminder is due so that reminders due together go together."""
    period = policy.reminder_gathering
    if period.is_clock:
        return min(period.as_timedelta() / 10, timedelta(minutes=1))
    return timedelta(minutes=1)


def digest_due(policy: Policy, earliest: datetime, last_digest: datetime | None) -> datetime:
    """When the reminders waiting since ``earliest`` go out, given the person's last digest."""
    period = policy.reminder_gathering
    start = earliest
    if last_digest is not None:
        allowed = (
            last_digest + period.as_timedelta()
            if period.is_clock
            else policy.after(last_digest, period)  # the next London day, at send_time
        )
        start = max(start, allowed)
    return start + grace(policy)


def gather(session: Session, now: datetime) -> list[uuid.UUID]:
    """Make the digests that are due; returns their outbox ids. Safe to run in many workers."""
    rows = session.exec(
        select(OutboxMessage, Board)
        .join(Case, col(Case.id) == OutboxMessage.case_id)
        .join(Board, col(Board.id) == Case.board_id)
        .where(OutboxMessage.status == OutboxStatus.pending)
        .where(col(OutboxMessage.kind).in_(_KINDS))
        .order_by(col(OutboxMessage.created_at))
    ).all()
    groups: dict[tuple[str, uuid.UUID], list[OutboxMessage]] = defaultdict(list)
    boards: dict[uuid.UUID, Board] = {}
    for row, board in rows:
        if row.recipient_email:
            groups[(row.recipient_email.lower(), board.id)].append(row)
            boards[board.id] = board
    made = []
    for (email, board_id), waiting in groups.items():
        policy = boards[board_id].policy
        last = _last_digest(session, email, board_id)
        if now < digest_due(policy, waiting[0].created_at, last):
            continue
        digest_id = _make_digest(session, waiting, now)
        if digest_id is not None:
            made.append(digest_id)
    return made


def changed(result: Any) -> int:
    """Rows an UPDATE changed (a ``CursorResult``; the session's typing says ``Result``)."""
    return int(cast(CursorResult[Any], result).rowcount)


def _last_digest(session: Session, email: str, board_id: uuid.UUID) -> datetime | None:
    return session.exec(
        select(func.max(OutboxMessage.created_at))
        .join(Case, col(Case.id) == OutboxMessage.case_id)
        .where(OutboxMessage.kind == MessageType.reminder_digest.value)
        .where(func.lower(OutboxMessage.recipient_email) == email)
        .where(Case.board_id == board_id)
    ).one()


def _make_digest(session: Session, waiting: list[OutboxMessage], now: datetime) -> uuid.UUID | None:
    """One transaction: the reminders are gathered into a new row, or (raced) nothing happens."""
    digest_id = uuid.uuid4()
    ids = [r.id for r in waiting]
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids))
        .where(col(OutboxMessage.status) == OutboxStatus.pending)
        .values(status=OutboxStatus.gathered, gathered_into=digest_id)
    )
    if changed(result) != len(ids):  # another worker gathered some of them first
        session.rollback()
        return None
    first = waiting[0]
    same_case = all(r.case_id == first.case_id for r in waiting)
    same_action = same_case and all(r.action_id == first.action_id for r in waiting)
    digest = ReminderDigest(
        items=[DigestItem(outbox_id=r.id, kind=MessageType(r.kind), facts=r.facts) for r in waiting]
    )
    session.add(
        OutboxMessage(
            id=digest_id,
            kind=MessageType.reminder_digest.value,
            case_id=first.case_id,
            action_id=first.action_id if same_action else None,
            recipient_role=first.recipient_role,
            recipient_name=first.recipient_name,
            recipient_email=first.recipient_email,
            reply_to=next((r.reply_to for r in waiting if r.reply_to), None),
            facts=digest.model_dump(mode="json"),
            created_at=now,
            status=OutboxStatus.pending,
        )
    )
    session.commit()
    return digest_id
