"""JSON Lines: one object per event, flushed as it fires. Schema: docs/events.md."""

from __future__ import annotations

import json
from typing import Any

from pose_coach.play.scheduler import PlayState
from pose_coach.sinks.lines import LineSink
from pose_coach.timeline import Event, EventKind, Timeline


def event_object(event: Event, timeline: Timeline, completed: bool | None = None) -> dict[str, Any]:
    """The JSON object for one event: session_start carries the header, session_end the outcome."""
    obj = event.to_dict()
    if event.kind is EventKind.SESSION_START:
        obj.update(timeline.header())
        obj["drill"] = timeline.id
    elif event.kind is EventKind.SESSION_END:
        obj["completed"] = bool(completed)
    return obj


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class JsonSink(LineSink):
    def line(self, event: Event, timeline: Timeline, state: PlayState) -> str:
        completed = state.outcome == "completed"
        obj = event_object(event, timeline, completed)
        if event.kind is EventKind.SESSION_END and not completed:
            obj["reason"] = state.outcome
        return dumps(obj)
