"""The coach view (``sheet --layout coach``): the whole session on one page.

What a coach holds at a group session: the order with the time of each item, and per
drill its figure, the one cue to call out and the top fault to watch for, with its fix.
The same content as text, Markdown, HTML and a one-page PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from pose_coach import words
from pose_coach.render.sheet.figures import draw_figure, figure_label, figure_svg
from pose_coach.render.sheet.model import DrillCard, Sheet

FIG_H = 36.0  # mm in the PDF, as on the cards (at least 35 mm), while the page has room
MIN_FIG_H = 20.0  # mm: a long routine shrinks its figures to stay on one page


def cue_line(card: DrillCard) -> str:
    step = card.key_cue
    marks = f" ({', '.join(step.marks)})" if step.marks else ""
    return f"{step.cue}{marks}"


def fault_line(card: DrillCard) -> str | None:
    fault = card.top_fault
    return f"{fault.fault} → {fault.fix}" if fault else None


def _order(sheet: Sheet) -> list[tuple[str, str, str]]:
    """(start, what, time) of every item of every routine; a drill alone is one row."""
    rows = []
    if sheet.plans:
        for plan in sheet.plans:
            for row in plan.rows:
                what = row.title if row.is_rest else f"{row.number}. {row.title} ({row.dose})"
                rows.append((words.clock(row.start), what, words.clock(row.seconds)))
    else:
        clock = 0.0
        for n, card in enumerate(sheet.cards, 1):
            rows.append((words.clock(clock), f"{n}. {card.title} ({card.dose})", ""))
            clock += card.total_seconds
    return rows


def render(sheet: Sheet, fmt: str, *, paper: str, warn: Callable[[str], None] | None) -> bytes:
    if fmt == "text":
        return render_text(sheet).encode("utf-8")
    if fmt == "md":
        return render_markdown(sheet).encode("utf-8")
    if fmt == "html":
        return render_html(sheet, paper).encode("utf-8")
    return render_pdf(sheet, paper, warn)


def render_text(sheet: Sheet) -> str:
    lines = [f"{sheet.title} — coach view", sheet.subtitle]
    if sheet.cadence_note:
        lines.append(f"Cadence: {sheet.cadence_note}")
    lines += ["", "Order"]
    lines += [f"  {start:>5}  {what}  {time}".rstrip() for start, what, time in _order(sheet)]
    for n, card in enumerate(sheet.cards, 1):
        lines += ["", f"{n}. {card.title} — {words.clock(card.total_seconds)}"]
        lines.append(f"   cue:   {cue_line(card)}")
        fault = fault_line(card)
        if fault:
            lines.append(f"   watch: {fault}")
        lines.append(f"   figure: {figure_label(card.figure)}")
    if sheet.common_safety:
        lines += ["", sheet.safety_heading] + [f"  • {note}" for note in sheet.common_safety]
    return "\n".join(lines) + "\n"


def render_markdown(sheet: Sheet) -> str:
    from pose_coach.render.sheet.markdown import md_escape

    lines = [f"# {md_escape(sheet.title)} — coach view", "", f"*{md_escape(sheet.subtitle)}*"]
    if sheet.cadence_note:
        lines += ["", f"**Cadence:** {md_escape(sheet.cadence_note)}"]
    lines += ["", "| Start | Item | Time |", "|--:|---|--:|"]
    lines += [f"| {s} | {md_escape(w)} | {t} |" for s, w, t in _order(sheet)]
    lines += ["", "| # | Drill | Cue | Watch for → fix |", "|--:|---|---|---|"]
    for n, card in enumerate(sheet.cards, 1):
        fault = fault_line(card) or ""
        lines.append(
            f"| {n} | {md_escape(card.title)} ({words.clock(card.total_seconds)}) | "
            f"{md_escape(cue_line(card))} | {md_escape(fault)} |"
        )
    if sheet.common_safety:
        lines += ["", f"**{sheet.safety_heading}**", ""]
        lines += [f"- {md_escape(note)}" for note in sheet.common_safety]
    return "\n".join(lines) + "\n"


_CSS = """
* { box-sizing: border-box; }
body { font: 15px/1.35 "DejaVu Sans", system-ui, sans-serif; color: #000; background: #fff;
  max-width: 62em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin: 0; }
.sub { margin: .1em 0 .5em; color: #333; }
table.order { border-collapse: collapse; width: 100%; margin: .4em 0 .8em; }
table.order td { border-bottom: 1px solid #999; padding: .1em .4em; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: .6em; }
.cell { display: flex; gap: .6em; border: 1.5px solid #000; border-radius: 4px;
  padding: .35em .5em; break-inside: avoid; }
.cell svg { width: 5em; height: auto; flex: none; }
.cell h2 { font-size: 1em; margin: 0 0 .2em; }
.cell p { margin: .1em 0; }
.box { border: 1.5px dashed #000; padding: .3em .6em; margin-top: .7em; }
@media print {
  body { font-size: 9.5pt; max-width: none; margin: 0; padding: 0; }
  .cell svg { width: 25.7mm; }
}
"""


def render_html(sheet: Sheet, paper: str) -> str:
    from pose_coach.render.sheet.html import PAGE_SIZES

    css = _CSS + f"@page {{ size: {PAGE_SIZES[paper]}; margin: 10mm; }}\n"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="pose-coach">',
        f"<title>{escape(sheet.title)} — coach view</title>",
        f"<style>{css}</style></head>",
        '<body class="coach">',
        f"<h1>{escape(sheet.title)} — coach view</h1>",
        f'<p class="sub">{escape(sheet.subtitle)}</p>',
    ]
    if sheet.cadence_note:
        out.append(f"<p><strong>Cadence:</strong> {escape(sheet.cadence_note)}</p>")
    out.append('<table class="order"><tbody>')
    for start, what, time in _order(sheet):
        out.append(
            f'<tr><td class="n">{start}</td><td>{escape(what)}</td><td class="n">{time}</td></tr>'
        )
    out.append('</tbody></table><div class="grid">')
    for n, card in enumerate(sheet.cards, 1):
        fault = fault_line(card)
        out += [
            f'<section class="cell" id="drill-{card.id}" data-figure="{card.figure}">',
            figure_svg(card.figure),
            f"<div><h2>{n}. {escape(card.title)} · {words.clock(card.total_seconds)}</h2>",
            f"<p><strong>Cue:</strong> {escape(cue_line(card))}</p>",
        ]
        if fault:
            out.append(f"<p><strong>Watch:</strong> {escape(fault)}</p>")
        out.append("</div></section>")
    out.append("</div>")
    if sheet.common_safety:
        out.append(f'<div class="box"><strong>{escape(sheet.safety_heading)}</strong><ul>')
        out += [f"<li>{escape(note)}</li>" for note in sheet.common_safety]
        out.append("</ul></div>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def render_pdf(sheet: Sheet, paper: str, warn: Callable[[str], None] | None) -> bytes:
    """One page, always: the figures shrink (never below ``MIN_FIG_H``) and the text wraps
    to fit; with more drills than that allows, the last ones are listed by name."""
    from pose_coach.render.sheet import pdf as sheet_pdf
    from pose_coach.render.sheet.pdf_layout import (
        FAMILY,
        GUTTER,
        MARGIN,
        Sizes,
        Typesetter,
        line_height,
        text_rows,
    )

    pdf = sheet_pdf.new_pdf(sheet, paper, title=f"{sheet.title} — coach view")
    pdf.pages_total = 1
    pdf.add_page()
    t = Typesetter(pdf, Sizes(9.5))
    x, width = MARGIN, pdf.epw
    y = MARGIN
    for line in t.wrap([(f"{sheet.title} — coach view", True)], 15.0, lambda n: width):
        t.draw_line(line, x, y, 15.0)
        y += line_height(15.0)
    pdf.set_text_color(60)
    t.draw_line([(0.0, sheet.subtitle, False)], x, y + 0.3, t.s.small)
    pdf.set_text_color(0)
    y += line_height(t.s.small) + 1.0
    if sheet.cadence_note:
        for row in text_rows(t, [("Cadence: ", True), (sheet.cadence_note, False)], 9.0, width):
            row.draw(x, y, width)
            y += row.height
        y += 0.8
    # the order in two columns of (start, item, time)
    order = _order(sheet)
    half = math.ceil(len(order) / 2)
    col_w = (width - GUTTER) / 2
    lh = line_height(9.0) + 0.2
    start_w = t.width("00:00", True, 9.0) + 1.5
    for n, (start, what, time) in enumerate(order):
        cx = x + (n // half) * (col_w + GUTTER)
        cy = y + (n % half) * lh
        t.draw_line([(0.0, start, True)], cx, cy, 9.0)
        time_w = t.width(time, False, 9.0)
        what = sheet_pdf.fit_text(t, what, False, 9.0, col_w - start_w - time_w - 2.0)
        t.draw_line([(start_w, what, False)], cx, cy, 9.0)
        t.draw_line([(0.0, time, False)], cx + col_w - time_w, cy, 9.0)
    y += half * lh + 2.0
    bottom = pdf.h - MARGIN - 5.0
    safety = [f"• {note}" for note in sheet.common_safety]
    safety_rows = []
    if safety:
        safety_rows = [
            row
            for note in [sheet.safety_heading.upper()] + safety
            for row in text_rows(t, [(note, note.isupper())], 9.0, width)
        ]
    bottom -= sum(row.height for row in safety_rows) + (2.0 if safety_rows else 0.0)
    cards = list(sheet.cards)
    columns = 2 if len(cards) <= 8 else 3
    rows_n = max(math.ceil(len(cards) / columns), 1)
    cell_h = (bottom - y) / rows_n
    fig_h = max(min(FIG_H, cell_h - 3.0), MIN_FIG_H)
    if fig_h + 3.0 > cell_h:  # too many drills for one page even at the smallest size
        rows_n = max(int((bottom - y) // (MIN_FIG_H + 3.0)), 1)
        cell_h = (bottom - y) / rows_n
    shown = cards[: rows_n * columns]
    cell_w = (width - GUTTER * (columns - 1)) / columns
    for n, card in enumerate(shown):
        cx = x + (n % columns) * (cell_w + GUTTER)
        cy = y + (n // columns) * cell_h
        pdf.set_line_width(0.3)
        pdf.rect(cx, cy, cell_w, cell_h - 1.5)
        fig_w = draw_figure(card.figure, pdf, cx + 1.0, cy + 0.8, fig_h, FAMILY)
        t.current = None
        tx, tw = cx + fig_w + 2.5, cell_w - fig_w - 4.0
        ty = cy + 1.2
        number = sheet.cards.index(card) + 1
        runs = [
            ([(f"{number}. {card.title}", True)], 10.0),
            ([(words.clock(card.total_seconds) + " · " + card.dose.split(" — ")[0], False)], 9.0),
            ([("Cue: ", True), (cue_line(card), False)], 9.0),
        ]
        fault = fault_line(card)
        if fault:
            runs.append(([("Watch: ", True), (fault, False)], 9.0))
        limit = cy + cell_h - 2.0

        def text_width(line: int, width: float = tw) -> float:
            return width

        for pieces, size in runs:
            for line in t.wrap(pieces, size, text_width):
                if ty + line_height(size) > limit:
                    break
                t.draw_line(line, tx, ty, size)
                ty += line_height(size)
            ty += 0.6
    if len(shown) < len(cards):
        rest = ", ".join(c.title for c in cards[len(shown) :])
        t.draw_line([(0.0, f"Also: {rest}", False)], x, bottom - line_height(9.0), 9.0)
    sy = bottom + 2.0
    for row in safety_rows:
        row.draw(x, sy, width)
        sy += row.height
    return sheet_pdf.finish(pdf, warn)
