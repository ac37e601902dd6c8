"""A presenter's consent, as a record: to be named in public papers, to be contacted about
outcomes, given when and how, withdrawn when.

Presenters are members of the public. A session recorded with the intake's "they agree to be
named" tick starts with that (given how: recorded by staff); after that this record is the one
truth, changed by the presenter from their signed link or by the engagement lead on their
behalf, each change in the audit trail.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from sqlmodel import Field, SQLModel

from models.base import enum_column, utc_column
from models.text import CleanText


class ConsentAnswer(StrEnum):
    yes = "yes"
    no = "no"
    not_asked = "not_asked"


ANSWER_LABELS = {
    ConsentAnswer.yes: "Yes",
    ConsentAnswer.no: "No",
    ConsentAnswer.not_asked: "Not asked yet",
}


class ConsentRoute(StrEnum):
    in_person = "in_person"  # at the meeting
    email_link = "email_link"  # from their own signed link
    paper = "paper"  # a paper form
    recorded_by_staff = "recorded_by_staff"  # the engagement lead, on their behalf


ROUTE_LABELS = {
    ConsentRoute.in_person: "in person at the meeting",
    ConsentRoute.email_link: "by the link in their email",
    ConsentRoute.paper: "on a paper form",
    ConsentRoute.recorded_by_staff: "recorded by the engagement lead on their behalf",
}


#: Why a message to a presenter was not sent (``OutboxMessage.last_error``, on the case page).
NOT_CONTACTED = "Not sent: the presenter asked not to be contacted about outcomes"


class ConsentBase(SQLModel):
    named_in_public: ConsentAnswer = enum_column(ConsentAnswer, ConsentAnswer.not_asked)
    contact_about_outcomes: ConsentAnswer = enum_column(ConsentAnswer, ConsentAnswer.not_asked)


class PresenterConsent(ConsentBase, table=True):
    __tablename__ = "presenter_consent"

    presenter_id: uuid.UUID = Field(foreign_key="presenter.id", primary_key=True)
    given_at: datetime | None = utc_column()
    given_how: ConsentRoute | None = enum_column(ConsentRoute, None)
    withdrawn_at: datetime | None = utc_column()
    recorded_by: str | None = Field(default=None, max_length=200)
    updated_at: datetime = utc_column(nullable=False, now=True)


class ConsentWrite(CleanText, BaseModel):
    named_in_public: ConsentAnswer
    contact_about_outcomes: ConsentAnswer
    given_how: ConsentRoute = ConsentRoute.recorded_by_staff


class ConsentPublic(ConsentBase):
    presenter_id: uuid.UUID
    given_at: datetime | None
    given_how: ConsentRoute | None
    withdrawn_at: datetime | None
    recorded_by: str | None


def may_name(consent_to_publish_name: bool, record: PresenterConsent | None) -> bool:
    """Whether public papers may name the presenter: the record if there is one, else the
    intake's tick."""
    if record is not None:
        return record.named_in_public is ConsentAnswer.yes
    return consent_to_publish_name
