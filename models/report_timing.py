"""When each report is due, from a board's meeting calendar and policy (DESIGN.md §5).

Pure functions shared by the schedules (which fire at these moments) and the report activity
(which finds a run's meeting and period from its moment).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from models.policy import LONDON, Policy


def meeting_start(policy: Policy, day: date) -> datetime:
    """A meeting day at the board's send time, London."""
    return datetime.combine(day, policy.send_time, tzinfo=LONDON)


def quarterly_moment(policy: Policy, meeting_date: date) -> datetime:
    """The quarterly cut-off: the draft is made and owners asked (default 14 days before)."""
    return policy.before(meeting_start(policy, meeting_date), policy.quarterly_cutoff)


def digest_moment(policy: Policy, meeting_date: date) -> datetime:
    """The ELG digest goes out this long before the ELG meeting (default 5 working days)."""
    return policy.before(meeting_start(policy, meeting_date), policy.elg_digest_lead)


def annual_draft_day(policy: Policy, year: int) -> date:
    month, day = (int(part) for part in policy.annual_draft_month_day.split("-"))
    return date(year, month, day)


def annual_moment(policy: Policy, year: int) -> datetime:
    """The annual draft (default 1 November, for the December publication)."""
    return meeting_start(policy, annual_draft_day(policy, year))


def annual_period(policy: Policy, draft_year: int) -> tuple[date, date]:
    """The reporting year that ends before the publication: the year up to the draft day."""
    end = annual_draft_day(policy, draft_year) - timedelta(days=1)
    start = annual_draft_day(policy, draft_year - 1)
    return start, end


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (clamped to the month's last day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))
