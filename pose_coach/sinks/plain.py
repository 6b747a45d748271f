"""One plain line per event, flushed as it happens: for pipes, logs and scripts."""

from __future__ import annotations

from pose_coach.play.scheduler import PlayState
from pose_coach.sinks.lines import LineSink
from pose_coach.timeline import Event, EventKind, Timeline, format_clock


def describe(event: Event, timeline: Timeline | None = None) -> str:
    """The human words for one event, without its time."""
    kind = event.kind
    if kind is EventKind.SESSION_START and timeline is not None:
        phases = ", ".join(timeline.phases)
        return (
            f"{timeline.title} ({phases}): {timeline.step_count} steps, "
            f"{format_clock(timeline.total)}"
        )
    if kind is EventKind.COUNTDOWN:
        return str(event.count)
    if kind is EventKind.CUE:
        parts = [event.text or ""]
        if event.side:
            parts.append(f"({event.side})")
        if event.checkpoint:
            parts.append("[checkpoint]")
        if event.cadence:
            parts.append(f"[{event.cadence} spm]")
        if event.open:
            parts.append("[until key]")
        parts.append(f"{format_clock(event.duration)}")
        return " ".join(parts)
    if kind is EventKind.SWITCH:
        return f"switch legs ({event.side})" if event.side else "switch legs"
    if kind is EventKind.REST:
        what = f": {event.text}" if event.text and event.text != "rest" else ""
        return f"rest {format_clock(event.duration)}{what}"
    if kind in (EventKind.SET_START, EventKind.SET_END):
        return f"set {event.set}/{event.sets} {event.drill or ''}".rstrip()
    if kind in (EventKind.DRILL_START, EventKind.DRILL_END):
        return f"drill {event.item}/{event.items}: {event.text}"
    if kind is EventKind.SESSION_END:
        return "end"
    return event.text or ""


def format_line(event: Event, timeline: Timeline | None = None) -> str:
    seconds = int(event.at)
    return (
        f"{seconds // 60:02d}:{seconds % 60:02d}  {event.kind.value}  {describe(event, timeline)}"
    )


class PlainSink(LineSink):
    """``00:05  cue  Lean from ankles, not waist`` — no colour, nothing else on the stream."""

    def line(self, event: Event, timeline: Timeline, state: PlayState) -> str:
        line = format_line(event, timeline)
        if event.kind is EventKind.SESSION_END and state.outcome != "completed":
            line += f" (stopped: {state.outcome})"
        return line
