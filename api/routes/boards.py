"""Boards: contacts, process policy (durations down to seconds) and the meeting calendar."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, BackgroundTasks, Request, status
from sqlmodel import select

from api.deps import BoardManager, Reader, SessionDep
from models.board import (
    Board,
    BoardCreate,
    BoardMeetingBase,
    BoardMeetingPublic,
    BoardPublic,
    BoardUpdate,
)
from services import directory
from services.report_schedules import resync_report_schedules

router = APIRouter(prefix="/boards", tags=["boards"])


def _public(board: Board) -> BoardPublic:
    return BoardPublic.model_validate({**board.model_dump(), "policy": board.policy})


@router.get("")
def list_boards(session: SessionDep, _: Reader) -> list[BoardPublic]:
    return [_public(b) for b in session.exec(select(Board).order_by(Board.name)).all()]


@router.post("", status_code=status.HTTP_201_CREATED)
def create_board(body: BoardCreate, session: SessionDep, _: BoardManager) -> BoardPublic:
    return _public(directory.create_board(session=session, body=body))


@router.get("/{slug}")
def get_board(slug: str, session: SessionDep, _: Reader) -> BoardPublic:
    return _public(directory.get_board(session=session, slug=slug))


@router.patch("/{slug}")
def update_board(
    slug: str,
    body: BoardUpdate,
    session: SessionDep,
    _: BoardManager,
    request: Request,
    later: BackgroundTasks,
) -> BoardPublic:
    """Change contacts or policy. Running cases keep the policy they started with."""
    board = _public(directory.update_board(session=session, slug=slug, body=body))
    later.add_task(resync_report_schedules, request, slug)
    return board


@router.get("/{slug}/meetings")
def list_meetings(slug: str, session: SessionDep, _: Reader) -> Sequence[BoardMeetingPublic]:
    return directory.list_meetings(session=session, slug=slug)  # type: ignore[return-value]


@router.post("/{slug}/meetings", status_code=status.HTTP_201_CREATED)
def add_meeting(
    slug: str,
    body: BoardMeetingBase,
    session: SessionDep,
    _: BoardManager,
    request: Request,
    later: BackgroundTasks,
) -> BoardMeetingPublic:
    """Add a board or ELG meeting; the board's report schedules follow the calendar."""
    meeting = directory.add_meeting(session=session, slug=slug, body=body)
    later.add_task(resync_report_schedules, request, slug)
    return meeting  # type: ignore[return-value]
