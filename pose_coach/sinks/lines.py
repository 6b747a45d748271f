"""The shape shared by the plain and JSON sinks: one line per event, flushed as it fires."""

from __future__ import annotations

from typing import TextIO

from pose_coach.play.scheduler import NullSink, PlayState
from pose_coach.timeline import Event, Timeline


class LineSink(NullSink):
    """Writes ``line(event, ...)`` for each event; nothing on ticks or at the finish."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.timeline: Timeline | None = None

    def start(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def event(self, event: Event, state: PlayState) -> None:
        assert self.timeline is not None, "start() comes first"
        self.stream.write(self.line(event, self.timeline, state) + "\n")
        self.stream.flush()

    def line(self, event: Event, timeline: Timeline, state: PlayState) -> str:
        raise NotImplementedError
