"""Play a timeline against a clock, firing each event at its absolute deadline.

Deadline of event i = start + paused + offset[i] / speed. Nothing is computed from the
previous wake-up, so oversleeping once never shifts what comes after, and a 4-hour
session ends on time. Pause, skip and +/-10 s only edit ``paused`` or the offsets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from typing import Protocol

from pose_coach import words
from pose_coach.play.clock import Clock
from pose_coach.timeline import Event, EventKind, Timeline

ADJUST_SECONDS = 10.0

# Keys understood in the live view; scripted tests send the same strings.
KEY_PAUSE = " "
KEY_NEXT = "n"
KEY_MORE = "+"
KEY_LESS = "-"
KEY_QUIT = "q"
KEY_MUTE = "m"  # sound off and on again; the session goes on either way
KEY_LAP = "\n"  # Enter ends an open-ended step (while one waits, space does too)
KEY_INTERRUPT = "interrupt"  # Ctrl-C or SIGTERM, delivered by the key reader
KEY_RESIZE = "resize"  # the terminal changed size: nothing to do but redraw
KEY_SUSPEND = "suspend"  # Ctrl-Z: the terminal is given back; the session pauses
KEY_RESUMED = "resumed"  # back after ``fg``: redraw, and stay paused until space

# How an open-ended step ended (``step_end``'s ``ended`` field, docs/events.md).
ENDED_KEY = "key"
ENDED_TIME = "time"

# Slack for float rounding when turning positions back into whole displayed seconds.
_EPS = 1e-6


@dataclass
class PlayState:
    """What a sink may show at a moment: the session position and the current event."""

    timeline: Timeline
    position: float = 0.0  # session seconds, excluding pauses, at speed 1
    current: Event | None = None  # the cue/rest/countdown in progress
    current_start: float = 0.0  # its (adjusted) start offset
    current_end: float = 0.0  # its (adjusted) end offset
    total: float = 0.0  # adjusted session length
    paused: bool = False
    waiting_for_key: bool = False  # an open-ended step waits for its key (``--wait``)
    open_step: bool = False  # an open-ended step is in progress, waiting or timed
    muted: bool = False  # ``m``: the sound is off until ``m`` again
    redraw: int = 0  # bumped when the screen must be drawn anew (back from Ctrl-Z)
    suspended: bool = False  # Ctrl-Z: the terminal is the shell's until ``fg``
    steps_done: int = 0
    sets_done: int = 0
    outcome: str | None = None  # set just before session_end: 'completed', 'quit', ...
    signal: str | None = None  # the signal that stopped it ('SIGHUP'), if one did

    @property
    def remaining(self) -> float:
        position = self.position
        if self.waiting_for_key:
            # an open step past its nominal end: what is left after it stays put
            position = min(position, self.current_end)
        return max(self.total - position, 0.0)

    @property
    def current_left(self) -> float:
        return max(self.current_end - self.position, 0.0)

    @property
    def goes_on_in(self) -> float | None:
        """Seconds until a timed open step lets the session go on by itself (else None)."""
        if not self.open_step or self.waiting_for_key:
            return None
        return self.current_left


@dataclass
class SessionResult:
    completed: bool
    reason: str  # 'completed', 'quit', 'interrupted', 'error'
    position: float  # session seconds played
    steps_done: int
    steps_total: int
    sets_done: int
    sets_total: int
    started_at: str  # UTC, ISO 8601
    wall_seconds: float
    speed: float
    signal: int | None = None  # the termination signal that stopped it (signals.py)

    def summary(self) -> str:
        if self.completed:
            return (
                f"completed {self.steps_total} steps in {words.clock(self.position)}"
                f" ({words.plural(self.sets_done, 'set')})"
            )
        return (
            f"stopped at step {max(self.steps_done, 1)}/{self.steps_total} "
            f"after {words.clock(self.position)}"
        )


class Sink(Protocol):
    """Takes events as they fire. Must return quickly: it never blocks the scheduler."""

    def start(self, timeline: Timeline) -> None: ...

    def event(self, event: Event, state: PlayState) -> None: ...

    def tick(self, state: PlayState) -> None:
        """Only for sinks with ``wants_ticks = True``: called after each batch of events
        fired at one moment, after each key, and at each whole second shown by the
        current step's countdown (or, in an open step, its time taken). Never while
        paused. Redraw here, and only if what is shown changed."""

    def finish(self, result: SessionResult, state: PlayState) -> None: ...


class NullSink:
    wants_ticks = False

    def start(self, timeline: Timeline) -> None:
        pass

    def event(self, event: Event, state: PlayState) -> None:
        pass

    def tick(self, state: PlayState) -> None:
        pass

    def finish(self, result: SessionResult, state: PlayState) -> None:
        pass


_CURRENT_KINDS = (EventKind.CUE, EventKind.REST, EventKind.COUNTDOWN)


class Playthrough:
    """One play-through of a timeline. ``play()`` runs it to the end or to a stop."""

    def __init__(
        self,
        timeline: Timeline,
        clock: Clock,
        sinks: Sequence[Sink] = (),
        speed: float = 1.0,
        wait_open: bool = False,
    ) -> None:
        if not speed > 0 or not math.isfinite(speed):
            raise ValueError("speed must be a positive number")
        self.timeline = timeline
        self.clock = clock
        self.sinks = sinks
        self.speed = speed
        # open-ended steps wait for a key (where keys can come) instead of lasting their
        # planned seconds and going on by themselves
        self.wait_open = wait_open
        self.offsets = [e.at for e in timeline.events]  # adjusted by skips, laps and +/-
        self.fired = 0  # events fired so far; ``offsets[fired]`` is the next one's
        self.state = PlayState(timeline, total=timeline.total)
        self.tickers = [s for s in sinks if getattr(s, "wants_ticks", False)]
        self.start = 0.0
        self.paused_total = 0.0
        self.paused_since: float | None = None  # set while ``state.paused``
        # real seconds spent waiting at open steps beyond what ``speed`` accounts for:
        # that wait counts as session time one for one, never ``speed`` times over
        self.real_extra = 0.0
        self.open_since: float | None = None  # clock time a waiting open step began
        self.open_paused = 0.0  # ``paused_total`` when it began
        self.open_cue: Event | None = None  # the open step in progress (its step_end due)
        self.open_ended = ENDED_TIME
        self.started: list[Sink] = []  # sinks whose start() has run: only they get events

    # -- time ---------------------------------------------------------------

    def position(self) -> float:
        now = self.paused_since if self.paused_since is not None else self.clock.now()
        if self.open_since is not None:
            # waiting at an open step: real seconds, whatever the speed
            waited = now - self.open_since - (self.paused_total - self.open_paused)
            return self.state.current_start + max(waited, 0.0)
        return (now - self.start - self.paused_total - self.real_extra) * self.speed

    def deadline(self, offset: float) -> float:
        return self.start + self.paused_total + self.real_extra + offset / self.speed

    def _next_deadline(self) -> float:
        """When the next event fires: never while paused or an open step waits for its key."""
        if self.fired >= len(self.offsets) or self.state.paused or self.state.waiting_for_key:
            return math.inf
        return self.deadline(self.offsets[self.fired])

    def _shift_after(self, index: int, delta: float) -> None:
        """Move every event from ``index`` on by ``delta`` session seconds."""
        for i in range(index, len(self.offsets)):
            self.offsets[i] += delta
        self.state.total = self.offsets[-1]
        if self.state.current is not None:
            self.state.current_end = max(self.state.current_end + delta, self.state.current_start)

    # -- the loop -----------------------------------------------------------

    def play(self) -> SessionResult:
        # sinks get ready first (imports, the first frame, audio files): time spent there
        # must not eat into the countdown, so the session clock starts after them
        started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        reason = "completed"
        signum: int | None = None
        self.start = self.clock.now()
        try:
            for sink in self.sinks:
                sink.start(self.timeline)
                self.started.append(sink)
            started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.start = self.clock.now()
            reason = self._run()
        except KeyboardInterrupt as stop:  # Ctrl-C, or any termination signal (signals.py)
            reason = "interrupted"
            signum = getattr(stop, "signum", None)
        # a completed session ends exactly at its last event, whatever float rounding says
        end = self.offsets[-1] if reason == "completed" and self.offsets else self.position()
        self.state.position = min(max(end, 0.0), self.state.total)
        result = SessionResult(
            completed=reason == "completed",
            reason=reason,
            position=self.state.position,
            steps_done=self.state.steps_done,
            steps_total=self.timeline.step_count,
            sets_done=self.state.sets_done,
            sets_total=self.timeline.set_count,
            started_at=started_at,
            wall_seconds=self.clock.now() - self.start,
            speed=self.speed,
            signal=signum,
        )
        if reason != "completed":
            if self.fired == 0 and self.timeline.events:
                # stopped before anything fired: the stream still opens with its header,
                # so session_end is never a first line without a session_start
                self._fire(0)
                self.fired = 1
            self.state.outcome = reason
            if signum is not None:
                from pose_coach.signals import signal_name

                self.state.signal = signal_name(signum)
            self._emit(Event(EventKind.SESSION_END, self.state.position))
        for sink in self.started:
            try:
                sink.finish(result, self.state)
            except KeyboardInterrupt as late:
                # a signal while the sinks finish (the end tone rings out) must not cut
                # the others short: the session has ended either way
                if result.signal is None:
                    result.signal = getattr(late, "signum", None)
        return result

    def _run(self) -> str:
        """Sleep until the next event, redraw or key; act on it; repeat until the last event."""
        while self.fired < len(self.offsets):
            wake = min(self._next_deadline(), self._next_tick())
            if self.clock.now() < wake:
                key = self.clock.wait(wake)
                if key is not None:
                    stop = self._on_key(key)
                    if stop:
                        return stop
            # fire everything due now, then let the live view redraw once for the lot
            while self.clock.now() >= self._next_deadline():
                if self.open_cue is not None:
                    self._end_open_step()
                self._fire(self.fired)
                self.fired += 1
            if self.fired < len(self.offsets):
                self._tick()
        return "completed"

    def _tick(self) -> None:
        """Tell the redrawing sinks where we are; they redraw only if what they show changed."""
        if not self.tickers:
            return
        self.state.position = self.position()
        for sink in self.tickers:
            sink.tick(self.state)

    def _next_tick(self) -> float:
        """The next whole second shown by a redrawing sink (a countdown); else never."""
        if not self.tickers or self.state.paused:
            return math.inf
        pos = self.position()
        if self.state.waiting_for_key:
            # the open step shows the time taken so far: whole (real) seconds since it began
            since = pos - self.state.current_start
            return self.clock.now() + (math.floor(since + _EPS) + 1 - since)
        left = self.state.current_end - pos
        if left <= _EPS:
            return math.inf
        # the countdown shows ceil(left); it changes when ``left`` crosses the next integer
        shown = math.ceil(left - _EPS)
        return self.deadline(self.state.current_end - (shown - 1))

    def _fire(self, index: int) -> None:
        event = self.timeline.events[index]
        offset = self.offsets[index]
        if offset != event.at:
            event = replace(event, at=offset)
        state = self.state
        state.position = offset
        if event.kind in _CURRENT_KINDS:
            state.current = event
            state.current_start = offset
            state.current_end = offset + event.duration
            if event.kind is EventKind.CUE:
                state.steps_done = event.step or state.steps_done
                if event.open:
                    self.open_cue = event
                    self.open_ended = ENDED_TIME
                    state.open_step = True
                    if self.wait_open and self.clock.interactive:
                        state.waiting_for_key = True
                        self.open_since = self.deadline(offset)
                        self.open_paused = self.paused_total
        elif event.kind is EventKind.SET_END:
            state.sets_done += 1
        elif event.kind is EventKind.SESSION_END:
            state.outcome = "completed"
        self._emit(event)

    def _end_open_step(self) -> None:
        """``step_end`` of the open step in progress: when and how (key or time) it ended."""
        cue = self.open_cue
        assert cue is not None
        self.open_cue = None
        self.state.open_step = False
        at = self.offsets[self.fired]
        self.state.position = at
        end = Event(
            EventKind.STEP_END,
            at,
            text=cue.text,
            step=cue.step,
            steps=cue.steps,
            set=cue.set,
            sets=cue.sets,
            drill=cue.drill,
            phase=cue.phase,
            side=cue.side,
            open=True,
            ended=self.open_ended,
        )
        self._emit(end)

    def _emit(self, event: Event) -> None:
        for sink in self.started:
            sink.event(event, self.state)

    # -- keys ---------------------------------------------------------------

    def _on_key(self, key: str) -> str | None:
        """Apply one key; return a stop reason to end the session."""
        if key == KEY_INTERRUPT:
            return "interrupted"
        if key == KEY_QUIT:
            return "quit"
        running = not self.state.paused
        if key == KEY_MUTE:
            self.state.muted = not self.state.muted
        elif key == KEY_SUSPEND:
            if running:
                self._toggle_pause()
            self.state.suspended = True
        elif key == KEY_RESUMED:
            # back after ``fg``: drawn anew, and paused until space (the runner may not
            # be ready the moment the shell gives the terminal back)
            self.state.suspended = False
            self.state.redraw += 1
            if running:  # stopped from elsewhere (SIGSTOP): paused from now on
                self._toggle_pause()
        elif self.state.waiting_for_key and running and key in (KEY_LAP, KEY_PAUSE, "\r", KEY_NEXT):
            # the lap button: the open step ends now, however long it took
            self._end_waiting_now()
        elif self.open_cue is not None and running and key in (KEY_LAP, "\r", KEY_NEXT):
            # a timed open step ended early: the runner is back before its time
            self.open_ended = ENDED_KEY
            self._end_current_now()
        elif key == KEY_PAUSE:
            self._toggle_pause()
        elif key == KEY_NEXT and running:
            self._skip_countdown() if self._counting_down() else self._end_current_now()
        elif key in (KEY_MORE, KEY_LESS) and running and self._adjustable():
            if key == KEY_MORE:
                self._shift_after(self.fired, ADJUST_SECONDS)
            else:
                left = self.offsets[self.fired] - self.position()
                self._shift_after(self.fired, -min(ADJUST_SECONDS, max(left, 0.0)))
        self.state.position = self.position()
        return None

    def _adjustable(self) -> bool:
        """+/- apply to a timed cue or a rest in progress (not the countdown, not a lap)."""
        return (
            self.state.current is not None
            and self.state.current.kind in (EventKind.CUE, EventKind.REST)
            and not self.state.waiting_for_key
            and self.fired < len(self.offsets)
        )

    def _end_waiting_now(self) -> None:
        """The key that ends a waiting open step: it took the real seconds waited, and
        the session clock carries on from there at its own speed."""
        position = self.position()
        self.open_since = None
        self.state.waiting_for_key = False
        self.open_ended = ENDED_KEY
        if self.fired >= len(self.offsets):
            return
        delta = position - self.offsets[self.fired]
        if delta:
            self._shift_after(self.fired, delta)
        now = self.paused_since if self.paused_since is not None else self.clock.now()
        # the next event fires now: what ``speed`` would not account for is real time
        self.real_extra = now - self.start - self.paused_total - position / self.speed

    def _counting_down(self) -> bool:
        current = self.state.current
        return current is None or current.kind is EventKind.COUNTDOWN

    def _skip_countdown(self) -> None:
        """``n`` in the get-ready countdown: the session starts now. The counts still to
        come are dropped, not fired at once, so nothing says "2, 1" in a rush."""
        events = self.timeline.events
        first = self.fired
        while first < len(events) and events[first].kind is EventKind.COUNTDOWN:
            first += 1
        if first >= len(self.offsets):
            return
        delta = self.position() - self.offsets[first]
        if delta:
            self._shift_after(first, delta)
        self.fired = first

    def _end_current_now(self) -> None:
        """Skip or lap: the next pending event fires now; everything after moves with it.

        Earlier than planned moves the rest of the session up; later (an open step that
        took longer) pushes it back, so nothing after it is cut short.
        """
        if self.fired >= len(self.offsets):
            return
        delta = self.position() - self.offsets[self.fired]
        if delta:
            self._shift_after(self.fired, delta)

    def _toggle_pause(self) -> None:
        now = self.clock.now()
        if self.paused_since is None:
            self.paused_since = now
        else:
            self.paused_total += now - self.paused_since
            self.paused_since = None
        self.state.paused = self.paused_since is not None


def play(
    timeline: Timeline,
    clock: Clock,
    sinks: Sequence[Sink] = (),
    speed: float = 1.0,
    wait_open: bool = False,
) -> SessionResult:
    """Play ``timeline`` on ``clock`` into ``sinks``; returns how the session ended.

    ``wait_open``: open-ended steps wait for a key (``--wait``) instead of lasting their
    planned seconds."""
    return Playthrough(timeline, clock, sinks, speed, wait_open).play()
