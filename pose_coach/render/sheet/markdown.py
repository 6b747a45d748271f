"""The cue sheet as GitHub-flavoured Markdown.

Markdown has no self-contained way to show the figures on common hosts (GitHub drops
``data:`` image URIs and strips inline SVG), so each card carries the figure's one-line
caption instead; the HTML and PDF sheets have the drawings.
"""

from __future__ import annotations

import re

from pose_coach import words
from pose_coach.render.sheet.figures import figure_caption
from pose_coach.render.sheet.model import CHECK_MARK, NOTE_ROWS, DrillCard, RoutinePlan, Sheet

_INLINE = re.compile(r"([\\`*_\[\]<>|~&$])")
_SHORTCODE = re.compile(r":(?=[A-Za-z0-9_+-]+:)")  # :smile: would become an emoji on GitHub
_BLOCK_START = re.compile(r"^([#>+=-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")


def md_escape(text: str) -> str:
    """Drill text as literal Markdown: no emphasis, links, HTML, tables, math or emoji.

    Backslash escapes work before any ASCII punctuation in CommonMark, so escaping a few
    more characters than strictly needed costs only looks in the raw file.
    """
    text = " ".join(text.split())  # one line: a newline could start a block
    text = _INLINE.sub(r"\\\1", text)
    text = _SHORTCODE.sub(r"\\:", text)
    text = _BLOCK_START.sub(r"\\\1", text)
    return _ORDERED_START.sub(r"\1\\\2", text)


def _plan(plan: RoutinePlan, heading: str) -> list[str]:
    lines = [
        f"## {heading}",
        "",
        "| # | Start | Drill | Phase | Dose | Time |",
        "|--:|--:|---|---|---|--:|",
    ]
    for row in plan.rows:
        number = str(row.number) if row.number is not None else ""
        title = "*rest*" if row.is_rest else md_escape(row.title)
        phase = row.phase.value if row.phase else ""
        lines.append(
            f"| {number} | {words.clock(row.start)} | {title} | {phase} | {row.dose} "
            f"| {words.clock(row.seconds)} |"
        )
    return lines


def _card(card: DrillCard, number: int) -> list[str]:
    lines = [
        f"## {number}. {md_escape(card.title)}",
        "",
        f"**{md_escape(card.meta)}** · {md_escape(card.dose)} · `{card.id}`",
        "",
        f"*{md_escape(figure_caption(card.figure))}*",
        "",
        md_escape(card.summary),
        "",
        "**Steps**",
        "",
    ]
    for step in card.steps:
        mark = f"{CHECK_MARK} " if step.checkpoint else ""
        extra = f" *({', '.join(step.marks)})*" if step.marks else ""
        lines.append(
            f"{step.number}. **{words.clock(step.seconds)}** {mark}{md_escape(step.cue)}{extra}"
        )
    sections = [
        ("Look for", [md_escape(point) for point in card.checkpoints]),
        ("Faults → fixes", [f"{md_escape(f.fault)} → {md_escape(f.fix)}" for f in card.faults]),
        ("Safety", [md_escape(note) for note in card.safety]),
    ]
    for heading, items in sections:
        if items:
            lines += ["", f"**{heading}**", ""] + [f"- {item}" for item in items]
    return lines


def render_markdown(sheet: Sheet) -> str:
    lines = [f"# {md_escape(sheet.title)}", "", f"*{md_escape(sheet.subtitle)}*"]
    if sheet.summary:
        lines += ["", md_escape(sheet.summary)]
    if sheet.cadence_note:
        lines += ["", f"**Cadence:** {md_escape(sheet.cadence_note)}"]
    for plan in sheet.plans:
        lines += [""] + _plan(plan, sheet.order_heading(plan, md_escape))
    if sheet.common_safety:
        lines += ["", f"**{sheet.safety_heading}**", ""]
        lines += [f"- {md_escape(note)}" for note in sheet.common_safety]
    if sheet.has_checkpoints:
        lines += ["", f"{CHECK_MARK} = check the position at this step"]
    for number, card in enumerate(sheet.cards, 1):
        lines += ["", "---", ""] + _card(card, number)
    if sheet.notes:
        lines += ["", "---", "", "## Notes", "", "| Athlete | Notes |", "|---|---|"]
        lines += ["| | |"] * NOTE_ROWS
        lines += ["", "**Coach's notes**", "", "&nbsp;", "", "&nbsp;", "", "&nbsp;"]
    return "\n".join(lines) + "\n"
