"""Presenters: the residents and community groups who told the board their experience.

Presenters are members of the public: their details are personal data. Not everyone has an
email address, so a preferred contact route is recorded instead where needed.
"""

import uuid

from pydantic import EmailStr, model_validator
from sqlmodel import Field, SQLModel

from models.base import new_id
from models.text import CleanText


class PresenterBase(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    organisation: str | None = Field(default=None, max_length=300)
    role: str | None = Field(default=None, max_length=200)
    email: EmailStr | None = Field(default=None, max_length=320)
    preferred_contact: str | None = Field(
        default=None,
        max_length=500,
        description="How to reach someone without email, e.g. 'by phone via the Carers Centre'.",
    )
    access_needs: str | None = Field(default=None, max_length=1000)
    language: str | None = Field(default=None, max_length=100)
    consent_to_publish_name: bool = Field(
        default=False, description="Whether the presenter agreed to be named in public reports."
    )

    @property
    def display_name(self) -> str:
        if self.name and self.organisation:
            return f"{self.name} ({self.organisation})"
        return self.name or self.organisation or "Unnamed presenter"

    @property
    def greeting_name(self) -> str:
        """How an email to them opens ("Dear Amina Begum,"): their name alone."""
        return self.name or self.organisation or "Unnamed presenter"


class PresenterCreate(CleanText, PresenterBase):
    @model_validator(mode="after")
    def _named_somehow(self) -> "PresenterCreate":
        if not (self.name or self.organisation):
            raise ValueError("give the presenter's name or their organisation (or both)")
        return self


class PresenterRecord(PresenterBase):
    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    seq: int = 1


class Presenter(PresenterRecord, table=True):
    pass


class PresenterPublic(PresenterBase):
    id: uuid.UUID
    case_id: uuid.UUID
