"""Relative times as people say them: '3 days ago', 'in 40 seconds'."""

from __future__ import annotations

from datetime import datetime

_UNITS = [(86400 * 7, "week"), (86400, "day"), (3600, "hour"), (60, "minute"), (1, "second")]


def _amount(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 1:
        return "less than a second"
    for size, unit in _UNITS:
        if seconds >= size:
            n = int(seconds // size)
            return f"{n} {unit}{'' if n == 1 else 's'}"
    return "less than a second"  # pragma: no cover


def ago(moment: datetime, now: datetime) -> str:
    """'3 days ago' (or 'in 3 days' for a moment still to come)."""
    delta = (now - moment).total_seconds()
    return f"{_amount(delta)} ago" if delta >= 0 else f"in {_amount(delta)}"


def until(moment: datetime, now: datetime) -> str:
    """'in 3 days' (or 'now' once it has passed)."""
    delta = (moment - now).total_seconds()
    return f"in {_amount(delta)}" if delta > 0 else "now"


def age(moment: datetime, now: datetime) -> str:
    """'3 days' since ``moment``."""
    return _amount((now - moment).total_seconds())
