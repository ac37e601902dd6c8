"""A report as a board paper in every format, each made from the report's frozen rows and
figures, so the same report always gives the same document: Word (``report_docx``), PDF
(``report_pdf``), CSV (here), and the charts (``report_charts``) the page and HTML share. The
table's text is the view's cells (``report_view``) in all four formats.
"""

from __future__ import annotations

from services import csv_files
from services.report_charts import Chart, charts
from services.report_docx import to_docx
from services.report_pdf import to_pdf
from services.report_view import ReportView

__all__ = ["Chart", "charts", "to_csv", "to_docx", "to_pdf"]


def to_csv(view: ReportView) -> str:
    """The report's table(s), one line a session, with the board's columns."""
    columns = view.tables[0].columns if view.tables else ()
    rows = [
        [table.heading, *(cell.text for cell in row)] for table in view.tables for row in table.rows
    ]
    return csv_files.write_rows([["Section", *columns], *rows])
