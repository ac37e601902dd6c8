"""Regenerate ``models/data/bank_holidays.json`` from the ``holidays`` package.

Workflows must not compute holidays at run time (the library reads locale data, which the
workflow sandbox forbids, and a library upgrade must not move a running case's timers), so the
dates ship as data, read by ``models/calendar.py``. Run ``python -m cli.bank_holidays`` after
upgrading ``holidays``; tests/models/test_calendar.py fails while the shipped list and the
library disagree.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import holidays

FIRST_YEAR, LAST_YEAR = 2000, 2099
TARGET = Path(__file__).resolve().parent.parent / "models" / "data" / "bank_holidays.json"


def england_and_wales(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> dict[date, str]:
    days = holidays.country_holidays("GB", subdiv="ENG", years=range(first, last + 1))
    return {day: name for day, name in sorted(days.items()) if day.weekday() < 5}


def render() -> str:
    data = {
        "about": (
            f"England and Wales bank holidays on weekdays, {FIRST_YEAR}-{LAST_YEAR}. Generated "
            "by 'python -m cli.bank_holidays' from the holidays package: do not edit."
        ),
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "days": {day.isoformat(): name for day, name in england_and_wales().items()},
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render(), encoding="utf-8")
