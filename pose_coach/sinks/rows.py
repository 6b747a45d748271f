"""The one-line pieces of the live view, shared by the full and the compact layouts.

Every number on screen says what it counts ("0:12 left", "step 2/10", "session 4:10
left"), at every window size. Drill text only ever goes into ``rich.text.Text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pose_coach import words
from pose_coach.sinks.view import View

if TYPE_CHECKING:
    from rich.text import Text

# the colour of a phase's work; what a moment looks like is in band.py
PHASE_COLOURS = {"pose": "blue", "fall": "magenta", "pull": "cyan"}


def header(view: View, width: int) -> Text:
    """Title, drill and phase on the left; where the session is on the right."""
    from rich.text import Text

    left = Text(view.title, style="bold")
    if view.items:
        left.append(f" · drill {view.item}/{view.items} ", style="bold")
        left.append(view.drill_title or "")
    if view.phase:
        left.append(f" · {view.phase}", style="cyan")
    right = Text(counters(view), style="dim")
    if view.sound is not None:
        with_sound = right + Text(" · " + view.sound, style="dim")
        # the sound words when there is room for them beside a readable title
        if width - with_sound.cell_len - 2 >= min(left.cell_len, 20):
            right = with_sound
    room = width - right.cell_len - 2
    if room < 10:
        return left
    left.truncate(room, overflow="ellipsis")
    left.pad_right(width - left.cell_len - right.cell_len)
    return left + right


def sound_note(view: View, width: int) -> Text | None:
    """A sound failure, the moment it is known, or why sound stayed off."""
    from rich.text import Text

    if not view.sound_note:
        return None
    line = Text(f"sound: {view.sound_note}", style="bold yellow")
    line.truncate(width, overflow="ellipsis")
    return line


def counters(view: View) -> str:
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


def count_text(view: View) -> str:
    """The big number: a count before the start, else a clock time (``0:12``)."""
    if view.mode in ("countdown", "ready"):
        return str(view.seconds)
    return words.clock(view.seconds)


def count_words(view: View) -> str:
    """The big number with what it counts, for one line: ``0:12 left``."""
    if view.mode in ("countdown", "ready"):
        return f"starting in {view.seconds}"
    if view.mode == "open":
        return f"{words.clock(view.seconds)} taken"
    if view.goes_on_in is not None:
        return f"goes on in {words.clock(view.goes_on_in)}"
    if view.mode == "rest":
        return f"{words.clock(view.seconds)} rest left"
    return f"{words.clock(view.seconds)} left"


def count_style(view: View) -> str:
    if view.paused:
        return "bold dim"
    moment = view.moment
    if moment == "last":
        return "bold yellow"
    if moment in ("rest", "ready"):
        return "bold green"
    return "bold " + PHASE_COLOURS.get(view.phase, "default")


def status(view: View, width: int) -> Text:
    """The line under the big number: what it means, or what to do now."""
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
        text = Text("rest left", style="dim")
    else:
        text = Text("left", style="dim")
    text.align("center", width)
    return text


def next_line(view: View) -> Text:
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


def checkpoint_lines(view: View, everything: bool) -> list[Text]:
    from rich.text import Text

    lines = [Text("checkpoints", style="dim")] if everything else []
    for i, point in enumerate(view.checkpoints):
        if i == view.focus:
            lines.append(Text("  ▸ ", style="bold cyan") + Text(point, style="bold"))
        elif everything:
            lines.append(Text("    " + point, style="dim"))
    return lines


def progress(view: View, width: int) -> Text:
    """The session's bar and its time left (the step's own is the big number)."""
    from rich.text import Text

    right = f" session {words.clock(view.left)} left"
    if view.items:
        right += f" of {words.clock(view.total)}"
    if len(right) > width:
        right = f" {words.clock(view.left)} left"
    bar_width = max(width - len(right), 0)
    return bar(view, bar_width) + Text(right, style="bold" if not view.paused else "dim")


def bar(view: View, width: int) -> Text:
    from rich.text import Text

    done = 1.0 - view.left / view.total if view.total else 1.0
    filled = min(max(round(done * width), 0), width)
    # thick and thin lines: the bar reads without colour too (NO_COLOR)
    line = Text("━" * filled, style="green")
    line.append("─" * (width - filled), style="dim")
    return line


def keys_line(view: View, width: int) -> Text:
    """The keys that work now, as many as fit: the key help shrinks before it is cut."""
    from rich.text import Text

    mute = ""
    if view.sound is not None and view.sound != "sound off":
        mute = "m unmute" if view.sound.startswith("muted") else "m mute"
    if view.mode == "open":
        choices = [["Enter or space: done", mute, "q quit"], ["Enter or space: done", "q quit"]]
    elif view.paused:
        choices = [["space resume", mute, "q quit"], ["space resume", "q quit"]]
    elif view.goes_on_in is not None:
        choices = [
            ["Enter done", "space pause", mute, "q quit"],
            ["Enter done", "space pause", "q quit"],
        ]
    else:
        choices = [
            ["space pause", "n next", "+ / - 10 s", mute, "q quit"],
            ["space pause", "n next", mute, "q quit"],
            ["space pause", "n next", "q quit"],
        ]
    options = [" · ".join(key for key in keys if key) for keys in choices]
    keys = next((text for text in options if len(text) <= width), options[-1])
    text = Text(keys, style="dim")
    text.align("center", width)
    return text
