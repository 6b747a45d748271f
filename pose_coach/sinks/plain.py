"""One plain line per event, flushed as it happens: for pipes, logs and scripts."""

from __future__ import annotations

from pose_coach.events import plain_line
from pose_coach.play.scheduler import PlayState
from pose_coach.sinks.lines import LineSink
from pose_coach.timeline import Event, Timeline


class PlainSink(LineSink):
    """``00:05  cue  Lean from ankles, not waist`` — no colour, nothing else on the stream."""

    def line(self, event: Event, timeline: Timeline, state: PlayState) -> str:
        return plain_line(event, timeline, state.outcome)
