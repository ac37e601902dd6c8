"""A report as a PDF board paper (fpdf2, with the layout of ``pdf_layout``).

The cover sheet first (``report_cover``), then the report; every page's footer gives the title,
the status (DRAFT / APPROVED) and page n of N. Headings are never the last line of a page, each
chart is followed by its description in words, and table rows are the view's cells, the same
text as Word, HTML and CSV.
"""

from __future__ import annotations

from services.pdf_layout import INK, Cell, Grid, Paper, png_height
from services.report_charts import charts
from services.report_view import ReportView

WIDTHS = {4: (3.0, 6.5, 8.0, 9.2), 5: (2.6, 5.4, 7.4, 2.8, 8.5)}
HEADER_FILL = (232, 237, 238)
CHART_WIDTH = 200.0
LINE = 4.6  # mm, one line of body text


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


def _scaled(pdf: Paper, parts: tuple[float, ...]) -> list[float]:
    full = pdf.w - pdf.l_margin - pdf.r_margin
    return [full * p / sum(parts) for p in parts]


def to_pdf(view: ReportView) -> bytes:
    pdf = Paper(view.title, view.status_word)
    pdf.set_title(view.title)
    pdf.set_lang("en-GB")
    pdf.set_text_color(*INK)
    cover(pdf, view)
    pdf.add_page()
    pdf.heading(view.title, 13, keep=LINE)
    for line in view.lines:
        pdf.paragraph(line)
    if view.figures:
        figures(pdf, view)
    for title, items in view.digest:
        pdf.heading(title, 11, keep=LINE)
        for text in items or ["None this month."]:
            pdf.paragraph(f"• {text}")
    for table_view in view.tables:
        columns = table_view.columns
        grid = Grid(pdf, _scaled(pdf, WIDTHS[len(columns)]))
        header = [Cell(name, fill=HEADER_FILL, bold=True) for name in columns]
        first = _cells(table_view.rows[0]) if table_view.rows else None
        pdf.heading(
            table_view.heading,
            11,
            keep=grid.height(header) + (grid.height(first, most=3) if first else LINE),
        )
        if not table_view.rows:
            pdf.paragraph("No sessions in this period.")
            continue
        grid.start(header, first)
        for row_cells in table_view.rows:
            grid.row(_cells(row_cells))
    pdf.footers()
    return bytes(pdf.output())


def _cells(row: list) -> list[Cell]:  # type: ignore[type-arg]
    out = []
    for shown in row:
        if shown.rag is None:
            out.append(Cell(shown.text))
        else:
            out.append(
                Cell(shown.text, fill=_rgb(shown.fill), ink=_rgb(shown.ink), bold_first=True)
            )
    return out


def cover(pdf: Paper, view: ReportView) -> None:
    """The board's cover sheet: the title, then one row a field."""
    pdf.add_page()
    pdf.heading(view.title, 16, keep=20)
    pdf.set_y(pdf.get_y() + 4)
    grid = Grid(pdf, _scaled(pdf, (1.0, 4.0)), size=10, step=5.2)
    for label, value in view.cover:
        grid.row([Cell(label, fill=HEADER_FILL, bold=True), Cell(value)])


def figures(pdf: Paper, view: ReportView) -> None:
    grid = Grid(pdf, _scaled(pdf, (3.0, 2.0)))
    first = [Cell(view.figures[0][0]), Cell(view.figures[0][1])]
    pdf.heading("Figures", 11, keep=grid.height(first))
    for label, value in view.figures:
        grid.row([Cell(label), Cell(value)])
    tallest = pdf.bottom - pdf.t_margin - 20  # a chart, its heading and a line fit a page
    for chart in charts(view):
        width = CHART_WIDTH * min(1.0, tallest / png_height(chart.png, CHART_WIDTH))
        pdf.heading(chart.title, 10, keep=png_height(chart.png, width) + LINE)
        pdf.image_with(chart.png, width, chart.alt)
        pdf.paragraph(f"Description: {chart.alt}", size=8.5, step=4.2)
