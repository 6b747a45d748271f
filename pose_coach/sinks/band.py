"""The band: the kind of moment in colour over the full width, with the cue and the leg.

Work is drawn in its phase's colour, a rest in green, the last 3 s in yellow and a
pause in grey; the band's first row says the same in words (WORK, REST, LAST 3 S,
PAUSED, GET READY), so NO_COLOR loses nothing. The cue and LEFT LEG / RIGHT LEG are in
block letters (font.py) where the window allows, else bold text on the band.

Band lines carry their colour as the line's own style, so it fills the padding to the
full width; ``frame.py`` leaves their trailing spaces alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pose_coach.sinks.font import LETTERS
from pose_coach.sinks.rows import PHASE_COLOURS
from pose_coach.sinks.view import View

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

MOMENT_WORDS = {
    "work": "WORK",
    "rest": "REST",
    "last": "LAST 3 S",
    "paused": "PAUSED",
    "ready": "GET READY",
}
# the most lines of block letters a cue may take before it is written as text instead
CUE_BLOCK_LINES = 3


def band_style(view: View) -> str:
    moment = view.moment
    if moment == "paused":
        return "bold white on bright_black"
    if moment == "last":
        return "bold black on yellow"
    if moment in ("rest", "ready"):
        return "bold black on green"
    return "bold bright_white on " + PHASE_COLOURS.get(view.phase, "blue")


def fill(text: Text, width: int, style: str, justify: str = "center") -> Text:
    """``text`` as a band line: ``style`` under it to the full ``width``."""
    text.truncate(width, overflow="ellipsis")
    text.align(justify, width)  # type: ignore[arg-type]
    text.style = style
    return text


def label_row(view: View, width: int) -> Text:
    """``WORK`` (or REST, LAST 3 S...) on the left; the step's notes on the right."""
    from rich.text import Text

    style = band_style(view)
    word = Text(f" {MOMENT_WORDS[view.moment]}")
    notes = Text(_notes(view))
    if notes.cell_len and word.cell_len + notes.cell_len + 3 <= width:
        word.pad_right(width - word.cell_len - notes.cell_len - 1)
        word += notes
    return fill(word, width, style, "left")


def _notes(view: View) -> str:
    notes = []
    if view.checkpoint:
        notes.append("★ checkpoint")
    if view.cadence:
        notes.append(f"{view.cadence} steps/min")
    return " · ".join(notes)


def cue_rows(view: View, width: int, scale: int, console: Console) -> list[Text]:
    """The cue: block letters at ``scale`` when it fits in a few lines, else bold text."""
    from rich.text import Text

    style = band_style(view)
    inner = width - 2
    if scale:
        lines = LETTERS.wrap(view.cue, scale, inner)
        if lines and len(lines) <= CUE_BLOCK_LINES:
            out: list[Text] = []
            for i, line in enumerate(lines):
                if i:
                    out.append(fill(Text(), width, style))
                out += [fill(Text(row), width, style) for row in LETTERS.render(line, scale)]
            return out
    cue = Text(view.cue.upper())
    return [fill(line, width, style) for line in cue.wrap(console, inner, overflow="fold")]


def leg_rows(view: View, width: int, scale: int) -> list[Text]:
    """LEFT LEG / RIGHT LEG, large, and which foot to stand on; none for a two-leg step."""
    from rich.text import Text

    if not view.side:
        return []
    style = band_style(view)
    big = f"{view.side} leg".upper()
    words = f"stand on the {view.side} foot"
    if view.switched:
        words += " · switch legs"
    if scale and LETTERS.width(big, scale) <= width - 2:
        rows = [fill(Text(row), width, style) for row in LETTERS.render(big, scale)]
        return rows + [fill(Text(words), width, style)]
    return [fill(Text(f"{big} · {words}"), width, style)]


def blank_row(view: View, width: int) -> Text:
    from rich.text import Text

    return fill(Text(), width, band_style(view))
