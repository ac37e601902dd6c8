"""A report as a board paper: Word (python-docx), PDF (fpdf2), CSV, and charts (matplotlib).

Every output is made from the report's frozen rows and figures, so the same report always
gives the same document. RAG cells are coloured and worded. Fonts are DejaVu, shipped with
matplotlib, so a fresh machine needs nothing from the operating system.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from pathlib import Path

from models.rag import Rag
from models.text import printable
from services import csv_files
from services.report_view import RAG_COLOURS, ReportView

FONT_DIR = Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf"


@dataclass
class Chart:
    title: str
    alt: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


# --- charts -----------------------------------------------------------------------------------

_SERIES = [
    ("blue", "Complete", "#005EB8", ""),
    ("green", "Green", "#007F3B", ""),
    ("amber", "Amber", "#FFB81C", "//"),
    ("red", "Red", "#D5281B", "xx"),
    ("not_rated", "Not rated — historical record", "#AEB7BD", ".."),
]


def charts(view: ReportView) -> list[Chart]:
    data = view.chart_data
    if not data:
        return []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = []
    series = data.get("rag_over_time", [])
    if series:
        fig, ax = plt.subplots(figsize=(9, 3.6), dpi=110)
        months = [m["month"] for m in series]
        bottom = [0] * len(series)
        for key, label, colour, hatch in _SERIES:
            values = [m[key] for m in series]
            if any(values):
                ax.bar(
                    months,
                    values,
                    bottom=bottom,
                    label=label,
                    color=colour,
                    hatch=hatch,
                    edgecolor="white",
                )
                bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_title("RAG rating of actions at the end of each month")
        ax.set_ylabel("Actions")
        ax.tick_params(axis="x", labelrotation=45)
        ax.legend(loc="upper left", fontsize="small", frameon=False)
        fig.tight_layout()
        last = series[-1]
        alt = (
            f"Stacked bars, one a month from {months[0]} to {months[-1]}. At the end: "
            + ", ".join(f"{label} {last[key]}" for key, label, _, _ in _SERIES)
            + "."
        )
        out.append(Chart("RAG over time", alt, _png(fig, plt)))
    partners = data.get("actions_by_partner", [])
    if partners:
        fig, ax = plt.subplots(figsize=(9, max(2.4, 0.9 + 0.45 * len(partners))), dpi=110)
        names = [printable(p["partner"])[:45] for p in partners][::-1]
        ax.barh(names, [p["agreed"] for p in partners][::-1], color="#AEB7BD", label="Agreed")
        ax.barh(
            names,
            [p["closed"] for p in partners][::-1],
            color="#005EB8",
            label="Closed",
            hatch="//",
            edgecolor="white",
        )
        ax.set_title("Actions by partner: agreed and closed")
        ax.set_xlabel("Actions")
        ax.legend(loc="lower right", fontsize="small", frameon=False)
        fig.tight_layout()
        alt = "Bars per partner. " + "; ".join(
            f"{printable(p['partner'])}: {p['agreed']} agreed, {p['closed']} closed"
            for p in partners
        )
        out.append(Chart("Actions by partner", alt, _png(fig, plt)))
    return out


def _png(fig: object, plt: object) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[attr-defined]
    return buffer.getvalue()


# --- Word -------------------------------------------------------------------------------------


def to_docx(view: ReportView) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = view.title
    doc.add_heading(view.title, level=1)
    for line in view.lines:
        doc.add_paragraph(line)
    if view.figures:
        doc.add_heading("Figures", level=2)
        figures = doc.add_table(rows=0, cols=2)
        figures.style = "Table Grid"
        for label, value in view.figures:
            cells = figures.add_row().cells
            cells[0].text, cells[1].text = label, value
        for chart in charts(view):
            doc.add_heading(chart.title, level=3)
            doc.add_picture(io.BytesIO(chart.png), width=Cm(24))
            doc.add_paragraph(chart.alt).runs[0].italic = True
    for heading, items in view.digest:
        doc.add_heading(heading, level=2)
        for text in items or ["None this month."]:
            doc.add_paragraph(text, style="List Bullet")
    widths = {4: [3.0, 6.5, 8.0, 9.2], 5: [2.6, 5.4, 7.4, 2.8, 8.5]}
    for table_view in view.tables:
        doc.add_heading(table_view.heading, level=2)
        table = doc.add_table(rows=1, cols=len(table_view.columns))
        table.style = "Table Grid"
        header = table.rows[0]
        _repeat_header(header, OxmlElement, qn)
        for cell, name in zip(header.cells, table_view.columns, strict=True):
            cell.text = ""
            run = cell.paragraphs[0].add_run(name)
            run.bold = True
        for row_cells in table_view.rows:
            cells = table.add_row().cells
            for cell, shown in zip(cells, row_cells, strict=True):
                lines = shown.text.split("\n")
                paragraph = cell.paragraphs[0]
                for index, line in enumerate(lines):
                    if index:
                        paragraph = cell.add_paragraph()
                    run = paragraph.add_run(line)
                    if shown.rag is not None:
                        run.bold = index == 0
                        run.font.color.rgb = RGBColor.from_string(shown.ink)
                if shown.fill:
                    shading = OxmlElement("w:shd")
                    shading.set(qn("w:val"), "clear")
                    shading.set(qn("w:color"), "auto")
                    shading.set(qn("w:fill"), shown.fill)
                    cell._tc.get_or_add_tcPr().append(shading)
        for row in table.rows:
            for cell, width in zip(row.cells, widths[len(table_view.columns)], strict=True):
                cell.width = Cm(width)
        if not table_view.rows:
            doc.add_paragraph("No sessions in this period.")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _repeat_header(row: object, element: object, qn: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    repeat = element("w:tblHeader")  # type: ignore[operator]
    repeat.set(qn("w:val"), "true")  # type: ignore[operator]
    tr_pr.append(repeat)


# --- PDF --------------------------------------------------------------------------------------


def to_pdf(view: ReportView) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(view.title)
    pdf.set_lang("en-GB")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 8, view.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 9)
    for line in view.lines:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    def heading(text: str) -> None:
        pdf.set_font("DejaVu", "B", 12)
        pdf.ln(2)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 8)

    if view.figures:
        heading("Figures")
        with pdf.table(
            col_widths=(3, 2), text_align="LEFT", line_height=5, first_row_as_headings=False
        ) as table:
            for label, value in view.figures:
                row = table.row()
                row.cell(label)
                row.cell(value)
        for chart in charts(view):
            heading(chart.title)
            pdf.image(io.BytesIO(chart.png), w=230, alt_text=chart.alt)
    for title, items in view.digest:
        heading(title)
        for text in items or ["None this month."]:
            pdf.multi_cell(0, 5, f"• {text}", new_x="LMARGIN", new_y="NEXT")
    widths = {4: (3.0, 6.5, 8.0, 9.2), 5: (2.6, 5.4, 7.4, 2.8, 8.5)}
    bold = FontFace(emphasis="BOLD", fill_color=(232, 237, 238))
    for table_view in view.tables:
        heading(table_view.heading)
        if not table_view.rows:
            pdf.multi_cell(0, 5, "No sessions in this period.", new_x="LMARGIN", new_y="NEXT")
            continue
        with pdf.table(
            col_widths=widths[len(table_view.columns)],
            text_align="LEFT",
            line_height=4,
            headings_style=bold,
            repeat_headings=1,
        ) as table:
            header = table.row()
            for name in table_view.columns:
                header.cell(name)
            for row_cells in table_view.rows:
                row = table.row()
                for shown in row_cells:
                    if shown.rag is None:
                        row.cell(shown.text)
                    else:
                        fill, ink = RAG_COLOURS[Rag(shown.rag)]
                        row.cell(
                            shown.text,
                            style=FontFace(emphasis="BOLD", color=_rgb(ink), fill_color=_rgb(fill)),
                        )
    return bytes(pdf.output())


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return (int(hex_colour[0:2], 16), int(hex_colour[2:4], 16), int(hex_colour[4:6], 16))


# --- CSV --------------------------------------------------------------------------------------


def to_csv(view: ReportView) -> str:
    """The report's table(s), one line a session, with the board's columns."""
    columns = view.tables[0].columns if view.tables else ()
    rows = [
        [table.heading, *(cell.text for cell in row)] for table in view.tables for row in table.rows
    ]
    return csv_files.write_rows([["Section", *columns], *rows])
