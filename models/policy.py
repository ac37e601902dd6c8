"""Per-board process policy: every duration of DESIGN.md §5, with its defaults.

Durations are counted in working days, calendar days or clock units. Clock units (down to
seconds) let tests and demos run the whole process quickly on a real Temporal server.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Annotated, Any, Self
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema, model_validator

from models.calendar import add_working_days

LONDON = ZoneInfo("Europe/London")

#: A London clock time as sent and answered ("09:00" or "09:00:00"). Not JSON Schema's ``time``
#: format, which demands a UTC offset this field neither takes nor sends.
CLOCK_TIME = {
    "type": "string",
    "pattern": r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$",
    "examples": ["09:00"],
}


class DurationUnit(StrEnum):
    working_days = "working_days"
    days = "days"
    hours = "hours"
    minutes = "minutes"
    seconds = "seconds"


_UNIT_WORDS = {
    "working day": DurationUnit.working_days,
    "working days": DurationUnit.working_days,
    "wd": DurationUnit.working_days,
    "day": DurationUnit.days,
    "days": DurationUnit.days,
    "d": DurationUnit.days,
    "hour": DurationUnit.hours,
    "hours": DurationUnit.hours,
    "h": DurationUnit.hours,
    "minute": DurationUnit.minutes,
    "minutes": DurationUnit.minutes,
    "min": DurationUnit.minutes,
    "second": DurationUnit.seconds,
    "seconds": DurationUnit.seconds,
    "s": DurationUnit.seconds,
}
_DURATION_TEXT = re.compile(r"^\s*(\d+)\s*([a-z_ ]+?)\s*$")


class PolicyDuration(BaseModel):
    """An amount of time as a board writes it: ``5 working days``, ``30 days``, ``10 seconds``.

    Accepts either ``{"amount": 5, "unit": "working_days"}`` or the text form.
    """

    model_config = ConfigDict(frozen=True)

    amount: int = Field(ge=0, le=100_000)
    unit: DurationUnit

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        if not isinstance(value, str):
            return value
        match = _DURATION_TEXT.match(value.lower().replace("_", " "))
        unit = _UNIT_WORDS.get(match.group(2).strip()) if match else None
        if match is None or unit is None:
            raise ValueError(
                f"'{value}' is not a duration: write a whole number and a unit, such as "
                "'5 working days', '30 days', '2 hours' or '10 seconds'"
            )
        return {"amount": int(match.group(1)), "unit": unit}

    @property
    def is_clock(self) -> bool:
        """True for hours, minutes and seconds: these never snap to a time of day."""
        return self.unit in (DurationUnit.hours, DurationUnit.minutes, DurationUnit.seconds)

    def as_timedelta(self) -> timedelta:
        """Clock and calendar-day durations as a plain ``timedelta`` (working days are not)."""
        if self.unit is DurationUnit.working_days:
            raise ValueError("working days have no fixed length")
        return timedelta(**{self.unit.value: self.amount})

    def __str__(self) -> str:
        word = self.unit.value.replace("_", " ")
        return f"{self.amount} {word[:-1] if self.amount == 1 else word}"


def _d(text: str) -> PolicyDuration:
    return PolicyDuration.model_validate(text)


class Policy(BaseModel):
    """How long each step of the process may take before a reminder or an escalation.

    A case keeps the policy it started with, so a change of policy never moves the timers of
    a running case.
    """

    model_config = ConfigDict(frozen=True)

    presenter_contact_reminder: PolicyDuration = _d("5 working days")
    presenter_contact_escalation: PolicyDuration = _d("10 working days")
    owner_naming_reminder: PolicyDuration = _d("5 working days")
    owner_naming_escalation: PolicyDuration = _d("10 working days")
    acknowledgement_reminder: PolicyDuration = _d("5 working days")
    acknowledgement_escalation: PolicyDuration = _d("10 working days")
    update_reminder: PolicyDuration = Field(
        default=_d("30 days"),
        description="No progress update for this long: the owner is reminded and RAG is amber.",
    )
    update_escalation: PolicyDuration = _d("44 days")
    amber_window: PolicyDuration = Field(
        default=_d("14 days"), description="RAG turns amber this long before the due date."
    )
    quarterly_cutoff: PolicyDuration = Field(
        default=_d("14 days"),
        description="The quarterly report is drafted this long before the board that receives it.",
    )
    elg_digest_lead: PolicyDuration = Field(
        default=_d("5 working days"),
        description="The ELG digest is sent this long before each ELG meeting.",
    )
    annual_draft_month_day: str = Field(
        default="11-01", pattern=r"^\d{2}-\d{2}$", description="Annual report draft date (MM-DD)."
    )
    send_time: Annotated[time, WithJsonSchema(CLOCK_TIME)] = Field(
        default=time(9, 0),
        description="Reminders counted in days fire at this London time on their day.",
    )
    contact_retention: PolicyDuration = Field(
        default=_d("365 days"),
        description="Presenters' contact details are deleted this long after their case "
        "closes (a scheduled workflow, daily).",
    )
    reminder_gathering: PolicyDuration = Field(
        default=_d("1 day"),
        description="Reminders to one person are gathered into one email: at most one such "
        "email a person per period (days: per London day, sent from send_time).",
    )

    @model_validator(mode="after")
    def _escalation_after_reminder(self) -> Self:
        pairs = [
            ("presenter_contact_reminder", "presenter_contact_escalation"),
            ("owner_naming_reminder", "owner_naming_escalation"),
            ("acknowledgement_reminder", "acknowledgement_escalation"),
            ("update_reminder", "update_escalation"),
        ]
        anchor = datetime(2030, 1, 7, 12, tzinfo=LONDON)
        for reminder, escalation in pairs:
            if self.after(anchor, getattr(self, escalation)) <= self.after(
                anchor, getattr(self, reminder)
            ):
                raise ValueError(f"{escalation} must be longer than {reminder}")
        return self

    @classmethod
    def in_seconds(cls, scale: int = 1) -> Policy:
        """A policy whose whole process runs in well under a minute (tests and demos)."""

        def s(n: int) -> str:
            return f"{n * scale} seconds"

        return cls(
            presenter_contact_reminder=_d(s(3)),
            presenter_contact_escalation=_d(s(6)),
            owner_naming_reminder=_d(s(3)),
            owner_naming_escalation=_d(s(6)),
            acknowledgement_reminder=_d(s(3)),
            acknowledgement_escalation=_d(s(6)),
            update_reminder=_d(s(8)),
            update_escalation=_d(s(12)),
            amber_window=_d(s(5)),
            reminder_gathering=_d(s(4)),
        )

    def after(self, start: datetime, duration: PolicyDuration) -> datetime:
        """The moment ``duration`` after ``start``.

        Clock durations are exact. Day and working-day durations land on a London date and
        fire at ``send_time`` that day, so reminders arrive in the working morning.
        """
        if duration.is_clock:
            return start + duration.as_timedelta()
        local_day = start.astimezone(LONDON).date()
        if duration.unit is DurationUnit.working_days:
            day = add_working_days(local_day, duration.amount)
        else:
            day = local_day + timedelta(days=duration.amount)
        return datetime.combine(day, self.send_time, tzinfo=LONDON).astimezone(start.tzinfo)

    def before(self, moment: datetime, duration: PolicyDuration) -> datetime:
        """The moment ``duration`` before ``moment``, keeping its London time of day."""
        if duration.is_clock:
            return moment - duration.as_timedelta()
        local = moment.astimezone(LONDON)
        if duration.unit is DurationUnit.working_days:
            day = add_working_days(local.date(), -duration.amount)
        else:
            day = local.date() - timedelta(days=duration.amount)
        return datetime.combine(day, local.timetz()).astimezone(moment.tzinfo)


def end_of_day(day: date) -> datetime:
    """The moment a date is over in London: an action due on ``day`` is overdue from here."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=LONDON)
