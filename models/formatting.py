"""UK formats for dates and times, shared by workflows (audit text), pages, emails and documents.

``FILTERS`` are the Jinja filters of every environment: the pages' (``api/templating.py``) and
the emails' (``notifications/render.py``).
"""

from datetime import date, datetime

from models.policy import LONDON

_MONTHS = (
    "January February March April May June July August September October November December"
).split()
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def long_date(value: date | datetime | None) -> str:
    """'14 January 2027' (a datetime is shown as its London date)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_day(value: date | datetime) -> str:
    """'Tue 14 Jan'."""
    if isinstance(value, datetime):
        value = value.astimezone(LONDON).date()
    return f"{_DAYS[value.weekday()][:3]} {value.day} {_MONTHS[value.month - 1][:3]}"


def clock_time(value: datetime) -> str:
    """'9am', '3:30pm' in London time."""
    local = value.astimezone(LONDON)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{suffix}"


def date_and_time(value: datetime | None) -> str:
    """'14 January 2027 at 9am'."""
    if value is None:
        return ""
    return f"{long_date(value)} at {clock_time(value)}"


def month_year(value: date) -> str:
    """'January 2027'."""
    return f"{_MONTHS[value.month - 1]} {value.year}"


def session_date(case: object) -> str:
    """When a session was held, as far as it is known: '11 April 2024', or 'April 2024' for a
    session recorded by its month only (never '1 April 2024')."""
    day = getattr(case, "meeting_date", None)
    if day is None:
        return ""
    if getattr(case, "meeting_month_only", False):
        return month_year(day)
    return long_date(day)


def session_on(case: object) -> str:
    """'on 11 April 2024', or 'in April 2024' for a session known only by its month."""
    when = session_date(case)
    return f"in {when}" if getattr(case, "meeting_month_only", False) else f"on {when}"


SERVICE_NAME = "Community Voice"

#: The date and time filters every Jinja environment has (pages, emails, documents).
FILTERS = {
    "long_date": long_date,
    "date_and_time": date_and_time,
    "clock_time": clock_time,
    "short_day": short_day,
    "month_year": month_year,
    "session_date": session_date,
    "session_on": session_on,
}
