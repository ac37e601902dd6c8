"""The names check of a report before approval (``services/names_check.py``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import Reader, SessionDep, require
from api.openapi import problems
from models.public_text import DecisionsWrite, NamedPersonWrite, NamesCheck
from models.staff import Permission, StaffUser
from services import names_check

router = APIRouter(prefix="/reports", tags=["reports"])

Approver = Annotated[StaffUser, Depends(require(Permission.approve_reports))]
RESPONSES = problems(
    404,
    409,
    422,
    d404="No such report.",
    d409="The report is approved already, or is an ELG digest.",
    d422="A decision cannot be taken (e.g. keeping a name without consent).",
)


@router.get("/{report_id}/names-check", responses={404: RESPONSES[404]})
def get_names_check(report_id: uuid.UUID, session: SessionDep, _: Reader) -> NamesCheck:
    """Every place the report's public text names a person the product knows, or gives an
    email address, a phone number or a curation note, with the decision taken for it."""
    return names_check.check(session=session, report_id=report_id)


@router.put("/{report_id}/names-check", responses=RESPONSES)
def decide(
    report_id: uuid.UUID, body: DecisionsWrite, session: SessionDep, user: Approver
) -> NamesCheck:
    """Decide places: ``consent`` (keep the name: only where the presenter's consent is
    recorded), ``describe`` (replace it with ``replacement``, or the suggested description),
    ``remove``, or ``keep`` (not this person; an organisation's public contact; a note that is
    right)."""
    return names_check.decide(
        session=session, report_id=report_id, writes=body.decisions, by=user.name
    )


@router.post("/{report_id}/named-people", responses=RESPONSES)
def add_named_person(
    report_id: uuid.UUID, body: NamedPersonWrite, session: SessionDep, user: Approver
) -> NamesCheck:
    """Add a name to the report's "people named in this text" list: each place it appears is
    then listed for a decision."""
    return names_check.add_named_person(
        session=session, report_id=report_id, name=body.name, by=user.name
    )


@router.delete("/{report_id}/named-people/{name}", responses=RESPONSES)
def remove_named_person(
    report_id: uuid.UUID, name: str, session: SessionDep, _: Approver
) -> NamesCheck:
    return names_check.remove_named_person(session=session, report_id=report_id, name=name)
