"""The cue sheet as a compact printable PDF, through fpdf2 (imported only here).

Layout: a header (title, summary, the cadence used, each routine's order and the shared
safety notes, across the page), then the drill cards down two columns, page after page.
Body text is 9 pt or more, to be read outdoors; a card never splits across a column or
a page unless it is taller than a whole column. Each card opens with a grey title bar
and its drill's own stick figure, at least 35 mm tall, drawn as vectors from the same
shapes as the HTML sheet's SVG. ``pdf_layout`` wraps and places every line and never
parses the text (no HTML or Markdown mode), so drill text prints literally.

DejaVu Sans ships in ``fonts/`` and is embedded (subset), so accents, Greek and Cyrillic
print anywhere; characters the font lacks are reported through ``warn``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pose_coach import words
from pose_coach.errors import MissingExtraError
from pose_coach.render.sheet.figures import draw_figure, figure_label, figure_of
from pose_coach.render.sheet.model import CHECK_MARK, NOTE_ROWS, DrillCard, RoutinePlan, Sheet
from pose_coach.render.sheet.pdf_layout import (
    FAMILY,
    MARGIN,
    DryRun,
    Flow,
    Piece,
    Row,
    Sizes,
    Typesetter,
    block,
    column_width,
    fit_text,
    line_height,
    text_rows,
)

FONT_DIR = Path(__file__).parent / "fonts"
COLUMNS = 2
BODY_SIZES = (10.0, 9.5, 9.0)  # body text in points, tried largest first (see render_pdf)
FIG_H = 36.0  # mm: a figure at least 35 mm tall reads on paper at arm's length
GREY_BAR = 222  # card title bars: light enough for toner, dark enough to see


def _figure_width(name: str, height: float = FIG_H) -> float:
    fig = figure_of(name)
    return height * fig.width / fig.height


def _line_drawer(
    t: Typesetter, pieces: list[Piece], size: float
) -> Callable[[float, float, float], None]:
    """Draws one line of ``pieces`` at (x, y); the column width is not needed."""

    def draw(x: float, y: float, width: float) -> None:
        t.draw_line(pieces, x, y, size)

    return draw


def _heading(t: Typesetter, text: str) -> Row:
    def draw(x: float, y: float, w: float) -> None:
        t.draw_line([(0.0, text.upper(), True)], x, y + 0.6, t.s.label)

    return Row(line_height(t.s.label) + 0.6, draw, keep_with_next=True)


def _card_rows(t: Typesetter, card: DrillCard, number: int, width: float) -> list[Row]:
    pdf = t.pdf
    title_lines = t.wrap([(f"{number}. {card.title}", True)], t.s.title, lambda n: width - 2.0)
    bar = line_height(t.s.title) * len(title_lines) + 1.2
    fig_w = _figure_width(card.figure)
    beside = width - fig_w - 2.0
    label_size = t.s.caption
    head: list[tuple[list[Piece], float]] = []  # lines beside the figure, with their size
    for runs, size in (([(card.meta, False)], t.s.small), ([(card.dose, True)], t.s.body)):
        head += [(line, size) for line in t.wrap(runs, size, lambda n: beside)]
    used = sum(line_height(size) for _, size in head)
    # summary lines that fit beside the figure, above its label (the label is wider)
    room = max(int((FIG_H - 0.6 - used) // line_height(t.s.small)), 0)
    label_lines = t.wrap([(figure_label(card.figure), False)], label_size, lambda n: fig_w + 2)
    # the summary is background, the steps and cues are what a coach reads out: smaller type
    summary = t.wrap([(card.summary, False)], t.s.small, lambda n: beside if n < room else width)
    head += [(line, t.s.small) for line in summary[:room]]
    head_h = max(
        sum(line_height(size) for _, size in head),
        FIG_H + 0.1 + line_height(label_size) * len(label_lines) + 0.3,
    )

    def draw_head(x: float, y: float, w: float) -> None:
        pdf.set_fill_color(GREY_BAR)
        pdf.rect(x, y, w, bar, style="F")
        for n, line in enumerate(title_lines):
            t.draw_line(line, x + 1.0, y + 0.6 + n * line_height(t.s.title), t.s.title)
        draw_figure(card.figure, pdf, x + w - fig_w, y + bar + 0.4, FIG_H, FAMILY)
        t.current = None  # the figure's labels changed the font
        for n, pieces in enumerate(label_lines):
            label_w = sum(t.width(text, False, label_size) for _, text, _ in pieces)
            # centred under the figure, but never past the column's right edge
            left = min(x + w - fig_w / 2 - label_w / 2, x + w - label_w)
            ly = y + bar + FIG_H + 0.9 + n * line_height(label_size)
            t.draw_line([(0.0, "".join(p[1] for p in pieces), False)], left, ly, label_size)
        ty = y + bar + 0.8
        for pieces, size in head:
            t.draw_line(pieces, x, ty, size)
            ty += line_height(size)

    rows = [Row(bar + 0.8 + head_h, draw_head, keep_with_next=True)]
    for pieces in summary[room:]:
        rows.append(Row(line_height(t.s.small), _line_drawer(t, pieces, t.s.small)))
    rows.append(_heading(t, "Steps"))
    # hanging indent: the widest step number, then the widest time, then the cue
    number_w = max(t.width(f"{n}.", False, t.s.body) for n in (1, len(card.steps))) + 1.0
    times = [words.clock(step.seconds) for step in card.steps]
    step_indent = number_w + max(t.width(time, True, t.s.body) for time in times) + 1.5
    for step in card.steps:
        marks = f" ({', '.join(step.marks)})" if step.marks else ""
        check = f"{CHECK_MARK} " if step.checkpoint else ""
        prefix = [(0.0, f"{step.number}.", False), (number_w, words.clock(step.seconds), True)]
        rows.append(
            block(
                t, [(check + step.cue, False), (marks, False)], t.s.body, width, step_indent, prefix
            )
        )
    sections = [
        ("Look for", [[(point, False)] for point in card.checkpoints]),
        (
            "Faults → fixes",
            [[(f.fault, False), (" → ", False), (f.fix, True)] for f in card.faults],
        ),
        ("Safety", [[(note, False)] for note in card.safety]),
    ]
    for heading, items in sections:
        if items:
            rows.append(_heading(t, heading))
            rows += [block(t, runs, t.s.body, width, 3.0, [(0.6, "•", False)]) for runs in items]
    rows[-1].height += 3.0  # space before the next card
    return rows


def _plan_table(
    t: Typesetter, plan: RoutinePlan, x: float, y: float, width: float, heading: str
) -> float:
    """Draw one routine's order; return the y below it."""
    pdf = t.pdf
    size = t.s.body
    lh = line_height(size) + 0.35
    t.draw_line([(0.0, heading, True)], x, y, t.s.label + 1)
    y += line_height(t.s.label + 1) + 0.5

    def fits(*texts: str, bold: bool = False) -> float:
        return max(t.width(text, bold, size) for text in texts) + 2.4

    dose_w = max([t.width(r.dose, False, size) for r in plan.rows] + [10.0]) + 2
    clocks = [words.clock(r.start) for r in plan.rows] + ["start"]
    cols = [
        ("#", fits("#", "00", bold=True), "R"),
        ("start", fits(*clocks, bold=True), "R"),
        ("drill", 0.0, "L"),
        ("phase", fits("phase", "pull", "pose", "fall", bold=True), "L"),
        ("dose", dose_w, "L"),
        ("time", fits("time", *[words.clock(r.seconds) for r in plan.rows], bold=True), "R"),
    ]
    fixed = sum(w for _, w, _ in cols)
    cols[2] = ("drill", width - fixed - 2.0, "L")

    def row(cells: list[str], top: float, bold: bool = False, grey: bool = False) -> None:
        cx = x
        if grey:
            pdf.set_text_color(80)
        for (_, w, align), text in zip(cols, cells, strict=True):
            text = fit_text(t, text, bold, size, w - 1.2)
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
        row(
            [number, words.clock(r.start), r.title, phase, r.dose, words.clock(r.seconds)],
            y,
            grey=r.is_rest,
        )
        y += lh
    pdf.set_line_width(0.3)
    pdf.line(x, y, x + width, y)
    total = f"{words.clock(plan.total_seconds)} in all"
    t.draw_line([(0.0, total, True)], x + width - t.width(total, True, size) - 0.4, y + 0.5, size)
    return y + lh + 1.5


def _side_box(t: Typesetter, sheet: Sheet, x: float, y: float, width: float) -> float:
    """Shared safety notes, equipment and the check-mark legend; return the y below."""
    pdf = t.pdf
    rows: list[Row] = []
    if sheet.common_safety:
        rows.append(_heading(t, sheet.safety_heading))
        rows += [
            block(t, [(note, False)], t.s.body, width - 3, 3.0, [(0.6, "•", False)])
            for note in sheet.common_safety
        ]
    equipment = sorted({item for card in sheet.cards for item in card.equipment})
    if equipment:
        rows.append(_heading(t, "Equipment"))
        rows += text_rows(t, [(", ".join(equipment), False)], t.s.body, width - 3)
    if sheet.has_checkpoints:
        rows += text_rows(
            t,
            [(f"{CHECK_MARK} check the position at this step", False)],
            t.s.small,
            width - 3,
            grey=True,
        )
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


def _notes_rows(t: Typesetter) -> list[Row]:
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

    return (
        [_heading(t, "Notes")] + [ruled(n == 0) for n in range(NOTE_ROWS)] + [Row(29.0, coach_box)]
    )


def new_pdf(sheet: Sheet, paper: str, title: str | None = None):
    """An empty FPDF with the fonts; its ``pages_total`` is set once the dry runs know it.
    ``title``: the document's title (default: the sheet's)."""
    try:
        from fpdf import FPDF
    except ImportError as exc:  # a dependency, but a broken install should say what to do
        raise MissingExtraError(
            f"PDF cue sheets need the fpdf2 package ({exc})",
            hint="reinstall pose-coach, or: pip install 'fpdf2>=2.8'",
        ) from None

    class SheetPDF(FPDF):
        pages_total = 0

        def footer(self) -> None:
            # fpdf2 calls this as each page closes and restores the font afterwards
            size = 7.0
            self.set_font(FAMILY, "", size)
            self.set_text_color(90)
            y = self.h - MARGIN + 2.0
            label = f"page {self.page_no()} of {self.pages_total}"
            title = f"pose-coach cue sheet · {sheet.title}"
            while len(title) > 20 and self.get_string_width(title) > self.epw * 0.75:
                title = title[:-2] + "…"
            self.text(MARGIN, y, title)
            self.text(self.w - MARGIN - self.get_string_width(label), y, label)
            self.set_text_color(0)

    pdf = SheetPDF(unit="mm", format="A4" if paper == "a4" else "Letter")
    pdf.set_auto_page_break(False)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.add_font(FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title or sheet.title)
    pdf.set_creator("pose-coach")
    return pdf


def _layout(pdf, sheet: Sheet, sizes: Sizes) -> Typesetter:
    """Draw every page of the sheet (or just count them, on a DryRun)."""
    pdf.add_page()
    t = Typesetter(pdf, sizes)
    flow = Flow(pdf, _header(t, sheet))
    for number, card in enumerate(sheet.cards, 1):
        cont = f"{number}. {card.title} (continued)"

        def resume(cont: str = cont) -> Row:
            return Row(
                line_height(t.s.small) + 0.8,
                lambda x, y, w: t.draw_line([(0.0, cont, True)], x, y, t.s.small),
            )

        flow.place(_card_rows(t, card, number, flow.width), resume, whole=True)
    if sheet.notes:
        flow.place(_notes_rows(t))
    return t


def render_pdf(sheet: Sheet, paper: str = "a4", warn: Callable[[str], None] | None = None) -> bytes:
    """The sheet as PDF bytes on A4 or US Letter.

    The text size is the largest of ``BODY_SIZES`` (never below 9 pt) that needs no more
    pages than the smallest does.
    """
    pdf = new_pdf(sheet, paper)
    pages = {}
    for body in BODY_SIZES:
        dry = DryRun(pdf)
        _layout(dry, sheet, Sizes(body))
        pages[body] = dry.pages_count
    fewest = min(pages.values())
    body = next(size for size in BODY_SIZES if pages[size] == fewest)
    pdf.pages_total = fewest
    _layout(pdf, sheet, Sizes(body))
    return finish(pdf, warn)


def finish(pdf, warn: Callable[[str], None] | None) -> bytes:
    """The drawn document's bytes; characters the font lacks are reported once."""
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
        warn(
            f"{len(missing)} character(s) are not in the embedded font (DejaVu Sans) and are"
            f" left out of the PDF: {shown}; the HTML sheet shows them"
        )
    return data


def _header(t: Typesetter, sheet: Sheet) -> list[float]:
    """Title, subtitle, summary, the cadence used, the routine orders and the side box,
    each across the page; return the columns' tops."""
    pdf = t.pdf
    x, width = MARGIN, pdf.epw
    y = MARGIN
    for line in t.wrap([(sheet.title, True)], 16.0, lambda n: width):
        t.draw_line(line, x, y, 16.0)
        y += line_height(16.0)
    pdf.set_text_color(60)
    t.draw_line([(0.0, sheet.subtitle, False)], x, y + 0.3, t.s.small)
    pdf.set_text_color(0)
    y += line_height(t.s.small) + 1.2
    if sheet.summary:
        for row in text_rows(t, [(sheet.summary, False)], t.s.body, width):
            row.draw(x, y, width)
            y += row.height
        y += 1.5
    if sheet.cadence_note:
        note = [("Cadence: ", True), (sheet.cadence_note, False)]
        for row in text_rows(t, note, t.s.small, width):
            row.draw(x, y, width)
            y += row.height
        y += 1.5
    for plan in sheet.plans:  # across the page: drill names need the width
        heading = f"ORDER — {plan.title}" if len(sheet.plans) > 1 else "ORDER"
        y = _plan_table(t, plan, x, y, width, heading)
    # the side box heads the first column; the cards start beside it
    left = _side_box(t, sheet, x, y, column_width(width, COLUMNS)) + 1.0
    return [left if left > y else y] + [y] * (COLUMNS - 1)
