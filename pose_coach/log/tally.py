"""Add up the session seconds actually spent in each drill, for the practice log.

Events fire at their adjusted offsets, so skips, +/- 10 s and open-ended steps are
counted as played, and pauses not at all. The time from one event to the next belongs
to the drill of the first; countdowns and routine-level rests belong to no drill.
"""

from __future__ import annotations

from datetime import datetime, timezone

from pose_coach.log.store import Part
from pose_coach.play.scheduler import PlayState, SessionResult
from pose_coach.timeline import Event, EventKind, Timeline

_OUTSIDE = (EventKind.SESSION_START, EventKind.COUNTDOWN, EventKind.SESSION_END)


class PartsTally:
    """A sink that never shows anything: it keeps seconds per (drill, phase)."""

    wants_ticks = False

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.seconds: dict[tuple[str, str], float] = {}
        self.titles: dict[str, str] = {}
        if timeline.kind == "drill":
            self.titles[timeline.id] = timeline.title
        self.current: tuple[str, str] | None = None
        self.position = 0.0  # of the last event, or the end once finished
        self.steps_done = 0
        self.sets_done = 0
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def start(self, timeline: Timeline) -> None:
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def event(self, event: Event, state: PlayState) -> None:
        self._advance(state.position)
        self.steps_done = state.steps_done
        self.sets_done = state.sets_done
        if event.kind is EventKind.DRILL_START and event.drill and event.text:
            self.titles[event.drill] = event.text
        if event.kind in _OUTSIDE or not event.drill or not event.phase:
            self.current = None
        else:
            self.current = (event.drill, event.phase)

    def tick(self, state: PlayState) -> None:
        pass

    def finish(self, result: SessionResult, state: PlayState) -> None:
        self._advance(result.position)
        self.current = None

    def _advance(self, position: float) -> None:
        if self.current is not None and position > self.position:
            key = self.current
            self.seconds[key] = self.seconds.get(key, 0.0) + position - self.position
        self.position = max(self.position, position)

    def parts(self, position: float | None = None) -> tuple[Part, ...]:
        """Seconds per drill so far (up to ``position``, when the session ended there)."""
        if position is not None:
            self._advance(position)
        return tuple(
            Part(drill, self.titles.get(drill), phase, round(seconds, 3))
            for (drill, phase), seconds in self.seconds.items()
            if seconds > 0
        )
