"""Test dates anchored on the next Easter, whose bank holidays (Good Friday, Easter Monday) make
working-day arithmetic visible; chosen in a year with no other bank holiday close after it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from models.calendar import BANK_HOLIDAYS
from models.policy import LONDON


def easter_week_monday(after: date) -> date:
    """The Monday before Good Friday, in the first suitable year after ``after``."""
    year = after.year
    while True:
        good_friday = next(
            date.fromisoformat(day)
            for day, name in BANK_HOLIDAYS.items()
            if name == "Good Friday" and day.startswith(str(year))
        )
        monday = good_friday - timedelta(days=4)
        window = {(monday + timedelta(days=n)).isoformat() for n in range(21)}
        easter = {good_friday.isoformat(), (good_friday + timedelta(days=3)).isoformat()}
        if monday > after and not (set(BANK_HOLIDAYS) & window) - easter:
            return monday
        year += 1


def london(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)
