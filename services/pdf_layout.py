"""A small, fast page layout on fpdf2 for board papers: paragraphs, headings kept with what
follows, table rows that break across pages with their header repeated, and a footer.

fpdf2's own ``table()`` measures text character by character and lays out each row twice: 99 %
of a 700-row paper's time (issue 13). Here words are measured once each from the font's own
advance widths (cached), lines are broken greedily, and each line is written with ``text()``.
Fonts are DejaVu, shipped with matplotlib, so a fresh machine needs nothing from the system.
"""

from __future__ import annotations

import copy
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import SubsetMap, TTFFont
from fpdf.util import escape_parens

FONT_DIR = Path(__import__("matplotlib").get_data_path()) / "fonts" / "ttf"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
INK = (33, 43, 50)
RULE = (118, 134, 145)
PAD = 1.2  # mm inside a cell
BOTTOM = 16.0  # mm kept free for the footer
_PARSED: dict[str, TTFFont] = {}


def _add_fonts(pdf: FPDF) -> None:
    """The DejaVu fonts, parsed once per process: each document gets its own copy with a fresh
    font file (fpdf2 subsets it in place when the document is written) and glyph subset."""
    for style, name in FONT_FILES.items():
        key = f"{FAMILY.lower()}{style}"
        if key not in _PARSED:
            pdf.add_font(FAMILY, style, str(FONT_DIR / name))
            parsed: Any = pdf.fonts[key]
            _PARSED[key] = copy.copy(parsed)
            continue
        font = copy.copy(_PARSED[key])
        font.i = len(pdf.fonts) + 1
        font.ttfont = ttLib.TTFont(FONT_DIR / name, recalcTimestamp=False, lazy=True)
        font.subset = SubsetMap(font)
        font.missing_glyphs = []
        font.biggest_size_pt = 0
        pdf.fonts[key] = font


@dataclass
class Cell:
    """One cell of a row: its text, and optionally a fill, ink and a bold first line."""

    text: str
    fill: tuple[int, int, int] | None = None
    ink: tuple[int, int, int] = INK
    bold_first: bool = False
    bold: bool = False


class Paper(FPDF):
    """An A4 landscape paper whose footer gives its title and status, and page n of N."""

    def __init__(self, footer_left: str, footer_status: str) -> None:
        super().__init__(orientation="landscape", format="A4")
        self.footer_left, self.footer_status = footer_left, footer_status
        _add_fonts(self)
        self.set_auto_page_break(auto=False)
        self.set_margins(12, 12, 12)
        self._widths: dict[tuple[str, float, str], float] = {}
        self._glyphs: dict[str, dict[int, str]] = {}
        self._known: dict[str, set[str]] = {}

    # --- measuring and breaking ---------------------------------------------------------------

    def width(self, text: str, size: float, style: str = "") -> float:
        key = (text, size, style)
        found = self._widths.get(key)
        if found is None:
            font: Any = self.fonts[f"{FAMILY.lower()}{style}"]
            found = float(sum(font.cw[ord(c)] for c in text) * size * 0.001 / self.k)
            self._widths[key] = found
        return found

    def wrap(self, text: str, width: float, size: float, style: str = "") -> list[str]:
        lines: list[str] = []
        space = self.width(" ", size, style)
        for paragraph in text.split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                w = self.width(word, size, style)
                if line and used + space + w <= width:
                    line, used = f"{line} {word}", used + space + w
                    continue
                if line:
                    lines.append(line)
                while w > width and len(word) > 1:  # a word longer than the line: cut it
                    cut = max(1, min(len(word) - 1, int(len(word) * width / w)))
                    while cut > 1 and self.width(word[:cut], size, style) > width:
                        cut -= 1
                    lines.append(word[:cut])
                    word = word[cut:]
                    w = self.width(word, size, style)
                line, used = word, w
            lines.append(line)
        return lines

    # --- flow ---------------------------------------------------------------------------------

    @property
    def bottom(self) -> float:
        return self.h - BOTTOM

    def room(self) -> float:
        return self.bottom - self.get_y()

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` fits on this one."""
        if height > self.room():
            self.add_page()

    def write_lines(
        self,
        lines: Sequence[str],
        x: float,
        y: float,
        size: float,
        step: float,
        style: str = "",
        ink: tuple[int, int, int] = INK,
    ) -> None:
        """Lines from (x, y) down, ``step`` apart, as one PDF text object (``text()`` per line
        costs a graphics-state round trip each: most of a long paper's time)."""
        if not any(lines):
            return
        font: Any = self.fonts[f"{FAMILY.lower()}{style}"]
        select = self._set_font_for_page(font, size, wrap_in_text_object=False)
        k, colour = self.k, " ".join(f"{c / 255:.3f}" for c in ink)
        body = " T* ".join(self._encode(font, line) for line in lines)
        self._out(
            f"q {colour} rg BT {select} {step * k:.2f} TL {x * k:.2f} "
            f"{(self.h - y - 0.78 * step) * k:.2f} Td {body} ET Q"
        )

    def _encode(self, font: TTFFont, line: str) -> str:
        """``font.encode_text``, with each character's place in the subset looked up once."""
        table = self._glyphs.setdefault(font.fontkey, {})
        known = self._known.setdefault(font.fontkey, set())
        for char in set(line) - known:
            picked = font.subset.pick(ord(char))
            table[ord(char)] = chr(picked) if picked is not None else ""
            known.add(char)
        mapped = line.translate(table).encode("utf-16-be").decode("latin-1")
        return f"({escape_parens(mapped)}) Tj"

    def paragraph(self, text: str, size: float = 9, style: str = "", step: float = 4.6) -> None:
        width = self.w - self.l_margin - self.r_margin
        for line in self.wrap(text, width, size, style):
            self.ensure(step)
            self.write_lines([line], self.l_margin, self.get_y(), size, step, style)
            self.set_y(self.get_y() + step)

    def heading(self, text: str, size: float, keep: float) -> None:
        """A heading that is never the last thing on a page: ``keep`` millimetres of what
        follows must fit under it, or it starts the next page."""
        step = size * 0.5
        width = self.w - self.l_margin - self.r_margin
        lines = self.wrap(text, width, size, "B")
        self.ensure(2 + step * len(lines) + keep)
        self.set_y(self.get_y() + 2)
        self.write_lines(lines, self.l_margin, self.get_y(), size, step, "B")
        self.set_y(self.get_y() + step * len(lines) + 1)

    def footers(self) -> None:
        """Every page's footer, drawn once the number of pages is known."""
        total, size, step = self.pages_count, 7.5, 4.0
        for number in range(1, total + 1):
            self.page = number
            y = self.h - 11
            left = f"{self.footer_left}  |  {self.footer_status}"
            self.write_lines([left], self.l_margin, y, size, step)
            right = f"Page {number} of {total}"
            x = self.w - self.r_margin - self.width(right, size)
            self.write_lines([right], x, y, size, step)

    def image_with(self, png: bytes, width: float, alt: str) -> float:
        """The image's height at ``width`` (from the PNG's own size), placed here."""
        height = png_height(png, width)
        self.image(io.BytesIO(png), x=self.l_margin, y=self.get_y(), w=width, alt_text=alt)
        self.set_y(self.get_y() + height + 1)
        return height


def png_height(png: bytes, width: float) -> float:
    """The height of a PNG drawn ``width`` wide (its size is in the IHDR chunk)."""
    px_w, px_h = struct.unpack(">II", png[16:24])
    return float(width * px_h / px_w)


class Grid:
    """A table: column widths (mm), a header row repeated on every page, rows that split
    across pages line by line when they are taller than what is left."""

    def __init__(self, pdf: Paper, widths: Sequence[float], size: float = 8, step: float = 3.9):
        self.pdf, self.widths, self.size, self.step = pdf, list(widths), size, step
        self.header: list[Cell] | None = None

    def _lines(self, cells: Sequence[Cell]) -> list[list[str]]:
        """Each cell's lines; a bold line is marked with a leading NUL (never in cell text)."""
        out = []
        for cell, width in zip(cells, self.widths, strict=True):
            inner = width - 2 * PAD
            if cell.bold or (cell.bold_first and cell.text):
                first, _, rest = (
                    cell.text.partition("\n") if cell.bold_first else (cell.text, "", "")
                )
                lines = ["\0" + line for line in self.pdf.wrap(first, inner, self.size, "B")]
                lines += self.pdf.wrap(rest, inner, self.size) if rest else []
            else:
                lines = self.pdf.wrap(cell.text, inner, self.size)
            out.append(lines)
        return out

    def height(self, cells: Sequence[Cell], most: int | None = None) -> float:
        tallest = max(len(lines) for lines in self._lines(cells))
        return 2 * PAD + self.step * (min(tallest, most) if most else tallest)

    def start(self, header: Sequence[Cell] | None, first: Sequence[Cell] | None) -> None:
        self.header = list(header) if header else None
        keep = (self.height(self.header) if self.header else 0) + (
            self.height(first, most=3) if first else 0
        )
        self.pdf.ensure(keep)
        if self.header:
            self._draw(self.header, self._lines(self.header), 0, None)

    def row(self, cells: Sequence[Cell]) -> None:
        lines = self._lines(cells)
        start, tallest = 0, max(len(col) for col in lines)
        header = self.height(self.header) if self.header else 0.0
        fresh = int((self.pdf.bottom - self.pdf.t_margin - header - 2 * PAD) // self.step)
        while True:
            left = tallest - start
            fits = max(0, int((self.pdf.room() - 2 * PAD) // self.step))
            if left <= fits:
                self._draw(cells, lines, start, None)
                return
            at_top = self.pdf.get_y() <= self.pdf.t_margin + header + 0.01
            if at_top or (fits >= 3 and left > fresh):  # taller than any page: split it here
                self._draw(cells, lines, start, max(fits, 1))
                start += max(fits, 1)
            self._new_page()

    def _new_page(self) -> None:
        self.pdf.add_page()
        if self.header:
            self._draw(self.header, self._lines(self.header), 0, None)

    def _draw(
        self, cells: Sequence[Cell], lines: list[list[str]], start: int, count: int | None
    ) -> None:
        pdf = self.pdf
        shown = [col[start : start + count] if count else col[start:] for col in lines]
        height = 2 * PAD + self.step * max(len(col) for col in shown)
        x, y = pdf.l_margin, pdf.get_y()
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.2)
        for cell, width, col in zip(cells, self.widths, shown, strict=True):
            if cell.fill:
                pdf.set_fill_color(*cell.fill)
            pdf.rect(x, y, width, height, style="DF" if cell.fill else "D")
            bold = [line[1:] for line in col if line.startswith("\0")]
            top = y + PAD
            pdf.write_lines(bold, x + PAD, top, self.size, self.step, "B", cell.ink)
            rest = col[len(bold) :]
            top += len(bold) * self.step
            pdf.write_lines(rest, x + PAD, top, self.size, self.step, "", cell.ink)
            x += width
        pdf.set_y(y + height)
