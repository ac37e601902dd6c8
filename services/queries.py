"""Reads for the API and pages: straight from SQL, never a workflow query per row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from models.action import Action, ActionDetail, ActionUpdate, RagChange
from models.audit import AuditEvent
from models.board import Board
from models.case import Case, CaseDetail, CaseStatus, CaseSummary
from models.escalation import Escalation, EscalationStatus
from models.inbox import InboxCommand
from models.outbox import OutboxMessage
from models.presenter import Presenter
from models.timer import PendingTimer
from services import oversight
from services.errors import NotFound


def _case(session: Session, case_id: uuid.UUID) -> tuple[Case, Board]:
    row = session.exec(
        select(Case, Board).join(Board, col(Board.id) == Case.board_id).where(Case.id == case_id)
    ).first()
    if row is None:
        pending = session.exec(
            select(InboxCommand).where(
                InboxCommand.case_id == case_id, InboxCommand.kind == "start_case"
            )
        ).first()
        if pending is not None:
            raise NotFound(
                f"Case {case_id} was received ({pending.status.value}) and is not recorded yet: "
                "it will appear when the worker has processed it."
            )
        raise NotFound(f"No case with id {case_id}.")
    return row


def _summary(session: Session, case: Case, board: Board) -> dict[str, object]:
    total, open_ = session.exec(
        select(
            func.count(col(Action.id)),
            func.count(col(Action.id)).filter(col(Action.closed_at).is_(None)),
        ).where(Action.case_id == case.id)
    ).one()
    return {
        **case.model_dump(),
        "board_slug": board.slug,
        "board_name": board.name,
        "actions_total": total,
        "actions_open": open_,
    }


def get_case(*, session: Session, case_id: uuid.UUID) -> CaseDetail:
    case, board = _case(session, case_id)
    action_ids = select(Action.id).where(Action.case_id == case_id)
    return CaseDetail.model_validate(
        {
            **_summary(session, case, board),
            "presenters": session.exec(
                select(Presenter).where(Presenter.case_id == case_id).order_by(col(Presenter.seq))
            ).all(),
            "actions": session.exec(
                select(Action).where(Action.case_id == case_id).order_by(col(Action.seq))
            ).all(),
            "escalations": session.exec(
                select(Escalation)
                .where(Escalation.case_id == case_id)
                .order_by(col(Escalation.raised_at))
            ).all(),
            "timers": session.exec(
                select(PendingTimer)
                .where(
                    or_(
                        col(PendingTimer.case_id) == case_id,
                        col(PendingTimer.action_id).in_(action_ids),
                    )
                )
                .order_by(col(PendingTimer.due_at))
            ).all(),
        }
    )


def _case_filters(
    query: Any, *, board: str | None, status: CaseStatus | None, contact_due: bool
) -> Any:
    if board:
        board_id = select(Board.id).where(Board.slug == board).scalar_subquery()
        query = query.where(Case.board_id == board_id)
    if status:
        query = query.where(Case.status == status)
    if contact_due:
        query = query.where(*oversight.contact_due())
    return query


def count_cases(
    *,
    session: Session,
    board: str | None = None,
    status: CaseStatus | None = None,
    contact_due: bool = False,
) -> int:
    query = select(func.count()).select_from(Case)
    query = _case_filters(query, board=board, status=status, contact_due=contact_due)
    return int(session.exec(query).one())


def list_cases(
    *,
    session: Session,
    board: str | None = None,
    status: CaseStatus | None = None,
    contact_due: bool = False,
    offset: int = 0,
    limit: int = 100,
) -> list[CaseSummary]:
    """Newest meeting first; each with its board and its actions counted (three queries for
    any number of cases: the page of cases, their boards, their actions' counts)."""
    query = _case_filters(select(Case), board=board, status=status, contact_due=contact_due)
    query = (
        query.order_by(col(Case.meeting_date).desc(), col(Case.recorded_at), col(Case.id))
        .offset(offset)
        .limit(limit)
    )
    cases = list(session.exec(query).all())
    if not cases:
        return []
    ids = [c.id for c in cases]
    boards = {
        b.id: b
        for b in session.exec(
            select(Board).where(col(Board.id).in_({c.board_id for c in cases}))
        ).all()
    }
    counts = {
        case_id: (total, open_)
        for case_id, total, open_ in session.exec(
            select(
                Action.case_id,
                func.count(col(Action.id)),
                func.count(col(Action.id)).filter(col(Action.closed_at).is_(None)),
            )
            .where(col(Action.case_id).in_(ids))
            .group_by(col(Action.case_id))
        ).all()
    }
    return [
        CaseSummary.model_validate(
            {
                **case.model_dump(),
                "board_slug": boards[case.board_id].slug,
                "board_name": boards[case.board_id].name,
                "actions_total": counts.get(case.id, (0, 0))[0],
                "actions_open": counts.get(case.id, (0, 0))[1],
            }
        )
        for case in cases
    ]


def get_action(*, session: Session, action_id: uuid.UUID) -> ActionDetail:
    action = session.get(Action, action_id)
    if action is None:
        raise NotFound(f"No action with id {action_id}.")
    return ActionDetail.model_validate(
        {
            **action.model_dump(),
            "updates": session.exec(
                select(ActionUpdate)
                .where(ActionUpdate.action_id == action_id)
                .order_by(col(ActionUpdate.at))
            ).all(),
            "rag_history": session.exec(
                select(RagChange)
                .where(RagChange.action_id == action_id)
                .order_by(col(RagChange.at))
            ).all(),
            "escalations": session.exec(
                select(Escalation)
                .where(Escalation.action_id == action_id)
                .order_by(col(Escalation.raised_at))
            ).all(),
            "timers": session.exec(
                select(PendingTimer)
                .where(PendingTimer.action_id == action_id)
                .order_by(col(PendingTimer.due_at))
            ).all(),
        }
    )


def list_escalations(
    *,
    session: Session,
    status: EscalationStatus | None = EscalationStatus.open,
    board: str | None = None,
) -> Sequence[Escalation]:
    """Oldest first: the Community Voice Lead's queue."""
    query = select(Escalation)
    if status:
        query = query.where(Escalation.status == status)
    if board:
        query = (
            query.join(Case, col(Case.id) == Escalation.case_id)
            .join(Board, col(Board.id) == Case.board_id)
            .where(Board.slug == board)
        )
    return session.exec(query.order_by(col(Escalation.raised_at))).all()


def get_escalation(*, session: Session, escalation_id: uuid.UUID) -> Escalation:
    escalation = session.get(Escalation, escalation_id)
    if escalation is None:
        raise NotFound(f"No escalation with id {escalation_id}.")
    return escalation


def timeline(*, session: Session, case_id: uuid.UUID) -> Sequence[AuditEvent]:
    _case(session, case_id)
    return session.exec(
        select(AuditEvent)
        .where(AuditEvent.case_id == case_id)
        .order_by(col(AuditEvent.at), col(AuditEvent.step_order), col(AuditEvent.id))
    ).all()


def messages(*, session: Session, case_id: uuid.UUID) -> Sequence[OutboxMessage]:
    _case(session, case_id)
    return session.exec(
        select(OutboxMessage)
        .where(OutboxMessage.case_id == case_id)
        .order_by(col(OutboxMessage.created_at))
    ).all()


def get_command(*, session: Session, command_id: uuid.UUID) -> InboxCommand:
    command = session.get(InboxCommand, command_id)
    if command is None:
        raise NotFound(f"No command with id {command_id}.")
    return command
