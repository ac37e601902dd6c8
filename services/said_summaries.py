"""A summary of what was said, for the board's papers.

The board's table opens each session's Action column with what the presenters raised. That is
the session's ``said`` text, unless the engagement lead writes a shorter summary and the
Community Voice Lead approves it; from then on every paper drafted shows the summary, and the
rows of drafts already made show it at once. Approved reports keep their rows as approved.
Writing a new summary withdraws the approval until it is approved again.
"""

from __future__ import annotations

import uuid

from sqlmodel import Session, col, select

from models.audit import ActorKind, AuditEvent
from models.base import utcnow
from models.case import Case, SaidSummary
from models.report import Report, ReportRow, ReportStatus
from models.text import forbidden_character, problem
from services.errors import Conflict, FieldError, InvalidInput, NotFound

PREFIX = "You said: "


def _case(session: Session, case_id: uuid.UUID) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"No session (case) with id {case_id}.")
    return case


def get(*, session: Session, case_id: uuid.UUID) -> SaidSummary | None:
    _case(session, case_id)
    return session.get(SaidSummary, case_id)


def write(*, session: Session, case_id: uuid.UUID, text: str, by: str) -> SaidSummary:
    """The engagement lead's summary (it waits for the Community Voice Lead's approval)."""
    _case(session, case_id)
    text = text.strip()
    if len(text) < 3:
        raise InvalidInput(FieldError("text", "write the summary (at least 3 characters)"))
    if len(text) > 5_000:
        raise InvalidInput(FieldError("text", "keep the summary to 5,000 characters or fewer"))
    if found := forbidden_character(text):
        raise InvalidInput(FieldError("text", problem(found)))
    summary = session.get(SaidSummary, case_id) or SaidSummary(
        case_id=case_id, text=text, written_by=by, written_at=utcnow()
    )
    was_approved = summary.approved_at is not None
    summary.text, summary.written_by, summary.written_at = text, by, utcnow()
    summary.approved_by = summary.approved_at = None
    session.add(summary)
    session.add(_event(case_id, by, "said_summary.written", "Summary of what was said written"))
    if was_approved:
        _show_in_drafts(session, case_id, None)
    session.commit()
    session.refresh(summary)
    return summary


def approve(*, session: Session, case_id: uuid.UUID, by: str) -> SaidSummary:
    """The Community Voice Lead approves it: papers show it from now on."""
    summary = get(session=session, case_id=case_id)
    if summary is None:
        raise NotFound("There is no summary of what was said to approve: write one first.")
    if summary.approved_at is not None:
        raise Conflict(f"This summary was approved already, by {summary.approved_by}.")
    summary.approved_by, summary.approved_at = by, utcnow()
    session.add(summary)
    session.add(_event(case_id, by, "said_summary.approved", "Summary of what was said approved"))
    _show_in_drafts(session, case_id, summary.text)
    session.commit()
    session.refresh(summary)
    return summary


def _event(case_id: uuid.UUID, by: str, verb: str, summary: str) -> AuditEvent:
    return AuditEvent(
        at=utcnow(),
        actor_kind=ActorKind.staff,
        actor_name=by,
        case_id=case_id,
        verb=verb,
        summary=summary,
    )


def _show_in_drafts(session: Session, case_id: uuid.UUID, text: str | None) -> None:
    """Draft rows of the session open with the approved summary (or, withdrawn, ``said``)."""
    case = _case(session, case_id)
    shown = text if text is not None else case.said
    for row in session.exec(
        select(ReportRow)
        .join(Report, col(Report.id) == ReportRow.report_id)
        .where(ReportRow.case_id == case_id, Report.status == ReportStatus.draft)
    ).all():
        old = row.detail.get("said")
        rest = row.action
        if old and rest.startswith(PREFIX + old.strip()):
            rest = rest[len(PREFIX + old.strip()) :].lstrip("\n")
        row.action = "\n".join(
            part for part in (f"{PREFIX}{shown.strip()}" if shown else "", rest) if part
        )
        row.detail = {
            **row.detail,
            "said": shown,
            "said_from": "summary" if text is not None else "said",
        }
        session.add(row)
