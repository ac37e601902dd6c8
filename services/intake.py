"""Intake: turn a recorded session into the input of its case workflow.

Checks what the schema cannot (the board, owners and partners exist; the meeting is not in the
future), resolves directory ids into the names the workflow needs, and assigns the ids.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import Session, select

from models.action import (
    ActionAsRecorded,
    ActionCreate,
    ActionRecord,
    ActionUpdateRecord,
    UpdateKind,
    new_action_record,
)
from models.audit import Actor
from models.board import Board
from models.case import CaseCreate, CaseOutcome, CaseRecord
from models.formatting import long_date
from models.messages import CaseInput, CaseState, LeadContacts
from models.partner import Owner, OwnerRef, Partner
from models.policy import LONDON
from models.presenter import PresenterCreate, PresenterRecord
from models.rag import Rag
from services.errors import FieldError, InvalidInput


def get_board(session: Session, slug: str, *, field: str = "board") -> Board:
    board = session.exec(select(Board).where(Board.slug == slug)).first()
    if board is None:
        known = ", ".join(b.slug for b in session.exec(select(Board)).all()) or "none yet"
        raise InvalidInput(FieldError(field, f"there is no board '{slug}'; use one of: {known}"))
    return board


def owner_ref(session: Session, owner_id: uuid.UUID, *, field: str) -> OwnerRef:
    owner = session.get(Owner, owner_id)
    if owner is None or not owner.active:
        raise InvalidInput(
            FieldError(
                field,
                f"there is no active owner with id {owner_id}; choose one from the directory "
                "(GET /api/v1/owners) or add them first",
            )
        )
    partner = session.get(Partner, owner.partner_id)
    assert partner is not None
    return OwnerRef(
        id=owner.id,
        name=owner.name,
        email=owner.email,
        partner_id=partner.id,
        partner_name=partner.name,
    )


def partner_name(session: Session, partner_id: uuid.UUID | None, *, field: str) -> str | None:
    if partner_id is None:
        return None
    partner = session.get(Partner, partner_id)
    if partner is None:
        raise InvalidInput(
            FieldError(field, f"there is no partner with id {partner_id}; see GET /api/v1/partners")
        )
    return partner.name


def leads(board: Board) -> LeadContacts:
    return LeadContacts(
        engagement_lead_name=board.engagement_lead_name,
        engagement_lead_email=board.engagement_lead_email,
        cv_lead_name=board.cv_lead_name,
        cv_lead_email=board.cv_lead_email,
    )


def check_meeting_date(meeting_date: date, now: datetime) -> None:
    today = now.astimezone(LONDON).date()
    if meeting_date > today:
        raise InvalidInput(
            FieldError(
                "meeting_date",
                f"{long_date(meeting_date)} is in the future: record a session after the board "
                "has met",
            )
        )


def check_theme(outcome: CaseOutcome, theme: str | None) -> None:
    if outcome is CaseOutcome.held and not theme:
        raise InvalidInput(FieldError("theme", "say what the session was about"))


def new_action(
    session: Session,
    spec: ActionCreate,
    *,
    case_id: uuid.UUID,
    seq: int,
    at: datetime,
    field: str,
    action_id: uuid.UUID | None = None,
    gaps: list[str] | None = None,
    recorded: ActionAsRecorded | None = None,
    meeting_date: date | None = None,
) -> ActionRecord:
    owner = owner_ref(session, spec.owner_id, field=f"{field}.owner_id") if spec.owner_id else None
    return new_action_record(
        action_id=action_id or uuid.uuid4(),
        case_id=case_id,
        seq=seq,
        text=spec.text,
        at=at,
        owner=owner,
        owner_as_written=spec.owner_as_written,
        partner_id=spec.partner_id,
        partner_name=partner_name(session, spec.partner_id, field=f"{field}.partner_id"),
        due_date=spec.due_date,
        due_at=spec.due_at,
        gaps=gaps,
        recorded=recorded,
        meeting_date=meeting_date,
    )


def case_input(
    session: Session,
    body: CaseCreate,
    *,
    actor: Actor,
    now: datetime,
    command_id: uuid.UUID | None = None,
    case_id: uuid.UUID | None = None,
    historical: bool = False,
    source_ref: str | None = None,
    gaps: list[str] | None = None,
    action_gaps: list[list[str]] | None = None,
    outcome_reflection: str | None = None,
    meeting_month_only: bool = False,
    noted: list[str] | None = None,
    recorded: list[ActionAsRecorded] | None = None,
) -> CaseInput:
    """The input that starts the case workflow for ``body``; raises ``InvalidInput``."""
    board = get_board(session, body.board)
    if not historical:
        check_meeting_date(body.meeting_date, now)
        check_theme(body.outcome, body.theme)
    case_id = case_id or uuid.uuid4()
    record = CaseRecord(
        id=case_id,
        board_id=board.id,
        meeting_date=body.meeting_date,
        outcome=body.outcome,
        theme=body.theme,
        said=body.said,
        historical=historical,
        source_ref=source_ref,
        gaps=list(gaps or []),
        outcome_reflection=outcome_reflection,
        meeting_month_only=meeting_month_only,
        noted=list(noted or []),
        recorded_at=now,
        recorded_by=actor.name,
    )
    actions = [
        new_action(
            session,
            spec,
            case_id=case_id,
            seq=index + 1,
            at=now,
            field=f"actions.{index}",
            action_id=uuid.uuid5(case_id, f"action-{index + 1}"),
            gaps=(action_gaps or [])[index] if action_gaps else None,
            recorded=_as_recorded(recorded, index) if historical else None,
            meeting_date=body.meeting_date,
        )
        for index, spec in enumerate(body.actions)
    ]
    logs = [
        ActionUpdateRecord(
            id=uuid.uuid5(action.id, f"update-{n}"),
            action_id=action.id,
            case_id=case_id,
            at=u.at,
            kind=UpdateKind(u.kind),
            text=u.text,
            author_name=u.author,
            author_kind=u.author_kind,
            rag_at_time=Rag(u.rag_at_time),
        )
        for index, action in enumerate(actions)
        if historical
        for n, u in enumerate(_as_recorded(recorded, index).updates, start=1)
    ]
    return CaseInput(
        state=CaseState(
            recorded_updates=logs,
            record=record,
            presenters=[_presenter(p, case_id, i + 1) for i, p in enumerate(body.presenters)],
            board_name=board.name,
            leads=leads(board),
            policy=board.policy,
            started_by=actor,
            start_command_id=command_id,
            unstarted_actions=actions,
        )
    )


def _as_recorded(recorded: list[ActionAsRecorded] | None, index: int) -> ActionAsRecorded:
    """What the record says of action ``index``: not known, unless it says."""
    if recorded and index < len(recorded):
        return recorded[index]
    return ActionAsRecorded()


def _presenter(p: PresenterCreate, case_id: uuid.UUID, seq: int) -> PresenterRecord:
    return PresenterRecord(
        id=uuid.uuid5(case_id, f"presenter-{seq}"),
        case_id=case_id,
        seq=seq,
        **p.model_dump(),
    )
