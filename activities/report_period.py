"""Which period a report run is for: the meeting it reports to (quarterly report, ELG digest)
or the year (annual report), found from the board's calendar and the run's scheduled moment.

``plan_period`` gives the report's id (from board, kind and period), dates, title and moment; it
raises ``NothingToDo`` when no meeting answers the run (the calendar changed since).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError

from models.board import Board, BoardMeeting, MeetingKind
from models.formatting import long_date, month_year
from models.policy import LONDON
from models.report import DraftReportInput, ReportKind, report_id_for
from models.report_timing import annual_period, digest_moment, months_before, quarterly_moment

#: A scheduled moment matches a meeting's moment within this much (clock skew, rounding).
MATCH_TOLERANCE = timedelta(seconds=60)


class NothingToDo(Exception):
    """No meeting or period answers this run (the calendar changed): nothing is drafted."""


def _meetings(session: Session, board: Board, kind: ReportKind) -> list[BoardMeeting]:
    query = select(BoardMeeting).where(BoardMeeting.board_id == board.id)
    if kind is ReportKind.quarterly:
        query = query.where(
            BoardMeeting.kind == MeetingKind.board, col(BoardMeeting.receives_quarterly_report)
        )
    else:
        query = query.where(BoardMeeting.kind == MeetingKind.elg)
    return list(session.exec(query.order_by(col(BoardMeeting.date))).all())


def _find_meeting(
    meetings: list[BoardMeeting], input: DraftReportInput, moment_of: Any, what: str
) -> date:
    if input.meeting_date is not None:
        return input.meeting_date
    for m in meetings:
        if abs(moment_of(m.date) - input.scheduled_for) <= MATCH_TOLERANCE:
            return m.date
    raise NothingToDo(
        f"No {what} is due at {input.scheduled_for.isoformat()}: the meeting calendar may have "
        "changed since the schedule was set."
    )


def plan_period(session: Session, board: Board, input: DraftReportInput) -> dict[str, Any]:
    policy = board.policy
    kind = input.kind
    plan: dict[str, Any] = {"meeting": None}
    if kind is ReportKind.quarterly:
        meetings = _meetings(session, board, kind)
        meeting = _find_meeting(
            meetings, input, lambda d: quarterly_moment(policy, d), "quarterly report"
        )
        earlier = [m.date for m in meetings if m.date < meeting]
        plan.update(
            meeting=meeting,
            start=earlier[-1] if earlier else months_before(meeting, 3),
            end=meeting - timedelta(days=1),
            key=meeting.isoformat(),
            moment=quarterly_moment(policy, meeting),
            title=f"You Said, We Did: report to the {board.name} on {long_date(meeting)}",
        )
    elif kind is ReportKind.elg_digest:
        meetings = _meetings(session, board, kind)
        meeting = _find_meeting(meetings, input, lambda d: digest_moment(policy, d), "ELG digest")
        moment = digest_moment(policy, meeting)
        earlier = [m.date for m in meetings if m.date < meeting]
        after = (
            digest_moment(policy, earlier[-1])
            if earlier
            else datetime.combine(
                months_before(moment.astimezone(LONDON).date(), 1), moment.timetz()
            )
        )
        plan.update(
            meeting=meeting,
            after=after,
            until=moment,
            start=after.astimezone(LONDON).date(),
            end=moment.astimezone(LONDON).date(),
            key=meeting.isoformat(),
            moment=moment,
            title=f"Engagement Leads Group digest for the meeting on {long_date(meeting)}",
        )
    else:
        if input.period_start and input.period_end:
            start, end = input.period_start, input.period_end
        else:
            start, end = annual_period(policy, input.scheduled_for.astimezone(LONDON).year)
        if end < start:
            raise ApplicationError(
                "The period ends before it starts.", type="BadPeriod", non_retryable=True
            )
        plan.update(
            start=start,
            end=end,
            key=f"{start.isoformat()}..{end.isoformat()}",
            moment=input.scheduled_for,
            title=f"Annual report: You Said, We Did, {month_year(start)} to {month_year(end)}",
        )
    plan["id"] = report_id_for(board.id, kind, plan["key"])
    return plan
