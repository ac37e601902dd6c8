"""The summary of what was said, for the board's papers: written by the engagement lead,
approved by the Community Voice Lead (``services/said_summaries.py``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import Reader, SessionDep, SessionRecorder, require
from api.openapi import problems
from models.case import SaidSummaryRecord, SaidSummaryWrite
from models.staff import Permission, StaffUser
from services import said_summaries

router = APIRouter(prefix="/cases", tags=["cases"])

Approver = Annotated[StaffUser, Depends(require(Permission.approve_reports))]
NOT_FOUND = problems(404, d404="No such session (case).")


def _public(summary: SaidSummaryRecord) -> SaidSummaryRecord:
    return SaidSummaryRecord.model_validate(summary.model_dump())


@router.get("/{case_id}/said-summary", responses=NOT_FOUND)
def get_said_summary(
    case_id: uuid.UUID, session: SessionDep, _: Reader
) -> SaidSummaryRecord | None:
    """The session's summary of what was said, if one was written (``null`` if not)."""
    summary = said_summaries.get(session=session, case_id=case_id)
    return _public(summary) if summary else None


@router.put("/{case_id}/said-summary", responses=NOT_FOUND)
def write_said_summary(
    case_id: uuid.UUID, body: SaidSummaryWrite, session: SessionDep, user: SessionRecorder
) -> SaidSummaryRecord:
    """Write (or rewrite) the summary. Papers show it once the Community Voice Lead approves
    it; rewriting an approved summary withdraws the approval until it is approved again."""
    return _public(
        said_summaries.write(session=session, case_id=case_id, text=body.text, by=user.name)
    )


@router.post(
    "/{case_id}/said-summary/approve",
    responses=problems(
        404, 409, d404="No such session (case).", d409="The summary is approved already."
    ),
)
def approve_said_summary(
    case_id: uuid.UUID, session: SessionDep, user: Approver
) -> SaidSummaryRecord:
    """Approve the summary: every paper drafted from now on, and the draft rows already made,
    open the session's Action column with it."""
    return _public(said_summaries.approve(session=session, case_id=case_id, by=user.name))
