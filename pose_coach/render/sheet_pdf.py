"""The cue sheet as a compact printable PDF, through fpdf2 (imported only here).

Layout: a header (title, summary, each routine's order beside the shared safety notes),
then the drill cards flowing down two columns, page after page. Each card opens with a
grey title bar and its phase's stick figure (the same SVG as the HTML sheet, drawn as
vectors). We wrap and place every line ourselves: that keeps a card's heading with its
first lines, lets the summary run around the figure, and is fast (no HTML or Markdown
parsing, so drill text is always printed literally).

DejaVu Sans ships in ``fonts/`` and is embedded (subset), so accents, Greek and Cyrillic
print anywhere; characters the font lacks are reported through ``warn``.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import MissingExtraError
from ..timeline import format_clock
from .cuesheet import CHECK_MARK, NOTE_ROWS, DrillCard, RoutinePlan, Sheet
from .figures import HEIGHT as FIG_BOX_H
from .figures import WIDTH as FIG_BOX_W
from .figures import figure_label, figure_svg

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
PT = 25.4 / 72  # millimetres per point
MARGIN = 11.0
GUTTER = 4.5
COLUMNS = 3
BODY_SIZES = (7.0, 6.6, 6.2)  # body text sizes in points, tried largest first (see render_pdf)
LEAD = 1.16  # line height as a multiple of the font size
FIG_W = 14.0
FIG_H = FIG_W * FIG_BOX_H / FIG_BOX_W
GREY_BAR = 222  # card title bars: light enough for toner, dark enough to see
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
class _Sizes:
    """Font sizes in points, all derived from the body size."""

    body: float

    @property
    def small(self) -> float:
        return round(self.body * 0.87, 2)

    @property
    def label(self) -> float:
        return round(self.body * 0.9, 2)

    @property
    def title(self) -> float:
        return round(self.body * 1.18, 2)


class _Type:
    """Font switching, cached measurement and greedy line wrapping of styled runs."""

    def __init__(self, pdf, sizes: _Sizes) -> None:
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

    def wrap(self, runs: list[Run], size: float, widths: Callable[[int], float]
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


def _text_rows(t: _Type, runs: list[Run], size: float, width: float, indent: float = 0.0,
               prefix: list[Piece] | None = None, grey: bool = False) -> list[Row]:
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


def _block(t: _Type, runs: list[Run], size: float, width: float, indent: float,
           prefix: list[Piece]) -> Row:
    """A list item as one row: its lines never split across columns."""
    lines = t.wrap(runs, size, lambda n: width - indent)
    lh = line_height(size)

    def draw(x: float, y: float, w: float) -> None:
        t.draw_line(prefix, x, y, size)
        for n, pieces in enumerate(lines):
            t.draw_line(pieces, x + indent, y + n * lh, size)

    return Row(lh * len(lines) + 0.25, draw)


def _heading(t: _Type, text: str) -> Row:
    def draw(x: float, y: float, w: float) -> None:
        t.draw_line([(0.0, text.upper(), True)], x, y + 0.6, t.s.label)

    return Row(line_height(t.s.label) + 0.6, draw, keep_with_next=True)


def _card_rows(t: _Type, card: DrillCard, number: int, width: float) -> list[Row]:
    pdf = t.pdf
    title_lines = t.wrap([(f"{number}. {card.title}", True)], t.s.title, lambda n: width - 2.0)
    bar = line_height(t.s.title) * len(title_lines) + 1.2
    beside = width - FIG_W - 2.0
    label_size = t.s.small - 0.8
    head: list[tuple[list[Piece], float]] = []  # lines beside the figure, with their size
    for runs, size in (([(card.meta, False)], t.s.small), ([(card.dose, True)], t.s.body)):
        head += [(line, size) for line in t.wrap(runs, size, lambda n: beside)]
    used = sum(line_height(size) for _, size in head)
    # summary lines that fit beside the figure, above its label (the label is wider)
    room = max(int((FIG_H - 0.6 - used) // line_height(t.s.small)), 0)
    # the summary is background, the steps and cues are what a coach reads out: smaller type
    summary = t.wrap([(card.summary, False)], t.s.small,
                     lambda n: beside if n < room else width)
    head += [(line, t.s.small) for line in summary[:room]]
    head_h = max(sum(line_height(size) for _, size in head),
                 FIG_H + 0.1 + line_height(label_size) + 0.3)

    def draw_head(x: float, y: float, w: float) -> None:
        pdf.set_fill_color(GREY_BAR)
        pdf.rect(x, y, w, bar, style="F")
        for n, line in enumerate(title_lines):
            t.draw_line(line, x + 1.0, y + 0.6 + n * line_height(t.s.title), t.s.title)
        pdf.image(io.BytesIO(figure_svg(card.phase).encode()), x=x + w - FIG_W, y=y + bar + 0.4,
                  w=FIG_W)
        label = figure_label(card.phase)
        label_w = t.width(label, False, label_size)
        # centred under the figure, but never past the column's right edge
        left = min(x + w - FIG_W / 2 - label_w / 2, x + w - label_w)
        t.draw_line([(0.0, label, False)], left, y + bar + FIG_H + 0.9, label_size)
        ty = y + bar + 0.8
        for pieces, size in head:
            t.draw_line(pieces, x, ty, size)
            ty += line_height(size)

    rows = [Row(bar + 0.8 + head_h, draw_head, keep_with_next=True)]
    for pieces in summary[room:]:
        rows.append(Row(line_height(t.s.small),
                        lambda x, y, w, p=pieces: t.draw_line(p, x, y, t.s.small)))
    rows.append(_heading(t, "Steps"))
    # hanging indent: the widest step number, then the widest time, then the cue
    number_w = max(t.width(f"{n}.", False, t.s.body) for n in (1, len(card.steps))) + 1.0
    times = [format_clock(step.seconds) for step in card.steps]
    step_indent = number_w + max(t.width(time, True, t.s.body) for time in times) + 1.5
    for step in card.steps:
        marks = f" ({', '.join(step.marks)})" if step.marks else ""
        check = f"{CHECK_MARK} " if step.checkpoint else ""
        prefix = [(0.0, f"{step.number}.", False), (number_w, format_clock(step.seconds), True)]
        rows.append(_block(t, [(check + step.cue, False), (marks, False)], t.s.body, width,
                           step_indent, prefix))
    sections = [
        ("Look for", [[(point, False)] for point in card.checkpoints]),
        ("Faults → fixes", [[(f.fault, False), (" → ", False), (f.fix, True)]
                            for f in card.faults]),
        ("Safety", [[(note, False)] for note in card.safety]),
    ]
    for heading, items in sections:
        if items:
            rows.append(_heading(t, heading))
            rows += [_block(t, runs, t.s.body, width, 3.0, [(0.6, "•", False)]) for runs in items]
    rows[-1].height += 2.5  # space before the next card
    return rows


class _Flow:
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

    def place(self, rows: list[Row], resume: Callable[[], Row] | None = None) -> None:
        """Draw ``rows``; a group chained by ``keep_with_next`` never splits. When a
        column break lands inside the rows, ``resume()`` gives a row to repeat first."""
        started = False
        i = 0
        while i < len(rows):
            j = i
            while rows[j].keep_with_next and j + 1 < len(rows):
                j += 1
            group = rows[i:j + 1]
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


def _plan_table(t: _Type, plan: RoutinePlan, x: float, y: float, width: float,
                heading: str) -> float:
    """Draw one routine's order; return the y below it."""
    pdf = t.pdf
    size = t.s.body
    lh = line_height(size) + 0.35
    t.draw_line([(0.0, heading, True)], x, y, t.s.label + 1)
    y += line_height(t.s.label + 1) + 0.5
    dose_w = max([t.width(r.dose, False, size) for r in plan.rows] + [10.0]) + 2
    cols = [("#", 5.0, "R"), ("start", 9.0, "R"), ("drill", 0.0, "L"), ("phase", 10.5, "L"),
            ("dose", dose_w, "L"), ("time", 8.5, "R")]
    fixed = sum(w for _, w, _ in cols)
    cols[2] = ("drill", width - fixed - 2.0, "L")

    def row(cells: list[str], top: float, bold: bool = False, grey: bool = False) -> None:
        cx = x
        if grey:
            pdf.set_text_color(80)
        for (_, w, align), text in zip(cols, cells, strict=True):
            text = _fit_text(t, text, bold, size, w - 1.2)
            tw = t.width(text, bold, size)
            left = cx + (w - 1.2 - tw if align == "R" else 0.8)
            t.draw_line([(0.0, text, bold)], left, top, size)
            cx += w
        pdf.set_text_color(0)

    row([c for c, _, _ in cols], y, bold=True)
    y += lh
    pdf.set_line_width(0.3)
    pdf.line(x, y - 0.2, x + width, y - 0.2)
    for n, r in enumerate(plan.rows):
        if n % 2:
            pdf.set_fill_color(242)
            pdf.rect(x, y - 0.1, width, lh, style="F")
        number = str(r.number) if r.number is not None else ""
        phase = r.phase.value if r.phase else ""
        row([number, format_clock(r.start), r.title, phase, r.dose, format_clock(r.seconds)],
            y, grey=r.is_rest)
        y += lh
    pdf.set_line_width(0.3)
    pdf.line(x, y, x + width, y)
    total = f"{format_clock(plan.total_seconds)} in all"
    t.draw_line([(0.0, total, True)], x + width - t.width(total, True, size) - 0.4, y + 0.5, size)
    return y + lh + 1.5


def _fit_text(t: _Type, text: str, bold: bool, size: float, width: float) -> str:
    if t.width(text, bold, size) <= width:
        return text
    while len(text) > 1 and t.width(text + "…", bold, size) > width:
        text = text[:-1]
    return text + "…"


def _side_box(t: _Type, sheet: Sheet, x: float, y: float, width: float) -> float:
    """Shared safety notes, equipment and the check-mark legend; return the y below."""
    pdf = t.pdf
    rows: list[Row] = []
    if sheet.common_safety:
        rows.append(_heading(t, "Safety for every drill"))
        rows += [_block(t, [(note, False)], t.s.body, width - 3, 3.0, [(0.6, "•", False)])
                 for note in sheet.common_safety]
    equipment = sorted({item for card in sheet.cards for item in card.equipment})
    if equipment:
        rows.append(_heading(t, "Equipment"))
        rows += _text_rows(t, [(", ".join(equipment), False)], t.s.body, width - 3)
    if any(step.checkpoint for card in sheet.cards for step in card.steps):
        rows += _text_rows(t, [(f"{CHECK_MARK} check the position at this step", False)],
                           t.s.small, width - 3, grey=True)
    if not rows:
        return y
    height = sum(row.height for row in rows) + 2.5
    pdf.set_line_width(0.35)
    pdf.set_dash_pattern(dash=1.2, gap=0.8)
    pdf.rect(x, y, width, height)
    pdf.set_dash_pattern()
    ty = y + 1.0
    for row in rows:
        row.draw(x + 1.5, ty, width - 3)
        ty += row.height
    return y + height + 2.0


def _notes_rows(t: _Type) -> list[Row]:
    pdf = t.pdf

    def ruled(label: bool) -> Row:
        def draw(x: float, y: float, w: float) -> None:
            if label:
                pdf.set_text_color(90)
                t.draw_line([(0.0, "athlete", False), (0.33 * w, "notes", False)], x, y, t.s.small)
                pdf.set_text_color(0)
            pdf.set_line_width(0.2)
            pdf.line(x, y + 6.5, x + 0.3 * w, y + 6.5)
            pdf.line(x + 0.33 * w, y + 6.5, x + w, y + 6.5)

        return Row(7.0, draw, keep_with_next=label)

    def coach_box(x: float, y: float, w: float) -> None:
        pdf.set_line_width(0.3)
        pdf.rect(x, y + 1.5, w, 26.0)
        t.draw_line([(0.0, "Coach's notes", True)], x + 1.2, y + 2.3, t.s.small)

    return ([_heading(t, "Notes")] + [ruled(n == 0) for n in range(NOTE_ROWS)]
            + [Row(29.0, coach_box)])


class _DryRun:
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


def _new_pdf(sheet: Sheet, paper: str):
    try:
        from fpdf import FPDF
    except ImportError as exc:  # a dependency, but a broken install should say what to do
        raise MissingExtraError(
            f"PDF cue sheets need the fpdf2 package ({exc})",
            hint="reinstall pose-coach, or: pip install 'fpdf2>=2.8'",
        ) from None

    pdf = FPDF(unit="mm", format="A4" if paper == "a4" else "Letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(sheet.title)
    pdf.set_creator("pose-coach")
    return pdf


def _layout(pdf, sheet: Sheet, sizes: _Sizes) -> _Type:
    """Draw every page of the sheet except the footers (or just count them, on a _DryRun)."""
    pdf.add_page()
    t = _Type(pdf, sizes)
    flow = _Flow(pdf, _header(t, sheet))
    for number, card in enumerate(sheet.cards, 1):
        cont = f"{number}. {card.title} (continued)"

        def resume(cont: str = cont) -> Row:
            return Row(line_height(t.s.small) + 0.8,
                       lambda x, y, w: t.draw_line([(0.0, cont, True)], x, y, t.s.small))

        flow.place(_card_rows(t, card, number, flow.width), resume)
    if sheet.notes:
        flow.place(_notes_rows(t))
    return t


def _footers(pdf, t: _Type, title: str) -> None:
    """``page n of N`` on every page, written once the page count is known."""
    pages = pdf.pages_count
    size = t.s.small - 0.4
    for n in range(1, pages + 1):
        pdf.page = n
        pdf.set_text_color(90)
        t.use(False, size)
        y = pdf.h - MARGIN + 2.0
        pdf.text(MARGIN, y, _fit_text(t, f"pose-coach cue sheet · {title}", False, size,
                                      pdf.epw * 0.75))
        label = f"page {n} of {pages}"
        pdf.text(pdf.w - MARGIN - t.width(label, False, size), y, label)
        pdf.set_text_color(0)


def render_pdf(sheet: Sheet, paper: str = "a4",
               warn: Callable[[str], None] | None = None) -> bytes:
    """The sheet as PDF bytes on A4 or US Letter.

    The text size is the largest of ``BODY_SIZES`` that needs no more pages than the
    smallest does: a six-drill routine shrinks a little to fit one page, while a sheet
    that needs two pages anyway keeps the larger, easier type.
    """
    pdf = _new_pdf(sheet, paper)
    pages = {}
    for body in BODY_SIZES:
        dry = _DryRun(pdf)
        _layout(dry, sheet, _Sizes(body))
        pages[body] = dry.pages_count
    fewest = min(pages.values())
    body = next(size for size in BODY_SIZES if pages[size] == fewest)
    t = _layout(pdf, sheet, _Sizes(body))
    _footers(pdf, t, sheet.title)
    fpdf_log = logging.getLogger("fpdf")
    level = fpdf_log.level
    fpdf_log.setLevel(logging.ERROR)  # we report missing glyphs ourselves, once
    try:
        data = bytes(pdf.output())
    finally:
        fpdf_log.setLevel(level)
    missing = list(dict.fromkeys(g for font in pdf.fonts.values() for g in font.missing_glyphs))
    if missing and warn is not None:
        shown = "".join(chr(c) if isinstance(c, int) else str(c) for c in missing[:20])
        warn(f"{len(missing)} character(s) are not in the embedded font (DejaVu Sans) and are"
             f" left out of the PDF: {shown}; the HTML sheet shows them")
    return data


def _header(t: _Type, sheet: Sheet) -> list[float]:
    """Title, subtitle, summary, the routine orders and the side box; return column tops."""
    pdf = t.pdf
    x, width = MARGIN, pdf.epw
    y = MARGIN
    for line in t.wrap([(sheet.title, True)], 15.0, lambda n: width):
        t.draw_line(line, x, y, 15.0)
        y += line_height(15.0)
    pdf.set_text_color(60)
    t.draw_line([(0.0, sheet.subtitle, False)], x, y + 0.3, 8.0)
    pdf.set_text_color(0)
    y += line_height(8.0) + 1.2
    if sheet.summary:
        for row in _text_rows(t, [(sheet.summary, False)], t.s.body + 0.4, width):
            row.draw(x, y, width)
            y += row.height
        y += 1.5
    # the orders take the first two columns, the side box the third
    col = column_width(width, COLUMNS)
    wide = width - col - GUTTER
    bottom_left = y
    for plan in sheet.plans:
        heading = f"ORDER — {plan.title}" if len(sheet.plans) > 1 else "ORDER"
        bottom_left = _plan_table(t, plan, x, bottom_left, wide, heading)
    bottom_right = _side_box(t, sheet, x + wide + GUTTER, y, col)
    bottom_left += 1.0
    return [bottom_left] * (COLUMNS - 1) + [bottom_right + 1.0]
