"""The cue sheet as plain text: fixed width, no markup, safe for a terminal or a calendar.

Drill text needs no escaping here: the loader already refuses control characters, and
nothing downstream interprets the text (it is never rich markup).
"""

from __future__ import annotations

import textwrap

from pose_coach import words
from pose_coach.render.sheet.figures import figure_caption
from pose_coach.render.sheet.model import CHECK_MARK, NOTE_ROWS, DrillCard, RoutinePlan, Sheet


def _wrap(text: str, width: int, first: str = "", rest: str | None = None) -> list[str]:
    rest = first if rest is None else rest
    return textwrap.wrap(
        " ".join(text.split()),
        width=width,
        initial_indent=first,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def _plan_lines(plan: RoutinePlan, heading: str) -> list[str]:
    lines = [heading, ""]
    titles = [row.title for row in plan.rows if not row.is_rest]
    doses = [row.dose for row in plan.rows]
    tw = max(len(t) for t in titles + ["drill"])
    dw = max(len(d) for d in doses + ["dose"])
    lines.append(f"   #  start  {'drill':<{tw}}  phase  {'dose':<{dw}}   time")
    for row in plan.rows:
        clock = f"{words.clock(row.start):>5}"
        time = f"{words.clock(row.seconds):>5}"
        if row.is_rest:  # a rest's words may use the phase and dose columns too
            room = tw + 2 + 5 + 2 + dw
            title = row.title if len(row.title) <= room else row.title[: room - 1] + "…"
            lines.append(f"      {clock}  {title:<{room}}  {time}")
            continue
        phase = row.phase.value if row.phase else ""
        lines.append(
            f"  {row.number:>2}. {clock}  {row.title:<{tw}}  {phase:<5}  "
            f"{row.dose:<{dw}}  {time}".rstrip()
        )
    return lines


def _card_lines(card: DrillCard, number: int, width: int) -> list[str]:
    lines = _wrap(f"{number}. {card.title}  [{card.id}]", width, "", "   ")
    lines += _wrap(card.meta, width, "   ")
    lines += _wrap("Dose: " + card.dose, width, "   ", "         ")
    lines += _wrap(figure_caption(card.figure), width, "   ")
    lines.append("")
    lines += _wrap(card.summary, width, "   ")
    lines += ["", "   Steps"]
    for step in card.steps:
        mark = f"{CHECK_MARK} " if step.checkpoint else ""
        extra = f" ({', '.join(step.marks)})" if step.marks else ""
        lead = f"   {step.number:>3}. {words.clock(step.seconds):>5}  "
        lines += _wrap(f"{mark}{step.cue}{extra}", width, lead, " " * len(lead))
    if card.checkpoints:
        lines.append("   Look for")
        for point in card.checkpoints:
            lines += _wrap(point, width, "     • ", "       ")
    if card.faults:
        lines.append("   Faults → fixes")
        for fault in card.faults:
            lines += _wrap(f"{fault.fault} → {fault.fix}", width, "     • ", "       ")
    if card.safety:
        lines.append("   Safety")
        for note in card.safety:
            lines += _wrap(note, width, "     • ", "       ")
    return lines


def render_text(sheet: Sheet, width: int = 78) -> str:
    """The whole sheet, lines at most ``width`` wide (order tables may run longer)."""
    title = _wrap(sheet.title, width)
    lines = title + ["=" * max(len(line) for line in title)] + _wrap(sheet.subtitle, width)
    if sheet.summary:
        lines += [""] + _wrap(sheet.summary, width)
    if sheet.cadence_note:
        lines += [""] + _wrap(f"Cadence: {sheet.cadence_note}", width, "", "  ")
    for plan in sheet.plans:
        lines += [""] + _plan_lines(plan, sheet.order_heading(plan))
    if sheet.common_safety:
        lines += ["", sheet.safety_heading]
        for note in sheet.common_safety:
            lines += _wrap(note, width, "  • ", "    ")
    if sheet.has_checkpoints:
        lines += ["", f"{CHECK_MARK} = check the position at this step"]
    for number, card in enumerate(sheet.cards, 1):
        lines += ["", "-" * width] + _card_lines(card, number, width)
    if sheet.notes:
        lines += ["", "-" * width, "Notes", ""]
        rule = "_" * 20
        lines += [f"  Athlete {rule}  {'_' * max(width - 33, 10)}" for _ in range(NOTE_ROWS)]
        lines += ["", "  Coach's notes"] + ["  " + "_" * (width - 2) for _ in range(4)]
    return "\n".join(lines) + "\n"
