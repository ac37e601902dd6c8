"""Working-day arithmetic over England and Wales bank holidays.

The bank holidays ship as data (``models/bank_holidays.py``, generated from the ``holidays``
package) so that workflows, API and reports count the same days, deterministically.
"""

from __future__ import annotations

from datetime import date, timedelta

from models.bank_holidays import BANK_HOLIDAYS, FIRST_YEAR, LAST_YEAR

_HOLIDAYS = frozenset(date.fromisoformat(day) for day in BANK_HOLIDAYS)


def bank_holiday_name(day: date) -> str | None:
    return BANK_HOLIDAYS.get(day.isoformat())


def is_working_day(day: date) -> bool:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"bank holidays are known for {FIRST_YEAR}–{LAST_YEAR}, not {day.year}")
    return day.weekday() < 5 and day not in _HOLIDAYS


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (``day`` itself never counts).

    ``add_working_days(Friday, 1)`` is the next Monday, or Tuesday when Monday is a bank holiday.
    A negative ``count`` counts back.
    """
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    current = day
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
