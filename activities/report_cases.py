"""Which sessions belong to a report's period, read from SQL.

A session recorded with its day belongs to the period that holds that day. A session known only
by its month (stored as the 1st, ``meeting_month_only``) was held at that month's board meeting:
it belongs to a period by the day of the board meeting the calendar has in that month (the
first, if it has two), and by the 1st only when the calendar has none. So a period that starts or
ends on a real meeting day takes that month's session exactly when the meeting does.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlmodel import Session, col, select

from models.action import Action
from models.board import BoardMeeting, MeetingKind
from models.case import Case


def month_meetings(session: Session, board_id: uuid.UUID) -> dict[tuple[int, int], date]:
    """The (first) board meeting of each month in the board's calendar."""
    out: dict[tuple[int, int], date] = {}
    for meeting in session.exec(
        select(BoardMeeting)
        .where(BoardMeeting.board_id == board_id, BoardMeeting.kind == MeetingKind.board)
        .order_by(col(BoardMeeting.date))
    ).all():
        out.setdefault((meeting.date.year, meeting.date.month), meeting.date)
    return out


def held_on(case: Case, meetings: dict[tuple[int, int], date]) -> date:
    """The day a session counts as held on, for periods and order."""
    day = case.meeting_date
    if not case.meeting_month_only:
        return day
    return meetings.get((day.year, day.month), day)


def _in_order(cases: list[Case], meetings: dict[tuple[int, int], date]) -> list[Case]:
    return sorted(cases, key=lambda c: (held_on(c, meetings), c.recorded_at, str(c.id)))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def cases_between(session: Session, board_id: uuid.UUID, start: date, end: date) -> list[Case]:
    """The board's sessions held from ``start`` to ``end`` (both included), in date order."""
    meetings = month_meetings(session, board_id)
    found = session.exec(
        select(Case).where(
            Case.board_id == board_id,
            Case.meeting_date >= _month_start(start),
            Case.meeting_date <= end,
        )
    ).all()
    return _in_order([c for c in found if start <= held_on(c, meetings) <= end], meetings)


def cases_with_open_actions_before(
    session: Session, board_id: uuid.UUID, before: date
) -> list[Case]:
    """Earlier sessions (held before ``before``) with an action still open, in date order."""
    meetings = month_meetings(session, board_id)
    open_case_ids = select(Action.case_id).where(col(Action.closed_at).is_(None))
    found = session.exec(
        select(Case).where(
            Case.board_id == board_id,
            Case.meeting_date < before + timedelta(days=1),
            col(Case.id).in_(open_case_ids),
        )
    ).all()
    return _in_order([c for c in found if held_on(c, meetings) < before], meetings)
