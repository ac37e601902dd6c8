"""CSV that is safe to open in a spreadsheet: the one writer every download uses, and its reader.

Formula injection (OWASP, "CSV Injection"): Excel, LibreOffice and Google Sheets run a cell that
begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula,
so a theme typed as ``=HYPERLINK("https://evil.example","Click")`` becomes a live link, or worse,
in a board member's spreadsheet. Every text cell written here that begins with one of those is
prefixed with an apostrophe, which spreadsheets read as "this is text" and do not show. Cells
are quoted wherever they hold a comma, quote or line break (so no cell can start a new one), and
characters no document may hold (``models.text.printable``) are left out.

``read_rows`` undoes exactly the apostrophe this writer adds, so the product's own exports import
back unchanged. The rule is reversible: a cell that already begins with apostrophes before one of
those characters gets one more on the way out and loses one on the way in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from models.text import printable

#: What makes a spreadsheet read a cell as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _formula_after_quotes(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """A cell as written: text that a spreadsheet would run gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    text = printable(value)
    return "'" + text if _formula_after_quotes(text) else text


def restore(value: str) -> str:
    """A cell as read: the apostrophe ``neutralise`` added, taken off again."""
    if value.startswith("'") and _formula_after_quotes(value):
        return value[1:]
    return value


def write_rows(rows: Iterable[Sequence[Any]]) -> str:
    """Rows (the first one the header) as CSV text, every cell neutralised."""
    buffer = io.StringIO()
    # CR LF ends a line (RFC 4180): the writer then quotes a cell holding either, as it must
    # for text from a form's textarea, whose lines end CR LF.
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return buffer.getvalue()


def write_dicts(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """Dicts as CSV text under a header of ``columns`` (missing keys are empty cells)."""
    return write_rows([list(columns), *([row.get(name, "") for name in columns] for row in rows)])


class DictRows:
    """``csv.DictReader`` over text, with each cell restored; ``line_num`` as the reader's."""

    def __init__(self, text: str) -> None:
        self._reader = csv.DictReader(io.StringIO(text))

    @property
    def fieldnames(self) -> Sequence[str] | None:
        return self._reader.fieldnames

    @fieldnames.setter
    def fieldnames(self, names: Sequence[str]) -> None:
        self._reader.fieldnames = names

    @property
    def line_num(self) -> int:
        return self._reader.line_num

    def __iter__(self) -> Iterator[dict[str, str]]:
        for row in self._reader:
            yield {
                key: restore(value) if isinstance(value, str) else value
                for key, value in row.items()
            }


def read_rows(text: str) -> DictRows:
    """The rows of a CSV file with a header line, as dicts, undoing ``neutralise``."""
    return DictRows(text)
