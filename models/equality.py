"""Equality monitoring: optional and self-described. A presenter may answer (or decline) each
question; the categories are the ONS 2021 Census's for England and Wales, each with a free-text
box so a group is never hidden inside a broader one (Somali inside "African"). The acronyms
BAME and BME are never used. Reports show only aggregates, with small numbers suppressed."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import utc_column
from models.text import CleanText

DECLINED = "Prefer not to say"
#: Fewer than this many people in a group: shown as "fewer than 5", never the number.
SMALLEST_SHOWN = 5

#: ONS 2021 Census ethnic groups (England and Wales), grouped as the census groups them.
ETHNIC_GROUPS: dict[str, list[str]] = {
    "Asian, Asian British or Asian Welsh": [
        "Bangladeshi",
        "Chinese",
        "Indian",
        "Pakistani",
        "Any other Asian background",
    ],
    "Black, Black British, Black Welsh, Caribbean or African": [
        "African",
        "Caribbean",
        "Any other Black, Black British or Caribbean background",
    ],
    "Mixed or Multiple ethnic groups": [
        "White and Asian",
        "White and Black African",
        "White and Black Caribbean",
        "Any other Mixed or Multiple ethnic background",
    ],
    "White": [
        "English, Welsh, Scottish, Northern Irish or British",
        "Irish",
        "Gypsy or Irish Traveller",
        "Roma",
        "Any other White background",
    ],
    "Other ethnic group": ["Arab", "Any other ethnic group"],
}
ETHNICITIES = [c for cs in ETHNIC_GROUPS.values() for c in cs]
AGE_BANDS = [
    "Under 18",
    "18 to 24",
    "25 to 34",
    "35 to 44",
    "45 to 54",
    "55 to 64",
    "65 to 74",
    "75 or over",
]
SEXES = ["Female", "Male", "I describe myself another way"]
DISABILITY = ["Yes, limited a lot", "Yes, limited a little", "No"]
RELIGIONS = [
    "No religion",
    "Christian",
    "Buddhist",
    "Hindu",
    "Jewish",
    "Muslim",
    "Sikh",
    "Any other religion",
]

#: (field, question, choices, free-text field or None)
QUESTIONS: list[tuple[str, str, list[str], str | None]] = [
    ("ethnicity", "What is your ethnic group?", ETHNICITIES, "ethnicity_described"),
    ("age_band", "What is your age?", AGE_BANDS, None),
    ("sex", "What is your sex or gender?", SEXES, "sex_described"),
    (
        "disability",
        "Are your day-to-day activities limited because of a health problem or disability "
        "which has lasted, or is expected to last, at least 12 months?",
        DISABILITY,
        None,
    ),
    ("religion", "What is your religion?", RELIGIONS, "religion_described"),
]
DESCRIBED_LABELS = {
    "ethnicity_described": "Describe your ethnic group or background in your own words "
    "(optional), for example Somali, Bengali, Turkish Cypriot",
    "sex_described": "Describe your gender in your own words (optional)",
    "religion_described": "Describe your religion or belief in your own words (optional)",
}


class EqualityFields(SQLModel):
    """What a presenter gives: any answer may be left out or declined."""

    ethnicity: str | None = None
    ethnicity_described: str | None = Field(default=None, max_length=200)
    age_band: str | None = None
    sex: str | None = None
    sex_described: str | None = Field(default=None, max_length=200)
    disability: str | None = None
    religion: str | None = None
    religion_described: str | None = Field(default=None, max_length=200)
    declined: bool = Field(default=False, description="Declines to answer any of it.")


class EqualityAnswers(CleanText, EqualityFields):
    @model_validator(mode="after")
    def _known_choices(self) -> EqualityAnswers:
        for field, _, choices, described in QUESTIONS:
            value = getattr(self, field) or None
            if value is not None and value not in (*choices, DECLINED):
                raise ValueError(f"{field}: choose one of the answers listed")
            setattr(self, field, value)
            if described:
                setattr(self, described, (getattr(self, described) or "").strip() or None)
        if self.declined:
            for field, _, _, described in QUESTIONS:
                setattr(self, field, None)
                if described:
                    setattr(self, described, None)
        return self


class EqualityResponse(EqualityFields, table=True):
    """One presenter's answers (kept apart from their other details; erased with them)."""

    __tablename__ = "equality_response"

    presenter_id: uuid.UUID = Field(foreign_key="presenter.id", primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="case.id", index=True)
    recorded_at: datetime = utc_column(nullable=False)
    recorded_by: str = Field(max_length=200, description="'the presenter' or a staff name.")


def shown(count: int) -> str:
    """A count as a report may show it."""
    return "fewer than 5" if 0 < count < SMALLEST_SHOWN else str(count)
