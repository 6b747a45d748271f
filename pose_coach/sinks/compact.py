"""The live view in a small window (under 40 columns or 10 rows, down to 8×2).

What stays, in this order of need: the time with what it counts ("0:12 left") and the
cue; then the band (the kind of moment and the step); the session's bar; the leg; the
next cue; more lines of the cue. No number is ever shown without its words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pose_coach.sinks import band, rows
from pose_coach.sinks.view import View

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text


def compact_lines(view: View, width: int, height: int, console: Console) -> list[Text]:
    from rich.text import Text

    time = Text(rows.count_words(view), style=rows.count_style(view))
    if view.mode == "open" and view.keys and not view.paused:
        time.append(" · Enter=done", style="cyan")
    cue = Text(view.cue, style="bold")
    cue_lines = list(cue.wrap(console, width, overflow="fold"))
    room = height - 2  # the time and one line of the cue always
    extras: dict[str, Text] = {}
    for name in ("label", "sound", "bar", "leg", "next"):
        if room <= 0:
            break
        line = _extra(name, view, width)
        if line is not None:
            extras[name] = line
            room -= 1
    shown = cue_lines[: 1 + max(room, 0)]
    if len(shown) < len(cue_lines):
        shown[-1].rstrip()
        shown[-1].truncate(max(width - 1, 1))
        shown[-1].append("…")
    out = [extras[name] for name in ("label", "sound") if name in extras]
    out += shown
    if "leg" in extras:
        out.append(extras["leg"])
    out.append(time)
    out += [extras[name] for name in ("next", "bar") if name in extras]
    return out if height > 1 else [time]


def _extra(name: str, view: View, width: int) -> Text | None:
    from rich.text import Text

    if name == "label":
        label = Text(f" {band.MOMENT_WORDS[view.moment]}")
        step = rows.counters(view)
        if label.cell_len + len(step) + 2 <= width:
            label.pad_right(width - label.cell_len - len(step) - 1)
            label.append(step)
        return band.fill(label, width, band.band_style(view), "left")
    if name == "sound":
        return rows.sound_note(view, width)
    if name == "bar":
        return rows.progress(view, width) if width >= 20 else None
    if name == "leg":
        if not view.side:
            return None
        leg = Text(f"{view.side.upper()} LEG", style="bold")
        for stand in (f" · stand on the {view.side} foot", f" · stand on {view.side} foot"):
            if leg.cell_len + len(stand) <= width:
                leg.append(stand)
                break
        return leg
    if view.next_cue is None:
        return None
    return Text("next ", style="dim") + Text(view.next_cue)
