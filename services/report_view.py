"""A report as people read it: one view shared by the page, Word, PDF, HTML and CSV outputs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from models.formatting import date_and_time, long_date
from models.rag import LABELS, Rag
from models.report import (
    ANNUAL_COLUMNS,
    KIND_LABELS,
    QUARTERLY_COLUMNS,
    ReportKind,
    ReportRecord,
    ReportRowRecord,
    ReportStatus,
    RowSection,
)
from models.text import printable
from services.report_cover import cover_lines, status_word

#: NHS.UK colours for RAG cells, with a text colour that keeps contrast (the word is always
#: there too: never colour alone).
RAG_COLOURS = {
    Rag.red: ("D5281B", "FFFFFF"),
    Rag.amber: ("FFB81C", "212B32"),
    Rag.green: ("007F3B", "FFFFFF"),
    Rag.blue: ("005EB8", "FFFFFF"),
    Rag.not_rated: ("E8EDEE", "212B32"),
}

SECTION_HEADINGS = {
    RowSection.period: "Sessions in this period",
    RowSection.carried_forward: "Earlier sessions with actions still open",
}


@dataclass
class Cell:
    text: str
    rag: Rag | None = None

    def __post_init__(self) -> None:
        self.text = printable(self.text)  # Word cannot hold a NUL stored before input refused it

    @property
    def fill(self) -> str | None:
        return RAG_COLOURS[self.rag][0] if self.rag else None

    @property
    def ink(self) -> str:
        return RAG_COLOURS[self.rag][1] if self.rag else "212B32"


@dataclass
class Table:
    heading: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]
    row_ids: list[str] = field(default_factory=list)


@dataclass
class ReportView:
    report: ReportRecord
    board_name: str
    title: str
    lines: list[str]
    tables: list[Table]
    figures: list[tuple[str, str]] = field(default_factory=list)
    chart_data: dict[str, Any] = field(default_factory=dict)
    digest: list[tuple[str, list[str]]] = field(default_factory=list)
    #: The cover sheet (label, value) and the footer's status word: ``report_cover``.
    cover: list[tuple[str, str]] = field(default_factory=list)
    status_word: str = "DRAFT"
    #: The digest's sections for the page: each heading's lines under their group (a partner or
    #: an owner; None where a section is not grouped).
    digest_groups: list[tuple[str, list[tuple[str | None, list[str]]]]] = field(
        default_factory=list
    )

    def __post_init__(self) -> None:
        self.title, self.board_name = printable(self.title), printable(self.board_name)
        self.lines = [printable(line) for line in self.lines]
        self.cover = [(label, printable(value)) for label, value in self.cover]

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.report.kind]


def status_text(report: ReportRecord, delivery: str | None = None) -> str:
    if report.kind is ReportKind.elg_digest:
        # A digest has no approval: it is emailed as it is made.
        return delivery or f"Made {date_and_time(report.generated_at)} and emailed to the leads"
    if report.status is ReportStatus.published:
        return f"Published {date_and_time(report.published_at)} by {report.published_by}"
    if report.status is ReportStatus.approved:
        return f"Approved {date_and_time(report.approved_at)} by {report.approved_by}"
    return "Draft: not yet approved by the Community Voice Lead"


def late_text(report: ReportRecord) -> str | None:
    if not report.late:
        return None
    return (
        f"Produced late: it was due {date_and_time(report.scheduled_for)} and was made "
        f"{date_and_time(report.generated_at)}, after a missed run was caught up."
    )


def _row_cells(row: ReportRowRecord, annual: bool) -> list[Cell]:
    rag = Rag(row.rag) if row.rag else None
    cells = [Cell(row.board_month), Cell(row.community_voice), Cell(row.action)]
    if not annual:
        cells.append(Cell(row.rag_text, rag))
    cells.append(Cell(row.comment))
    return cells


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}% ({part} of {whole})"


def figure_lines(figures: dict[str, Any]) -> list[tuple[str, str]]:
    s, a = figures["sessions"], figures["actions"]
    denominator = a["closed"] + a["open_overdue"]
    rate = (
        _percent(a["closed_on_time"], denominator)
        if denominator
        else "Not applicable: no action closed or overdue"
    )

    def days(value: float | None) -> str:
        if value is None:
            return "Not recorded"
        shown = int(value) if float(value).is_integer() else value
        return f"{shown} day{'s' if value != 1 else ''}"

    answers = figures["presenter_answers"]
    answered = sum(answers.values())
    return [
        ("Sessions held", f"{s['held']} (of which {s['no_action']} with no specific action)"),
        ("Sessions withdrawn", str(s["withdrawn"])),
        ("Sessions cancelled", str(s["cancelled"])),
        ("Sessions deferred", str(s["deferred"])),
        ("Actions agreed", str(a["agreed"])),
        ("Actions with a named owner", str(a["named_owner"])),
        ("Actions closed", str(a["closed"])),
        ("Actions closed on time", str(a["closed_on_time"])),
        ("Actions open and overdue", str(a["open_overdue"])),
        ("Actions withdrawn", str(a["withdrawn"])),
        ("On-time rate: closed on time ÷ (closed + open and overdue)", rate),
        (
            "Median time from meeting to contacting the presenters",
            days(figures["median_days_to_contact"]),
        ),
        ("Median time from meeting to closing an action", days(figures["median_days_to_closure"])),
        (
            "Presenters' answers",
            f"Met: {answers['met']}, partly met: {answers['partly']}, not met: {answers['not_met']}"
            if answered
            else "None recorded yet",
        ),
    ]


def build_view(
    report: ReportRecord,
    rows: Sequence[ReportRowRecord],
    board_name: str,
    *,
    delivery: str | None = None,
    board: Any = None,
) -> ReportView:
    """The report as people read it; ``board`` (its settings) words the cover sheet."""
    lines = [
        f"{board_name}. Period: {long_date(report.period_start)} to "
        f"{long_date(report.period_end)}.",
        status_text(report, delivery) + ".",
    ]
    if late := late_text(report):
        lines.append(late)
    annual = report.kind is ReportKind.annual
    columns = ANNUAL_COLUMNS if annual else QUARTERLY_COLUMNS
    tables = []
    for section in RowSection:
        mine = [r for r in rows if r.section is section]
        if mine or (section is RowSection.period and report.kind is not ReportKind.elg_digest):
            tables.append(
                Table(
                    heading=SECTION_HEADINGS[section],
                    columns=columns,
                    rows=[_row_cells(r, annual) for r in mine],
                    row_ids=[str(r.id) for r in mine],
                )
            )
    view = ReportView(
        report=report,
        board_name=board_name,
        title=report.title,
        lines=lines,
        tables=tables,
        cover=cover_lines(report, board_name, board),
        status_word=status_word(report),
    )
    if annual and "figures" in report.content:
        view.figures = figure_lines(report.content["figures"])
        view.chart_data = report.content["figures"]
    if report.kind is ReportKind.elg_digest:
        digest_view(view, report.content)
    return view


#: Digest sections whose lines are each about one partner or person already.
UNGROUPED = ("by_partner", "owners_not_responding")


def digest_view(view: ReportView, content: dict[str, Any]) -> None:
    """Headline figures first (as the view's figures), then every section, grouped."""
    from activities.report_digest import DIGEST_HEADINGS

    sections = content.get("sections", {})
    view.figures = [(label, value) for label, value in content.get("headline", [])]
    view.digest = [
        (heading, [printable(item["text"]) for item in sections.get(key, [])])
        for key, heading in DIGEST_HEADINGS.items()
    ]
    for key, heading in DIGEST_HEADINGS.items():
        groups: list[tuple[str | None, list[str]]] = []
        for item in sections.get(key, []):
            group = None if key in UNGROUPED else item.get("group")
            text = printable(item["text"])
            if group and text.startswith(f"{group}: "):
                text = text[len(group) + 2 :]  # the group is the heading above it
            if not groups or groups[-1][0] != group:
                groups.append((group, []))
            groups[-1][1].append(text)
        view.digest_groups.append((heading, groups))


def rag_label(value: str | None) -> str:
    return LABELS[Rag(value)] if value else "Not applicable"
