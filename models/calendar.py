"""Working-day arithmetic over England and Wales bank holidays.

The bank holidays ship as data (``models/data/bank_holidays.json``, generated from the
``holidays`` package by ``python -m cli.bank_holidays``) so that workflows, API and reports count
the same days, deterministically. The file is read once, when this module is first imported
(outside the workflow sandbox: ``models`` is passed through).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources
from typing import Any

_DATA: dict[str, Any] = json.loads(
    resources.files("models").joinpath("data", "bank_holidays.json").read_text(encoding="utf-8")
)
FIRST_YEAR: int = _DATA["first_year"]
LAST_YEAR: int = _DATA["last_year"]
#: ``{"2025-12-25": "Christmas Day", …}``: weekdays only.
BANK_HOLIDAYS: dict[str, str] = _DATA["days"]

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
