"""The cover sheet a board paper opens with, and the status its footer carries.

As the board's own papers: title, meeting and date, agenda item, author, presenter, purpose and
recommendation. Each comes from the board's settings (``paper_*``, on the settings page) or, where
the board has not set one, the wording below; the meeting, period and status from the report.
"""

from __future__ import annotations

from typing import Any

from models.formatting import long_date
from models.report import ReportKind, ReportRecord, ReportStatus

AGENDA_ITEM = "Community Voice: You Said, We Did"
PURPOSE = {
    ReportKind.quarterly: (
        "For information and assurance: what residents raised at Community Voice sessions, the "
        "actions the Board agreed, and what has been done."
    ),
    ReportKind.annual: (
        "For information: the You Said, We Did section of the Community Voice Lead's annual "
        "report, a public statement of what was raised and what was done."
    ),
    ReportKind.elg_digest: (
        "For information: the month's progress on Community Voice actions, for the Engagement "
        "Leads Group."
    ),
}
RECOMMENDATION = {
    ReportKind.quarterly: (
        "The Board is asked to note the progress on each action, and to agree what it will do "
        "about actions rated Red or Amber."
    ),
    ReportKind.annual: "The Board is asked to note the section and approve it for publication.",
    ReportKind.elg_digest: (
        "The Engagement Leads Group is asked to note the figures and follow up the owners not "
        "responding."
    ),
}


def status_word(report: ReportRecord) -> str:
    """The footer's status, in capitals as the board's papers have it."""
    if report.kind is ReportKind.elg_digest:
        return "FOR INFORMATION (NO APPROVAL STEP)"
    if report.status is ReportStatus.draft:
        return "DRAFT"
    return "APPROVED"


def cover_lines(report: ReportRecord, board_name: str, board: Any = None) -> list[tuple[str, str]]:
    """The cover sheet's rows, label and value, in the board's order."""

    def setting(name: str, default: str) -> str:
        value = getattr(board, f"paper_{name}", None) if board is not None else None
        return value.strip() if value and value.strip() else default

    meeting = (
        f"{board_name}, {long_date(report.meeting_date)}"
        if report.meeting_date
        else f"{board_name} (annual report)"
    )
    author = board.engagement_lead_name if board is not None else "The engagement lead"
    presenter = board.cv_lead_name if board is not None else "The Community Voice Lead"
    return [
        ("Meeting", meeting),
        ("Agenda item", setting("agenda_item", AGENDA_ITEM)),
        ("Author", setting("author", f"{author}, Engagement and Community Communications Lead")),
        ("Presenter", setting("presenter", f"{presenter}, Community Voice Lead")),
        ("Purpose", setting("purpose", PURPOSE[report.kind])),
        ("Recommendation", setting("recommendation", RECOMMENDATION[report.kind])),
        ("Period", f"{long_date(report.period_start)} to {long_date(report.period_end)}"),
        ("Status", status_word(report).capitalize()),
    ]
