"""Which period a report run is for: the meeting it reports to (quarterly report, ELG digest)
or the year (annual report), found from the board's calendar and the run's scheduled moment.

``plan_period`` gives the report's id (from board, kind and period), dates, title, moment and
a note that says how the period was chosen; it raises ``NothingToDo`` when no meeting answers the
run (the calendar changed since).

The quarterly period runs from the last meeting that received the report to the day before this
meeting. With no earlier receiving meeting it runs from the first day of the month three months
before (so three whole months and this month up to the meeting), and says so. A person may give
either end instead (``period_start``, ``period_end``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session, col, select
from temporalio.exceptions import ApplicationError

from models.board import Board, BoardMeeting, MeetingKind
from models.formatting import date_and_time, long_date, month_year
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


def _bad_period(message: str) -> ApplicationError:
    return ApplicationError(message, type="BadPeriod", non_retryable=True)


def quarterly_period(
    meeting: date, earlier: list[date], start: date | None, end: date | None
) -> tuple[date, date, str]:
    """The period of the report to ``meeting``, and how it was chosen (in words)."""
    last = meeting - timedelta(days=1)
    if end is not None and end >= meeting:
        raise _bad_period(
            f"period_end: {long_date(end)} is not before the meeting on {long_date(meeting)}; "
            "the report covers sessions up to the day before it"
        )
    if start is not None:
        chosen_end = end or last
        if chosen_end < start:
            raise _bad_period(
                f"period_start: {long_date(start)} is after the period's end, "
                f"{long_date(chosen_end)}"
            )
        return (
            start,
            chosen_end,
            (f"Period as asked: {long_date(start)} to {long_date(chosen_end)}."),
        )
    if earlier:
        first = earlier[-1]
        why = (
            f"Period: from the last meeting that received the report ({long_date(first)}) to "
            f"{long_date(end or last)}."
        )
    else:
        first = months_before(meeting.replace(day=1), 3)
        why = (
            f"No earlier meeting in the calendar receives the quarterly report, so the period is "
            f"the three months before {month_year(meeting)} and {month_year(meeting)} up to the "
            f"meeting: {long_date(first)} to {long_date(end or last)}. To choose another start, "
            "give it (period_start; cvt report quarterly --from)."
        )
    if end is not None and end < first:
        raise _bad_period(
            f"period_end: {long_date(end)} is before the period's start, {long_date(first)}"
        )
    return first, end or last, why


def plan_period(session: Session, board: Board, input: DraftReportInput) -> dict[str, Any]:
    policy = board.policy
    kind = input.kind
    plan: dict[str, Any] = {"meeting": None}
    if kind is ReportKind.quarterly:
        meetings = _meetings(session, board, kind)
        meeting = _find_meeting(
            meetings, input, lambda d: quarterly_moment(policy, d), "quarterly report"
        )
        start, end, note = quarterly_period(
            meeting,
            [m.date for m in meetings if m.date < meeting],
            input.period_start,
            input.period_end,
        )
        plan.update(
            meeting=meeting,
            start=start,
            end=end,
            note=note,
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
            note=f"Period: {date_and_time(after)} to {date_and_time(moment)}"
            + ("." if earlier else " (no earlier ELG meeting: the month before)."),
            key=meeting.isoformat(),
            moment=moment,
            title=f"Engagement Leads Group digest for the meeting on {long_date(meeting)}",
        )
    else:
        if input.period_start and input.period_end:
            start, end = input.period_start, input.period_end
            note = f"Period as asked: {long_date(start)} to {long_date(end)}."
        else:
            start, end = annual_period(policy, input.scheduled_for.astimezone(LONDON).year)
            note = f"Period: the reporting year, {long_date(start)} to {long_date(end)}."
        if end < start:
            raise _bad_period("period_end: the period ends before it starts")
        plan.update(
            start=start,
            end=end,
            note=note,
            key=f"{start.isoformat()}..{end.isoformat()}",
            moment=input.scheduled_for,
            title=f"Annual report: You Said, We Did, {month_year(start)} to {month_year(end)}",
        )
    plan["id"] = report_id_for(board.id, kind, plan["key"])
    return plan
