"""Public text is approved text: the names check of a report before it is approved.

Before a report is approved the product lists every place its public text names a person it
knows, or gives an email address or phone number, or carries a note left by whoever typed up an
imported record. The Community Voice Lead decides each one; the decisions are kept, and the
public page and downloads are made from the approved rows with those decisions applied (consent
is checked again each time they are served).

Reports are redrafted by replacing their rows, so these tables refer to a report and its rows by
id without a foreign key; a decision applies only where the same words are still in the same
place.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel
from pydantic import Field as PayloadField
from sqlmodel import Field, SQLModel

from models.base import enum_column, new_id, utc_column
from models.text import CleanText


class FindingKind(StrEnum):
    presenter = "presenter"
    owner = "owner"
    named_person = "named_person"  # a name typed into the report's "people named" list
    email = "email"
    phone = "phone"
    curation_note = "curation_note"


KIND_LABELS = {
    FindingKind.presenter: "A presenter's name",
    FindingKind.owner: "An official's name",
    FindingKind.named_person: "A name on this report's list of people named",
    FindingKind.email: "An email address",
    FindingKind.phone: "A phone number",
    FindingKind.curation_note: "A note left when the record was typed up",
}


class Decision(StrEnum):
    consent = "consent"  # keep the name: the person agreed (only if their consent is recorded)
    describe = "describe"  # say something else instead ("a local resident", their organisation)
    remove = "remove"  # leave it out
    keep = "keep"  # not this person / an organisation's public contact / the note is right


DECISION_LABELS = {
    Decision.consent: "Keep the name: they agreed to be named",
    Decision.describe: "Replace it with a description",
    Decision.remove: "Remove it",
    Decision.keep: "Keep the words: this is not about a person the product knows",
}

#: The columns of a report row that the public sees.
PUBLIC_FIELDS = ("community_voice", "action", "comment")
FIELD_LABELS = {"community_voice": "Community Voice", "action": "Action", "comment": "Comment"}


class PublicTextDecision(SQLModel, table=True):
    """What the Community Voice Lead decided for one place in a report's public text."""

    __tablename__ = "public_text_decision"

    id: uuid.UUID = Field(primary_key=True, description="The finding's id (stable per place).")
    report_id: uuid.UUID = Field(index=True)
    row_id: uuid.UUID
    field: str = Field(max_length=40)
    start: int
    end: int
    text: str = Field(max_length=500)
    kind: FindingKind = enum_column(FindingKind)
    person_ref: str | None = Field(default=None, max_length=200)
    decision: Decision = enum_column(Decision)
    replacement: str = Field(default="", max_length=500)
    decided_by: str = Field(max_length=200)
    decided_at: datetime = utc_column(nullable=False, now=True)


class ReportNamedPerson(SQLModel, table=True):
    """A name the Community Voice Lead typed into a report's "people named in this text" list."""

    __tablename__ = "report_named_person"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    report_id: uuid.UUID = Field(index=True)
    name: str = Field(max_length=200)
    added_by: str = Field(max_length=200)
    added_at: datetime = utc_column(nullable=False, now=True)


# --- API schemas ------------------------------------------------------------------------------


class FindingPublic(BaseModel):
    id: uuid.UUID
    row_id: uuid.UUID
    board_month: str
    field: str
    field_label: str
    start: int
    end: int
    text: str
    context: str = PayloadField(description="The words around it, to see where it is.")
    kind: FindingKind
    kind_label: str
    who: list[str] = PayloadField(description="Who the product thinks it may be.")
    consent_recorded: bool = PayloadField(
        description="Every presenter it may be agreed to be named in public papers."
    )
    suggestion: str = PayloadField(description="A description to say instead.")
    decision: Decision | None = None
    replacement: str | None = None
    decided_by: str | None = None


class NamesCheck(BaseModel):
    report_id: uuid.UUID
    findings: list[FindingPublic]
    unresolved: int
    named_people: list[str]


class DecisionWrite(CleanText, BaseModel):
    id: uuid.UUID
    decision: Decision
    replacement: str | None = PayloadField(default=None, max_length=500)


class DecisionsWrite(CleanText, BaseModel):
    decisions: list[DecisionWrite] = PayloadField(max_length=2000)


class NamedPersonWrite(CleanText, BaseModel):
    name: str = PayloadField(min_length=2, max_length=200)
