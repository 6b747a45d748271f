"""Small PDF typesetting for the cue sheet: fonts, wrapping, rows and column flow.

fpdf2 draws; this module decides where. Text is wrapped word by word with cached
widths, a paragraph becomes rows of fixed height, and ``Flow`` places rows down the
columns of page after page, keeping chained rows together. ``DryRun`` stands in for
the FPDF to count pages without drawing, so the sheet can pick its type size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

FAMILY = "DejaVu"
PT = 25.4 / 72  # millimetres per point
MARGIN = 11.0
GUTTER = 4.5
LEAD = 1.16  # line height as a multiple of the font size
MIN_TEXT = 9.0  # points: the smallest text a reader needs
_TOKEN = re.compile(r"(\s*)(\S+)")

Piece = tuple[float, str, bool]  # x offset, text, bold
Run = tuple[str, bool]  # text, bold


def column_width(page_width: float, columns: int) -> float:
    return (page_width - GUTTER * (columns - 1)) / columns


def line_height(size: float) -> float:
    return size * PT * LEAD


@dataclass
class Row:
    """Something of a fixed height that one column draws at (x, y) with its width."""

    height: float
    draw: Callable[[float, float, float], None]
    keep_with_next: bool = False


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points, all derived from the body size. Nothing a reader needs is
    set below ``MIN_TEXT`` points (9): the summary and the card's facts are read outdoors
    at a group session."""

    body: float

    @property
    def small(self) -> float:
        return max(round(self.body * 0.92, 2), MIN_TEXT)

    @property
    def label(self) -> float:
        """Section headings (bold capitals)."""
        return max(round(self.body * 0.9, 2), MIN_TEXT)

    @property
    def title(self) -> float:
        return round(self.body * 1.2, 2)

    @property
    def caption(self) -> float:
        """The few words under a figure: it explains the drawing, which speaks first."""
        return 8.0


class Typesetter:
    """Font switching, cached measurement and greedy line wrapping of styled runs."""

    def __init__(self, pdf, sizes: Sizes) -> None:
        self.pdf = pdf
        self.s = sizes
        self.current: tuple[bool, float] | None = None
        self.widths: dict[tuple[str, bool, float], float] = {}

    def use(self, bold: bool, size: float) -> None:
        if self.current != (bold, size):
            self.pdf.set_font(FAMILY, "B" if bold else "", size)
            self.current = (bold, size)

    def width(self, text: str, bold: bool, size: float) -> float:
        key = (text, bold, size)
        found = self.widths.get(key)
        if found is None:
            self.use(bold, size)
            found = self.widths[key] = self.pdf.get_string_width(text)
        return found

    def wrap(
        self, runs: list[Run], size: float, widths: Callable[[int], float]
    ) -> list[list[Piece]]:
        """Lines of pieces; line ``n`` is at most ``widths(n)`` wide (long words are cut)."""
        lines: list[list[Piece]] = [[]]
        x = 0.0
        pending_space = False
        for text, bold in runs:
            for match in _TOKEN.finditer(text):
                space = pending_space or bool(match.group(1))
                pending_space = False
                word = match.group(2)
                while word:
                    gap = self.width(" ", bold, size) if space and lines[-1] else 0.0
                    w = self.width(word, bold, size)
                    limit = widths(len(lines) - 1)
                    if x + gap + w <= limit or (not lines[-1] and w <= limit):
                        self._add(lines[-1], x + gap, word, bold)
                        x += gap + w
                        word = ""
                    elif not lines[-1]:  # a word wider than the line: cut it
                        cut = self._fit(word, bold, size, limit)
                        self._add(lines[-1], 0.0, word[:cut], bold)
                        word = word[cut:]
                        lines.append([])
                        x = 0.0
                    else:
                        lines.append([])
                        x = 0.0
                    space = False
            pending_space = text[-1:].isspace()
        return lines

    def _fit(self, word: str, bold: bool, size: float, limit: float) -> int:
        cut = len(word)
        while cut > 1 and self.width(word[:cut], bold, size) > limit:
            cut -= 1
        return cut

    @staticmethod
    def _add(line: list[Piece], x: float, word: str, bold: bool) -> None:
        if line and line[-1][2] == bold:  # extend the piece: one text call per style run
            start, text, _ = line[-1]
            line[-1] = (start, text + " " * (x > 0 and not text.endswith(" ")) + word, bold)
            return
        line.append((x, word, bold))

    def draw_line(self, pieces: list[Piece], x: float, y: float, size: float) -> None:
        """Draw one wrapped line whose box starts at ``y`` (top), not at the baseline."""
        baseline = y + size * PT * 0.93
        for offset, text, bold in pieces:
            self.use(bold, size)
            self.pdf.text(x + offset, baseline, text)


def text_rows(
    t: Typesetter,
    runs: list[Run],
    size: float,
    width: float,
    indent: float = 0.0,
    prefix: list[Piece] | None = None,
    grey: bool = False,
) -> list[Row]:
    """One row per wrapped line, so a long paragraph can continue in the next column."""
    lines = t.wrap(runs, size, lambda n: width - indent)
    rows = []
    for n, pieces in enumerate(lines):
        first = prefix if n == 0 and prefix else []

        def draw(x: float, y: float, w: float, pieces=pieces, first=first) -> None:
            if grey:
                t.pdf.set_text_color(70)
            t.draw_line(first, x, y, size)
            t.draw_line(pieces, x + indent, y, size)
            t.pdf.set_text_color(0)

        rows.append(Row(line_height(size), draw))
    return rows


def block(
    t: Typesetter, runs: list[Run], size: float, width: float, indent: float, prefix: list[Piece]
) -> Row:
    """A list item as one row: its lines never split across columns."""
    lines = t.wrap(runs, size, lambda n: width - indent)
    lh = line_height(size)

    def draw(x: float, y: float, w: float) -> None:
        t.draw_line(prefix, x, y, size)
        for n, pieces in enumerate(lines):
            t.draw_line(pieces, x + indent, y + n * lh, size)

    return Row(lh * len(lines) + 0.25, draw)


def fit_text(t: Typesetter, text: str, bold: bool, size: float, width: float) -> str:
    if t.width(text, bold, size) <= width:
        return text
    while len(text) > 1 and t.width(text + "…", bold, size) > width:
        text = text[:-1]
    return text + "…"


class Flow:
    """Places rows down the columns of page after page.

    ``tops`` are where the columns of the first page start (below the header); later
    pages start every column at the margin.
    """

    def __init__(self, pdf, tops: list[float]) -> None:
        self.pdf = pdf
        self.tops = tops
        self.columns = len(tops)
        self.bottom = pdf.h - MARGIN - 5.0  # above the footer
        self.width = column_width(pdf.epw, self.columns)
        self.col = 0
        self.y = tops[0]

    @property
    def x(self) -> float:
        return MARGIN + self.col * (self.width + GUTTER)

    def next_column(self) -> None:
        self.col += 1
        if self.col == self.columns:
            self.pdf.add_page()
            self.col, self.tops = 0, [MARGIN] * self.columns
        self.y = self.tops[self.col]

    def place(
        self, rows: list[Row], resume: Callable[[], Row] | None = None, whole: bool = False
    ) -> None:
        """Draw ``rows``; a group chained by ``keep_with_next`` never splits. ``whole``:
        the rows are one group that never splits either (a drill card), unless it is
        taller than a whole column. When a column break lands inside the rows,
        ``resume()`` gives a row to repeat first."""
        if whole and rows:
            height = sum(row.height for row in rows)
            if height <= self.bottom - MARGIN:  # fits a whole column: never split it
                rows = [Row(r.height, r.draw, True) for r in rows[:-1]] + [rows[-1]]
                while self.y + height > self.bottom and self.y > MARGIN:
                    self.next_column()
        started = False
        i = 0
        while i < len(rows):
            j = i
            while rows[j].keep_with_next and j + 1 < len(rows):
                j += 1
            group = rows[i : j + 1]
            height = sum(row.height for row in group)
            if self.y + height > self.bottom and self.y > self.tops[self.col]:
                self.next_column()
                if started and resume is not None:
                    group = [resume()] + group
            for row in group:
                row.draw(self.x, self.y, self.width)
                self.y += row.height
            started = True
            i = j + 1


class DryRun:
    """Stands in for the FPDF in a measuring pass: measures text, draws nothing, counts pages."""

    def __init__(self, pdf) -> None:
        self._pdf = pdf
        self.pages_count = 0

    def add_page(self) -> None:
        self.pages_count += 1

    def get_string_width(self, text: str) -> float:
        return self._pdf.get_string_width(text)

    def set_font(self, *args, **kwargs) -> None:
        self._pdf.set_font(*args, **kwargs)

    def __getattr__(self, name: str):
        value = getattr(self._pdf, name)  # page sizes pass through; drawing does nothing
        return (lambda *args, **kwargs: None) if callable(value) else value
