"""JSON Lines: one object per event, flushed as it fires. Schema: docs/events.md."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ..scheduler import PlayState, SessionResult
from ..timeline import Event, EventKind, Timeline


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


class JsonSink:
    wants_ticks = False

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.timeline: Timeline | None = None

    def start(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def event(self, event: Event, state: PlayState) -> None:
        assert self.timeline is not None
        completed = state.outcome == "completed"
        obj = event_object(event, self.timeline, completed)
        if event.kind is EventKind.SESSION_END and not completed:
            obj["reason"] = state.outcome
        self.stream.write(dumps(obj) + "\n")
        self.stream.flush()

    def tick(self, state: PlayState) -> None:
        pass

    def finish(self, result: SessionResult, state: PlayState) -> None:
        pass
