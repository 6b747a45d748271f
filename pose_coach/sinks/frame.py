"""How the live view looks: a ``View`` drawn into lines that always fit the terminal.

From the top: the header (where the session is), the band (the kind of moment in
colour over the full width, the cue and the leg: band.py), the time left in block
digits that grow with the window (font.py), then, smaller, the next cue, the
checkpoints, the session's bar and the keys. ``frame_lines`` tries layouts from the
richest down (rows.py has the one-line pieces) and draws the first that fits: the
digits shrink only after the checkpoint list and the blank lines are gone, and at
100×30 and larger they stay at least 7 rows tall. Below 40 columns or 10 rows a
compact view (compact.py) takes over. Drill text only ever goes into
``rich.text.Text``, never markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from pose_coach.play.scheduler import SessionResult
from pose_coach.sinks import band, rows
from pose_coach.sinks.compact import compact_lines
from pose_coach.sinks.font import DIGITS
from pose_coach.sinks.view import View
from pose_coach.timeline import Timeline

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Below this the full layout cannot stay readable; a compact one takes over.
COMPACT_WIDTH = 40
COMPACT_HEIGHT = 10
# From here on the cue and the leg are in block letters, and the digits >= 7 rows.
BIG_WIDTH = 100
BIG_HEIGHT = 30
# ...and here the letters are twice as big.
HUGE_WIDTH = 160
HUGE_HEIGHT = 50
# The share of the window's height the digits may take; in fewer rows than
# DIGITS_HEIGHT, the time is one line of words instead ("0:12 left").
DIGITS_SHARE = 0.36
DIGITS_HEIGHT = 14


@dataclass(frozen=True)
class _Detail:
    """How much of the full layout to draw; ``frame_lines`` tries richest first."""

    digits: int  # the scale of the block digits; 0: one line, "0:12 left"
    letters: int  # the scale of the cue's and the leg's block letters; 0: bold text
    gaps: bool = True  # blank lines between the parts
    pads: bool = True  # blank rows of colour inside the band
    checkpoints: str = "all"  # 'all', 'focus' or 'none'
    keys: bool = True
    next: bool = True
    header: bool = True


def frame_lines(view: View, width: int, height: int, console: Console) -> list[Text]:
    """The frame's lines: at most ``height`` of them, none wider than ``width`` cells."""
    width, height = max(width, 1), max(height, 1)
    if width < COMPACT_WIDTH or height < COMPACT_HEIGHT:
        lines = compact_lines(view, width, height, console)
    else:
        for detail in _details(view, width, height):
            lines = _full(view, width, detail, console)
            if len(lines) <= height:
                break
    lines = lines[:height]
    for line in lines:
        if " on " not in str(line.style):  # a band line keeps its colour to the edge
            line.rstrip()
        line.truncate(width, overflow="ellipsis")
    return lines


def digit_scale(view: View, width: int, height: int) -> int:
    """The largest scale of the block digits for this window; 0 when none fits.

    Scale 1 (4 rows, half blocks) for small windows, else even scales only: whole
    blocks, two columns by one row per pixel, the crispest the font draws.
    """
    text = rows.count_text(view)

    def fits(scale: int) -> bool:
        return (
            DIGITS.rows(scale) <= height * DIGITS_SHARE and DIGITS.width(text, scale) <= width - 4
        )

    if height < DIGITS_HEIGHT or not fits(1):
        return 0
    scale = 1
    while fits(2 * (scale // 2 + 1)):
        scale = 2 * (scale // 2 + 1)
    return scale


def _details(view: View, width: int, height: int) -> Iterator[_Detail]:
    """The layouts to try, richest first."""
    big = width >= BIG_WIDTH and height >= BIG_HEIGHT
    letters = (2 if width >= HUGE_WIDTH and height >= HUGE_HEIGHT else 1) if big else 0
    top = digit_scale(view, width, height)
    floor = min(top, 2 if big else 1)
    for scale in sorted({top, *range(top - top % 2, floor - 1, -2), floor}, reverse=True):
        for size in sorted({letters, min(letters, 1)}, reverse=True):
            full = _Detail(scale, size)
            yield full
            yield replace(full, checkpoints="focus")
            yield replace(full, checkpoints="focus", gaps=False)
            yield replace(full, checkpoints="focus", gaps=False, pads=False)
    lean = _Detail(floor, min(letters, 1), checkpoints="focus", gaps=False, pads=False, keys=False)
    yield lean
    lean = replace(lean, checkpoints="none")
    yield lean
    lean = replace(lean, letters=0)
    yield lean
    for scale in (1, 0):
        if scale < floor:
            yield replace(lean, digits=scale)
    yield replace(lean, digits=0, next=False)
    yield replace(lean, digits=0, next=False, header=False)


def _full(view: View, width: int, d: _Detail, console: Console) -> list[Text]:
    from rich.text import Text

    out: list[Text] = []

    def gap() -> None:
        if d.gaps:
            out.append(Text())

    def pad() -> None:
        if d.pads:
            out.append(band.blank_row(view, width))

    if d.header:
        out.append(rows.header(view, width))
        note = rows.sound_note(view, width)
        if note is not None:
            out.append(note)
    out.append(band.label_row(view, width))
    pad()
    out += band.cue_rows(view, width, d.letters, console)
    legs = band.leg_rows(view, width, d.letters)
    if legs:
        pad()
        out += legs
    pad()
    gap()
    if d.digits:
        out += big_count(view, width, d.digits)
        out.append(rows.status(view, width))
    else:
        out.append(small_count(view, width))
    if d.next:
        gap()
        out.append(rows.next_line(view))
    if d.checkpoints != "none" and view.checkpoints:
        gap()
        out += rows.checkpoint_lines(view, d.checkpoints == "all")
    out.append(rows.progress(view, width))
    if d.keys and view.keys:
        out.append(rows.keys_line(view, width))
    return out


def big_count(view: View, width: int, scale: int) -> list[Text]:
    """The time left (or the count, or the time taken) in block digits."""
    from rich.text import Text

    style = rows.count_style(view)
    out = []
    for row in DIGITS.render(rows.count_text(view), scale):
        line = Text(row, style=style)
        line.align("center", width)
        out.append(line)
    return out


def small_count(view: View, width: int) -> Text:
    """The time on one line, with what it counts: ``0:12 left``."""
    from rich.text import Text

    text = Text()
    text.append(rows.count_words(view), style=rows.count_style(view))
    if view.paused:
        text.append(" · ", style="dim")
        text.append(" space to resume ", style="bold reverse")
    elif view.mode == "open" and view.keys:
        text.append(" · ", style="dim")
        text.append(" press Enter when done ", style="bold reverse")
    text.align("center", width)
    return text


def summary_lines(timeline: Timeline, result: SessionResult) -> Text:
    """What stays on screen after the session: the title and how it went."""
    from rich.text import Text

    text = Text(timeline.title, style="bold")
    if timeline.phases:
        text.append(" · " + ", ".join(timeline.phases), style="cyan")
    text.append("\n")
    mark, style = ("✓ ", "bold green") if result.completed else ("■ ", "bold yellow")
    text.append(mark, style=style)
    text.append(result.summary())
    return text
