"""How the live view looks: a ``View`` drawn into lines that always fit the terminal.

``frame_lines`` drops detail, richest first (the checkpoint list, blank lines, the key
help, the big digits, the cue's border...) rather than letting the terminal wrap or
scroll; below 40 columns or 10 rows a compact view (down to 12×4) takes over. Drill
text is only ever put in ``rich.text.Text`` objects, never parsed as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pose_coach import words
from pose_coach.play.scheduler import SessionResult
from pose_coach.sinks.view import View
from pose_coach.timeline import Timeline

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# Below this the full layout cannot stay readable; a compact one takes over.
COMPACT_WIDTH = 40
COMPACT_HEIGHT = 10

# 3×5 block digits: a countdown you can read from a couple of metres away.
_DIGITS = {
    "0": ("███", "█ █", "█ █", "█ █", "███"),
    "1": (" █ ", "██ ", " █ ", " █ ", "███"),
    "2": ("███", "  █", "███", "█  ", "███"),
    "3": ("███", "  █", "███", "  █", "███"),
    "4": ("█ █", "█ █", "███", "  █", "  █"),
    "5": ("███", "█  ", "███", "  █", "███"),
    "6": ("███", "█  ", "███", "█ █", "███"),
    "7": ("███", "  █", "  █", "  █", "  █"),
    "8": ("███", "█ █", "███", "█ █", "███"),
    "9": ("███", "█ █", "███", "  █", "███"),
    ":": (" ", "█", " ", "█", " "),
}


@dataclass(frozen=True)
class _Detail:
    """How much of the full layout to draw; ``frame_lines`` tries richest first."""

    blanks: bool = True
    big: bool = True
    border: bool = True
    checkpoints: str = "all"  # 'all', 'focus' or 'none'
    keys: bool = True
    next: bool = True
    header: bool = True


# From richest to leanest; the first that fits the height is drawn. 80×24 fits the first.
_LEVELS = (
    _Detail(),
    _Detail(checkpoints="focus"),
    _Detail(checkpoints="focus", blanks=False),
    _Detail(checkpoints="focus", blanks=False, keys=False),
    _Detail(checkpoints="none", blanks=False, keys=False),
    _Detail(checkpoints="none", blanks=False, keys=False, big=False),
    _Detail(checkpoints="none", blanks=False, keys=False, big=False, border=False),
    _Detail(checkpoints="none", blanks=False, keys=False, big=False, border=False, next=False),
    _Detail(
        checkpoints="none",
        blanks=False,
        keys=False,
        big=False,
        border=False,
        next=False,
        header=False,
    ),
)


def frame_lines(view: View, width: int, height: int, console: Console) -> list[Text]:
    """The frame's lines: at most ``height`` of them, none wider than ``width`` cells."""
    width, height = max(width, 1), max(height, 1)
    if width < COMPACT_WIDTH or height < COMPACT_HEIGHT:
        lines = _compact(view, width, height, console)
    else:
        for detail in _LEVELS:
            lines = _full(view, width, detail, console)
            if len(lines) <= height:
                break
    lines = lines[:height]
    for line in lines:
        line.rstrip()
        line.truncate(width, overflow="ellipsis")
    return lines


def _full(view: View, width: int, d: _Detail, console: Console) -> list[Text]:
    from rich.text import Text

    out: list[Text] = []

    def gap() -> None:
        if d.blanks:
            out.append(Text())

    if d.header:
        out.append(_header(view, width))
    out += _cue_block(view, width, d.border, console)
    gap()
    out += _big_count(view, width) if d.big else [_small_count(view)]
    out.append(_status(view, width))
    if d.next:
        gap()
        out.append(_next_line(view))
    if d.checkpoints != "none" and view.checkpoints:
        gap()
        out += _checkpoint_lines(view, d.checkpoints == "all")
    out.append(_progress(view, width))
    if d.keys and view.keys:
        out.append(_keys_line(view, width))
    return out


def _header(view: View, width: int) -> Text:
    from rich.text import Text

    left = Text(view.title, style="bold")
    if view.items:
        left.append(f" · drill {view.item}/{view.items} ", style="bold")
        left.append(view.drill_title or "")
    if view.phase:
        left.append(f" · {view.phase}", style="cyan")
    right = Text(_counters(view), style="dim")
    room = width - right.cell_len - 2
    if room < 10:
        return left
    left.truncate(room, overflow="ellipsis")
    left.pad_right(width - left.cell_len - right.cell_len)
    return left + right


def _counters(view: View) -> str:
    if view.mode == "rest":
        # a rest belongs to no step: say what it leads to
        if view.set and view.sets and view.set > 1:
            return f"rest · next: set {view.set}/{view.sets}"
        if view.item and view.items:
            return f"rest · next: drill {view.item}/{view.items}"
        return "rest"
    parts = []
    if view.sets:
        parts.append(f"set {view.set}/{view.sets}")
    # 'step N/M' is one span: benchmarks/timing.py finds cue onsets by it
    parts.append(f"step {view.step}/{view.steps}" if view.step else f"{view.steps} steps")
    return " · ".join(parts)


def _cue_style(view: View) -> str:
    if view.paused:
        return "bold dim"
    if view.checkpoint:
        return "bold yellow"
    if view.mode in ("rest", "countdown", "ready"):
        return "bold green"
    return "bold"


def _cue_block(view: View, width: int, border: bool, console: Console) -> list[Text]:
    from rich.text import Text

    inner = width - 4 if border else width
    cue = Text(view.cue.upper(), style=_cue_style(view))
    lines = list(cue.wrap(console, inner, justify="center", overflow="fold"))
    notes = _cue_notes(view)
    if notes is not None:
        lines.append(notes)
    if not border:
        return lines
    # a steady panel height (cue, notes) keeps the layout from jumping between cues
    if notes is None:
        lines.append(Text())
    if len(lines) < 3:
        lines.insert(0, Text())
    edge = "yellow" if view.checkpoint and not view.paused else "blue"
    out = [Text("╭" + "─" * (width - 2) + "╮", style=edge)]
    for line in lines:
        line.truncate(inner, overflow="ellipsis")
        line.align("center", inner)
        out.append(Text("│ ", style=edge) + line + Text(" │", style=edge))
    out.append(Text("╰" + "─" * (width - 2) + "╯", style=edge))
    return out


def _cue_notes(view: View) -> Text | None:
    from rich.text import Text

    notes: list[tuple[str, str]] = []
    if view.checkpoint:
        notes.append(("★ checkpoint", "bold yellow"))
    if view.side:
        notes.append((f"{view.side} leg", "bold cyan"))
    if view.switched:
        notes.append(("switch legs", "cyan"))
    if view.cadence:
        notes.append((f"{view.cadence} steps/min", "magenta"))
    if not notes:
        return None
    text = Text()
    for i, (note, style) in enumerate(notes):
        if i:
            text.append(" · ", style="dim")
        text.append(note, style=style)
    return text


def _count_text(view: View) -> str:
    if view.mode in ("countdown", "ready"):
        return str(view.seconds)
    if view.mode == "open" or view.seconds >= 60:
        return words.clock(view.seconds)
    return str(view.seconds)


def _count_style(view: View) -> str:
    if view.paused:
        return "dim"
    if view.mode == "open":
        return "bold cyan"
    if view.mode == "cue" and view.seconds <= 3:
        return "bold yellow"
    return "bold green" if view.mode in ("countdown", "rest") else "bold"


def _big_count(view: View, width: int) -> list[Text]:
    from rich.text import Text

    glyphs = [_DIGITS[ch] for ch in _count_text(view)]
    rows = []
    for r in range(5):
        row = Text(" ".join(g[r] for g in glyphs), style=_count_style(view))
        row.align("center", width)
        rows.append(row)
    return rows


def _small_count(view: View) -> Text:
    from rich.text import Text

    return Text(_count_text(view), style=_count_style(view), justify="center")


def _status(view: View, width: int) -> Text:
    """The line under the countdown: what the number means, or what to do now."""
    from rich.text import Text

    # reverse video is a span on the words alone, never the line's style: centring pads
    # the line, and a line style would paint the padding from the left edge too
    if view.paused:
        text = Text()
        text.append(" PAUSED · space to resume ", style="bold reverse")
    elif view.mode == "open":
        text = Text("taken · ", style="cyan")
        text.append(" press Enter when done ", style="bold reverse")
    elif view.goes_on_in is not None:
        text = Text(f"goes on in {words.clock(view.goes_on_in)}", style="cyan")
        if view.keys:
            text.append(" · Enter when back", style="dim")
    elif view.mode in ("countdown", "ready"):
        text = Text("starting in", style="dim")
    elif view.mode == "rest":
        text = Text("seconds of rest", style="dim")
    else:
        text = Text("seconds left", style="dim")
    text.align("center", width)
    return text


def _next_line(view: View) -> Text:
    from rich.text import Text

    line = Text("next  ", style="dim")
    if view.next_rest:
        line.append(f"rest {words.clock(view.next_rest)}", style="green")
        line.append(", then ", style="dim")
    if view.next_cue is None:
        line.append("finish", style="dim")
    else:
        line.append(view.next_cue)
        if view.next_side:
            line.append(f" ({view.next_side} leg)", style="cyan")
    return line


def _checkpoint_lines(view: View, everything: bool) -> list[Text]:
    from rich.text import Text

    lines = [Text("checkpoints", style="dim")] if everything else []
    for i, point in enumerate(view.checkpoints):
        if i == view.focus:
            lines.append(Text("  ▸ ", style="bold cyan") + Text(point, style="bold"))
        elif everything:
            lines.append(Text("    " + point, style="dim"))
    return lines


def _progress(view: View, width: int) -> Text:
    from rich.text import Text

    right = f" {words.clock(view.left)} left"
    if view.items:
        right += f" of {words.clock(view.total)}"
    bar_width = max(width - len(right), 0)
    bar = _bar(view, bar_width)
    return bar + Text(right, style="bold" if not view.paused else "dim")


def _bar(view: View, width: int) -> Text:
    from rich.text import Text

    done = 1.0 - view.left / view.total if view.total else 1.0
    filled = min(max(round(done * width), 0), width)
    # thick and thin lines: the bar reads without colour too (NO_COLOR)
    bar = Text("━" * filled, style="green")
    bar.append("─" * (width - filled), style="dim")
    return bar


def _keys_line(view: View, width: int) -> Text:
    from rich.text import Text

    if view.mode == "open":
        keys = "Enter or space: done · q quit"
    elif view.paused:
        keys = "space resume · q quit"
    elif view.goes_on_in is not None:
        keys = "Enter done · space pause · q quit"
    else:
        keys = "space pause · n next · + / - 10 s · q quit"
    text = Text(keys, style="dim")
    text.align("center", width)
    return text


def _compact(view: View, width: int, height: int, console: Console) -> list[Text]:
    """Small terminals (down to 12×4): the cue, the number, the bar; the next cue if room."""
    from rich.text import Text

    status = Text(_count_text(view), style=_count_style(view))
    if view.paused:
        status = Text("PAUSED", style="bold reverse")
    elif view.mode == "open":
        status.append(" Enter=done" if view.keys else " taken", style="cyan")
    elif view.goes_on_in is not None:
        status.append(f" goes on in {words.clock(view.goes_on_in)}", style="cyan")
    counters = f" {view.step}/{view.steps}"
    if status.cell_len + len(counters) <= width:
        status.pad_right(width - status.cell_len - len(counters))
        status.append(counters, style="dim")
    fixed = [status]
    if height >= 3:
        left = " " + words.clock(view.left)
        fixed.append(_bar(view, max(width - len(left), 0)) + Text(left))
    room = max(height - len(fixed), 1)
    cue = Text(view.cue, style=_cue_style(view))
    if view.side:
        cue.append(f" ({view.side})", style="cyan")
    lines = list(cue.wrap(console, width, overflow="fold"))
    if len(lines) > room:
        lines = lines[:room]
        lines[-1].truncate(max(width - 1, 1))
        lines[-1].append("…")
    out = lines + fixed
    if height - len(out) >= 2 and view.next_cue is not None:
        out.insert(len(lines) + 1, Text("next ", style="dim") + Text(view.next_cue))
    return out[:height] if height > 1 else [status]


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
