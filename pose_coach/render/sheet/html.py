"""The cue sheet as one self-contained HTML file: inline CSS, inline SVG figures, no scripts.

Every piece of drill text goes through ``html.escape``; the only unescaped markup is our
own (the template and the SVG from ``figures``). A print stylesheet sets the paper size,
lays the drill cards out in two columns and keeps each card on one page.
"""

from __future__ import annotations

from html import escape

from pose_coach import words
from pose_coach.render.sheet.figures import figure_caption, figure_label, figure_svg
from pose_coach.render.sheet.model import CHECK_MARK, NOTE_ROWS, DrillCard, RoutinePlan, Sheet

PAGE_SIZES = {"a4": "A4", "letter": "letter"}

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.4 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", sans-serif;
  color: #000; background: #fff; max-width: 62em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.7em; margin: 0; }
.sub { margin: .15em 0 .6em; color: #333; }
h2 { font-size: 1.15em; margin: 1em 0 .3em; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #888; padding: .15em .45em; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid #000; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.rest td { font-style: italic; color: #333; }
.box { border: 1.5px dashed #000; padding: .35em .7em; margin: .7em 0; }
.box ul { margin: .2em 0 0; }
.legend { font-size: .85em; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(24em, 1fr));
  gap: 1em; margin-top: .8em; align-items: start; }
.card { break-inside: avoid; border: 1.5px solid #000; border-radius: 4px;
  padding: .5em .75em .6em; }
.card h2 { margin: 0; }
.card .meta { font-size: .85em; margin: .1em 0 .3em; }
.card figure { float: right; width: 6.5em; margin: 0 0 .3em .7em; }
.card figure svg { display: block; width: 100%; height: auto; }
figcaption { font-size: .7em; line-height: 1.25; text-align: center; }
.card h3 { font-size: .78em; text-transform: uppercase; letter-spacing: .05em;
  margin: .55em 0 .1em; }
.card p { margin: .2em 0; font-size: .92em; }
ol, ul { margin: 0; padding-left: 1.3em; }
.t { font-weight: bold; font-variant-numeric: tabular-nums; }
.marks { font-style: italic; }
.fix { font-weight: bold; }
.fix::before { content: "→ "; font-weight: normal; }
.notes { break-inside: avoid; }
.notes td { height: 2.1em; }
.notes .coach { height: 7em; border: 1.5px solid #000; margin-top: .6em; padding: .3em .5em; }
@media print {
  /* 9 pt at least, to be read outdoors; a figure 36 mm tall (its box is 100 × 140) */
  body { font-size: 9.5pt; max-width: none; margin: 0; padding: 0; }
  .card p, .card .meta, figcaption { font-size: 9pt; }
  .cards { grid-template-columns: 1fr 1fr; gap: 3mm; }
  .card { padding: 2mm 3mm; }
  .card figure { width: 25.7mm; }
}
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _plan(plan: RoutinePlan, heading: str) -> list[str]:
    out = [
        f"<h2>{_e(heading)}</h2>",
        '<table class="order">',
        "<thead><tr><th>#</th><th>Start</th><th>Drill</th><th>Phase</th><th>Dose</th>"
        "<th>Time</th></tr></thead><tbody>",
    ]
    for row in plan.rows:
        number = str(row.number) if row.number is not None else ""
        phase = row.phase.value if row.phase else ""
        cls = ' class="rest"' if row.is_rest else ""
        out.append(
            f'<tr{cls}><td class="n">{number}</td><td class="n">'
            f"{words.clock(row.start)}</td><td>{_e(row.title)}</td><td>{phase}</td>"
            f'<td>{_e(row.dose)}</td><td class="n">{words.clock(row.seconds)}</td></tr>'
        )
    out.append("</tbody></table>")
    return out


def _list(heading: str, items: list[str], ordered: bool = False) -> list[str]:
    if not items:
        return []
    tag = "ol" if ordered else "ul"
    return [f"<h3>{heading}</h3><{tag}>"] + [f"<li>{item}</li>" for item in items] + [f"</{tag}>"]


def _card(card: DrillCard, number: int) -> list[str]:
    out = [
        f'<section class="card" id="drill-{card.id}" data-phase="{card.phase.value}"'
        f' data-figure="{card.figure}">',
        f'<figure title="{_e(figure_caption(card.figure))}">{figure_svg(card.figure)}'
        f"<figcaption>{_e(figure_label(card.figure))}</figcaption></figure>",
        f"<h2>{number}. {_e(card.title)}</h2>",
        f'<div class="meta">{_e(card.meta)}<br><strong>{_e(card.dose)}</strong></div>',
        f"<p>{_e(card.summary)}</p>",
    ]
    steps = []
    for step in card.steps:
        mark = f"{CHECK_MARK} " if step.checkpoint else ""
        marks = f' <span class="marks">({_e(", ".join(step.marks))})</span>' if step.marks else ""
        steps.append(
            f'<span class="t">{words.clock(step.seconds)}</span> {mark}{_e(step.cue)}{marks}'
        )
    out += _list("Steps", steps, ordered=True)
    out += _list("Look for", [_e(point) for point in card.checkpoints])
    out += _list(
        "Faults and fixes",
        [f'{_e(f.fault)} <span class="fix">{_e(f.fix)}</span>' for f in card.faults],
    )
    out += _list("Safety", [_e(note) for note in card.safety])
    out.append("</section>")
    return out


CARD_CSS = _CSS  # for pages that embed drill cards (the run report)


def cards_html(sheet: Sheet) -> str:
    """The sheet's drill cards alone, each a ``<section id="drill-ID">``, for embedding."""
    out = ['<div class="cards">']
    for number, card in enumerate(sheet.cards, 1):
        out += _card(card, number)
    out.append("</div>")
    return "\n".join(out)


def render_html(sheet: Sheet, paper: str = "a4") -> str:
    css = _CSS + f"@page {{ size: {PAGE_SIZES[paper]}; margin: 12mm; }}\n"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="pose-coach">',
        f"<title>{_e(sheet.title)} — cue sheet</title>",
        f"<style>{css}</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(sheet.title)}</h1>",
        f'<p class="sub">{_e(sheet.subtitle)}</p>',
    ]
    if sheet.summary:
        out.append(f"<p>{_e(sheet.summary)}</p>")
    if sheet.cadence_note:
        out.append(f'<p class="cadence"><strong>Cadence:</strong> {_e(sheet.cadence_note)}</p>')
    for plan in sheet.plans:
        out += _plan(plan, sheet.order_heading(plan))
    if sheet.common_safety:
        out.append(f'<div class="box"><strong>{_e(sheet.safety_heading)}</strong><ul>')
        out += [f"<li>{_e(note)}</li>" for note in sheet.common_safety]
        out.append("</ul></div>")
    if sheet.has_checkpoints:
        out.append(f'<p class="legend">{CHECK_MARK} = check the position at this step</p>')
    out.append(cards_html(sheet))
    if sheet.notes:
        out += [
            '<section class="notes"><h2>Notes</h2><table>',
            '<thead><tr><th style="width:30%">Athlete</th><th>Notes</th></tr></thead>',
            "<tbody>" + "<tr><td></td><td></td></tr>" * NOTE_ROWS + "</tbody></table>",
            '<div class="coach"><strong>Coach\'s notes</strong></div></section>',
        ]
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"
