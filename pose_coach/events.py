"""The public forms of a session event: the plain line and the JSON object.

Both are contracts scripts rely on (docs/events.md). The plain and JSON sinks, the JSON
export and ``--dry-run`` all write events through this module, so the forms cannot drift
apart.
"""

from __future__ import annotations

import json
from typing import Any

from pose_coach import words
from pose_coach.timeline import Event, EventKind, Timeline


def describe(event: Event, timeline: Timeline | None = None) -> str:
    """The human words for one event, without its time."""
    kind = event.kind
    if kind is EventKind.SESSION_START and timeline is not None:
        phases = ", ".join(timeline.phases)
        return (
            f"{timeline.title} ({phases}): {timeline.step_count} steps, "
            f"{words.clock(timeline.total)}"
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
            parts.append(words.OPEN_STEP_TAG)
        parts.append(f"{words.clock(event.duration)}")
        return " ".join(parts)
    if kind is EventKind.STEP_END:
        return f"step {event.step}/{event.steps} ended: {event.ended}"
    if kind is EventKind.SWITCH:
        return f"switch legs ({event.side})" if event.side else "switch legs"
    if kind is EventKind.REST:
        what = f": {event.text}" if event.text and event.text != "rest" else ""
        return f"rest {words.clock(event.duration)}{what}"
    if kind in (EventKind.SET_START, EventKind.SET_END):
        return f"set {event.set}/{event.sets} {event.drill or ''}".rstrip()
    if kind in (EventKind.DRILL_START, EventKind.DRILL_END):
        return f"drill {event.item}/{event.items}: {event.text}"
    if kind is EventKind.SESSION_END:
        return "end"
    return event.text or ""


def plain_line(event: Event, timeline: Timeline | None = None, outcome: str | None = None) -> str:
    """``00:05  cue  Lean from ankles, not waist``; a session stopped early says why."""
    line = f"{words.stopwatch(event.at)}  {event.kind.value}  {describe(event, timeline)}"
    if event.kind is EventKind.SESSION_END and outcome not in (None, "completed"):
        line += f" (stopped: {outcome})"
    return line


def event_object(
    event: Event, timeline: Timeline, outcome: str | None = None, signal: str | None = None
) -> dict[str, Any]:
    """The JSON object for one event: session_start carries the header, session_end the
    outcome (``outcome`` None: the whole timeline at once, as planned) and the signal
    that stopped it, if one did."""
    obj = event.to_dict()
    if event.kind is EventKind.SESSION_START:
        obj.update(timeline.header())
        obj["drill"] = timeline.id
    elif event.kind is EventKind.SESSION_END:
        completed = outcome in (None, "completed")
        obj["completed"] = completed
        if not completed:
            obj["reason"] = outcome
            if signal:
                obj["signal"] = signal
    return obj


def json_line(obj: dict[str, Any]) -> str:
    """One compact JSON Lines record."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
