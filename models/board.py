"""Boards that run Community Voice, their contacts, policy and meeting calendar."""

import datetime as dt
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Self

from pydantic import EmailStr, field_validator, model_validator
from sqlmodel import Field, SQLModel

from models.base import enum_column, json_column, new_id, utc_column
from models.calendar import FIRST_YEAR, LAST_YEAR
from models.policy import Policy
from models.text import CleanText


class OfficialsInPublic(StrEnum):
    """Whether public papers may name officials (owners at partner organisations)."""

    named = "named"  # by name, with their role and organisation (the default)
    role_only = "role_only"  # by role and organisation only: a name is found by the names check


OFFICIALS_LABELS = {
    OfficialsInPublic.named: "Yes: by name, with their role and organisation",
    OfficialsInPublic.role_only: "No: by their role and organisation only",
}


class BoardBase(SQLModel):
    slug: str = Field(
        min_length=2, max_length=40, regex=r"^[a-z0-9][a-z0-9-]*$", unique=True, index=True
    )
    name: str = Field(min_length=2, max_length=200)
    engagement_lead_name: str = Field(min_length=1, max_length=200)
    engagement_lead_email: EmailStr = Field(max_length=320)
    cv_lead_name: str = Field(min_length=1, max_length=200)
    cv_lead_email: EmailStr = Field(max_length=320)
    officials_in_public: OfficialsInPublic = enum_column(OfficialsInPublic, OfficialsInPublic.named)
    # The cover sheet of the board's papers; empty means the wording in services/report_cover.
    paper_agenda_item: str | None = Field(default=None, max_length=200)
    paper_author: str | None = Field(default=None, max_length=200)
    paper_presenter: str | None = Field(default=None, max_length=200)
    paper_purpose: str | None = Field(default=None, max_length=1000)
    paper_recommendation: str | None = Field(default=None, max_length=2000)


class BoardCreate(CleanText, BoardBase):
    policy: Policy = Field(default_factory=Policy)


_REQUIRED = {
    "name",
    "engagement_lead_name",
    "engagement_lead_email",
    "cv_lead_name",
    "cv_lead_email",
    "officials_in_public",
}


class BoardUpdate(CleanText, SQLModel):
    name: str | None = Field(default=None, min_length=2, max_length=200)
    engagement_lead_name: str | None = Field(default=None, min_length=1, max_length=200)
    engagement_lead_email: EmailStr | None = None
    cv_lead_name: str | None = Field(default=None, min_length=1, max_length=200)
    cv_lead_email: EmailStr | None = None
    officials_in_public: OfficialsInPublic | None = None
    paper_agenda_item: str | None = Field(default=None, max_length=200)
    paper_author: str | None = Field(default=None, max_length=200)
    paper_presenter: str | None = Field(default=None, max_length=200)
    paper_purpose: str | None = Field(default=None, max_length=1000)
    paper_recommendation: str | None = Field(default=None, max_length=2000)
    policy: Policy | None = None

    @model_validator(mode="after")
    def _required_fields_stay(self) -> Self:
        """A field every board must have can be changed or left out, never set to null."""
        for name in sorted(self.model_fields_set & _REQUIRED):
            if getattr(self, name) is None:
                raise ValueError(f"{name}: a board must have this: leave it out to keep it")
        return self


class Board(BoardBase, table=True):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    policy_json: dict[str, Any] = json_column()
    created_at: datetime = utc_column(nullable=False, now=True)

    @property
    def policy(self) -> Policy:
        return Policy.model_validate(self.policy_json)


class BoardPublic(BoardBase):
    id: uuid.UUID
    policy: Policy


class MeetingKind(StrEnum):
    board = "board"
    elg = "elg"


class BoardMeetingBase(SQLModel):
    kind: MeetingKind = enum_column(MeetingKind, MeetingKind.board)
    date: date
    receives_quarterly_report: bool = False

    @field_validator("date")
    @classmethod
    def _within_the_calendar(cls, day: dt.date) -> dt.date:
        """Report schedules count working days from each meeting: only years whose bank
        holidays are known."""
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(f"must be in the years {FIRST_YEAR} to {LAST_YEAR}")
        return day


class BoardMeeting(BoardMeetingBase, table=True):
    __tablename__ = "board_meeting"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    board_id: uuid.UUID = Field(foreign_key="board.id", index=True)


class BoardMeetingPublic(BoardMeetingBase):
    id: uuid.UUID
    board_id: uuid.UUID
