"""JSON Lines: one object per event, flushed as it fires. Schema: docs/events.md."""

from __future__ import annotations

from pose_coach.events import event_object, json_line
from pose_coach.play.scheduler import PlayState
from pose_coach.sinks.lines import LineSink
from pose_coach.timeline import Event, Timeline


class JsonSink(LineSink):
    def line(self, event: Event, timeline: Timeline, state: PlayState) -> str:
        return json_line(event_object(event, timeline, state.outcome, state.signal))
