"""A report as a Word board paper (python-docx): landscape A4, the header row repeated.

The cover sheet first (``report_cover``), then the report. The footer gives the title, the
status (DRAFT / APPROVED) and "Page n of N" as real PAGE and NUMPAGES fields, so Word numbers
the pages. Headings are kept with what follows; each chart is followed by its description.
Table rows are written as XML directly (python-docx's ``add_row().cells`` rebuilds the grid
for every row: most of a 700-row paper's time), with the same cell text as PDF, HTML and CSV.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from services.report_charts import charts
from services.report_view import ReportView, Table

WIDTHS = {2: (6.0, 20.7), 4: (3.0, 6.5, 8.0, 9.2), 5: (2.6, 5.4, 7.4, 2.8, 8.5)}
TWIPS_PER_CM = 567
HEADER_FILL = "E8EDEE"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#: A cell: its text, fill, ink, and how much is bold (NONE, FIRST line, ALL).
CellSpec = tuple[str, str | None, str | None, int]
NONE, FIRST, ALL = 0, 1, 2


def to_docx(view: ReportView) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = view.title
    _footer(section, f"{view.title}  |  {view.status_word}  |  ")

    heading(doc, view.title, 0)
    cover: list[list[CellSpec]] = [
        [(label, HEADER_FILL, None, ALL), (value, None, None, NONE)] for label, value in view.cover
    ]
    _table(doc, ("", ""), cover, header=False)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    heading(doc, view.title, 1)
    for line in view.lines:
        doc.add_paragraph(line)
    if view.figures:
        heading(doc, "Figures", 2)
        figures: list[list[CellSpec]] = [
            [(k, None, None, NONE), (v, None, None, NONE)] for k, v in view.figures
        ]
        _table(doc, ("", ""), figures, header=False, widths=(16.0, 10.7))
        for chart in charts(view):
            heading(doc, chart.title, 3)
            picture = doc.add_paragraph()
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(24))
            description = doc.add_paragraph()
            description.add_run("Description: ").bold = True
            description.add_run(chart.alt).italic = True
    for title, items in view.digest:
        heading(doc, title, 2)
        for text in items or ["None this month."]:
            doc.add_paragraph(text, style="List Bullet")
    for table_view in view.tables:
        heading(doc, table_view.heading, 2)
        if not table_view.rows:
            doc.add_paragraph("No sessions in this period.")
            continue
        _table(doc, table_view.columns, _rows(table_view))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def heading(doc: Any, text: str, level: int) -> None:
    paragraph = doc.add_heading(text, level=level)
    paragraph.paragraph_format.keep_with_next = True


def _rows(table_view: Table) -> list[list[CellSpec]]:
    return [
        [(c.text, c.fill, c.ink if c.rag else None, FIRST if c.rag else NONE) for c in row]
        for row in table_view.rows
    ]


def _run(text: str, bold: bool, colour: str | None) -> str:
    props = ("<w:b/>" if bold else "") + (f'<w:color w:val="{colour}"/>' if colour else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _cell(spec: CellSpec, width: int, keep: bool) -> str:
    """One cell: its paragraphs (one a line), a shading fill, ink, and bold lines."""
    text, fill, ink, bold = spec
    shading = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    ppr = "<w:pPr><w:keepNext/></w:pPr>" if keep else ""
    paragraphs = "".join(
        f"<w:p>{ppr}{_run(line, bold == ALL or (bold == FIRST and i == 0), ink)}</w:p>"
        for i, line in enumerate(text.split("\n"))
    )
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shading}</w:tcPr>{paragraphs}</w:tc>'


def _table(
    doc: Any,
    columns: tuple[str, ...],
    rows: Sequence[Sequence[CellSpec]],
    *,
    header: bool = True,
    widths: tuple[float, ...] | None = None,
) -> None:
    from docx.oxml import parse_xml

    twips = [round(w * TWIPS_PER_CM) for w in widths or WIDTHS[len(columns)]]
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'  # noqa: E501
    ]
    if header:
        cells = "".join(
            _cell((name, HEADER_FILL, None, ALL), w, True)
            for name, w in zip(columns, twips, strict=True)
        )
        parts.append(f'<w:tr><w:trPr><w:tblHeader w:val="true"/></w:trPr>{cells}</w:tr>')
    for row in rows:
        cells = "".join(_cell(spec, w, False) for spec, w in zip(row, twips, strict=True))
        parts.append(f"<w:tr>{cells}</w:tr>")
    parts.append("</w:tbl>")
    doc.element.body._insert_tbl(parse_xml("".join(parts)))  # before the section properties


def _footer(section: Any, text: str) -> None:
    """The footer: title and status, then "Page n of N" with real PAGE / NUMPAGES fields."""
    from docx.oxml import parse_xml

    def field(code: str) -> str:
        return (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            "<w:r><w:t>1</w:t></w:r>"
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )

    paragraph = section.footer.paragraphs[0]
    xml = (
        f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        f"{_run(text + 'Page ', False, None)}{field('PAGE')}{_run(' of ', False, None)}"
        f"{field('NUMPAGES')}</w:p>"
    )
    paragraph._p.addnext(parse_xml(xml))
    paragraph._p.getparent().remove(paragraph._p)
