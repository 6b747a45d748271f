"""Live sound: each step's audio (tone, speech, announcements, warning ticks, metronome)
played as one stream at the step's onset, mixed from the same audio plan as a rendered
file.

A step's audio is mixed ahead of time on a worker thread, so at the onset the sink only
starts the player (``Popen``: well under a millisecond) and the scheduler never waits.
Pause and mute (``m``) stop the player; resume and unmute play the rest of the step
from where it is. +/- re-plans the step for its new length (the warning ticks move with
its end). A player that fails is reported once, on screen at once through the session's
``SoundStatus``, and the session goes on.

At ``--speed N`` the plan is made for the session as it is heard: every moment and
length divided by N, so the tones keep their places and speech that no longer fits is
shortened or cut by the plan's own rules, never run over the next step.
"""

from __future__ import annotations

import shutil
import tempfile
from array import array
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

from pose_coach.audio.clips import peak, write_wav
from pose_coach.audio.mixer import SoundBank, mix_window, sample_at
from pose_coach.audio.plan import SEGMENT_KINDS, AudioOptions, AudioPlan, Segment, plan_audio
from pose_coach.audio.players import AudioPlayer
from pose_coach.audio.status import SoundStatus
from pose_coach.audio.tones import get_tone, tone_seconds
from pose_coach.play.scheduler import PlayState, SessionResult
from pose_coach.timeline import Event, EventKind, Timeline

END_WAIT = 2.0  # at most this long to let the last sound finish after a completed session


class SoundSink:
    """Plays the session's sound through an injected ``AudioPlayer``."""

    wants_ticks = True  # pause, resume and +/- reach sinks as ticks

    def __init__(
        self,
        bank: SoundBank,
        options: AudioOptions,
        player: AudioPlayer,
        warn: Callable[[str], None],
        speed: float = 1.0,
        status: SoundStatus | None = None,
    ) -> None:
        self.bank = bank
        self.options = options
        self.player = player
        self.speed = speed
        self.status = status  # the live view shows a failure the moment it is known
        self._warn = warn  # the session's: held back while the live view is up
        self.warned = False
        self.broken = False  # an unexpected error turned sound off for this session
        self.timeline: Timeline | None = None
        self.plan: AudioPlan | None = None
        self.cursor = -1  # the segment playing (index into plan.segments)
        self.generation = 0  # bumped on every re-plan; old pre-mixed files are dropped
        self.paused = False  # paused or muted: the player is stopped
        self.steps: dict[int, int] = {}  # cue step -> its segment (a skipped countdown)
        self.end_tone_pending = False
        self.folder: Path | None = None
        self.pool: ThreadPoolExecutor | None = None
        self.ready: dict[int, Future] = {}

    # -- sink interface -------------------------------------------------------------

    def start(self, timeline: Timeline) -> None:
        from pose_coach.signals import deferred

        self.timeline = heard(timeline, self.speed)
        self.plan = plan_audio(self.timeline, self.bank.durations(), self.options)
        self.steps = {
            seg.event.step: i for i, seg in enumerate(self.plan.segments) if seg.event.step
        }
        with deferred():  # the folder is known before a signal can stop the session
            try:
                self.folder = Path(tempfile.mkdtemp(prefix="pose-coach-sound-"))
            except OSError as exc:  # no writable temporary folder: the session goes on
                self._give_up(exc)
                return
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pose-coach-mix")
        self._prepare_ahead(0)

    def event(self, event: Event, state: PlayState) -> None:
        if self.broken:
            return
        try:
            if event.kind in SEGMENT_KINDS:
                # a cue finds its own segment: countdown seconds may have been skipped
                self.cursor = self.steps.get(event.step or 0, self.cursor + 1)
                self._start_segment(state)
            elif event.kind is EventKind.SESSION_END:
                if state.outcome == "completed" and self.end_tone_pending:
                    self._play_file(self._write("end", get_tone("end")))
                elif state.outcome != "completed":
                    self.player.stop()
            self._report_failures()
        except Exception as exc:  # sound must never stop a session
            self._give_up(exc)

    def tick(self, state: PlayState) -> None:
        if self.broken:
            return
        try:
            silent = state.paused or state.muted
            if silent and not self.paused:
                self.paused = True
                self.player.stop()
            elif not silent and self.paused:
                self.paused = False
                self._resume(state)
            elif not silent and not state.waiting_for_key:
                self._follow_adjustment(state)
            self._report_failures()
        except Exception as exc:
            self._give_up(exc)

    def finish(self, result: SessionResult, state: PlayState) -> None:
        try:
            if result.completed and not self.broken:
                self.player.wait(END_WAIT)  # let the end tone ring out
            close = getattr(self.player, "close", None)
            if close is not None:
                close()
            else:
                self.player.stop()
            self._report_failures()
        except Exception as exc:
            self._give_up(exc)
        finally:
            self._clean_up()

    def close(self) -> None:
        """Stop the player and remove the temporary folder, however the session ended.
        Idempotent; ``finish`` does the same after a session that ended normally."""
        try:
            if self.player is not None:
                close = getattr(self.player, "close", None)
                (close or self.player.stop)()
        except Exception:  # noqa: BLE001 - closing must go on to the folder
            pass
        self._clean_up()

    def _clean_up(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    # -- segments -------------------------------------------------------------------

    def _segment(self, index: int) -> Segment | None:
        assert self.plan is not None
        return self.plan.segments[index] if 0 <= index < len(self.plan.segments) else None

    def _start_segment(self, state: PlayState) -> None:
        seg = self._segment(self.cursor)
        if seg is None:
            return
        last = self.cursor == len(self.plan.segments) - 1  # type: ignore[union-attr]
        if last and seg.open and state.waiting_for_key:
            # an open last step ends on a key: hold the end tone until it really ends
            self.end_tone_pending = True
            path = self._mix(
                self.plan, seg.start, seg.end - tone_seconds("end"), f"{self.cursor}-open"
            )
        else:
            future = self.ready.pop(self.cursor, None)
            path = future.result() if future is not None else self._mix_segment(self.cursor)
        if path is not None:
            self._play_file(path)
        else:
            self.player.stop()  # a silent step: the previous sound must not run on
        self._prepare_ahead(self.cursor + 1)
        self._forget_before(self.cursor)

    def _play_file(self, path: Path) -> None:
        if not self.paused:
            self.player.play(path)

    def _mix_segment(self, index: int, plan: AudioPlan | None = None) -> Path | None:
        plan = plan or self.plan
        seg = plan.segments[index]  # type: ignore[union-attr]
        return self._mix(plan, seg.start, seg.end, f"{index}-{self.generation}")

    def _mix(self, plan: AudioPlan | None, start: float, end: float, name: str) -> Path | None:
        """Mix ``[start, end)`` of the session into a file; None when it is all silence."""
        assert plan is not None
        samples = mix_window(plan, self.bank, sample_at(start), sample_at(max(end, start)))
        if not samples or peak(samples) == 0:
            return None
        return self._write(name, samples)

    def _write(self, name: str, samples: array) -> Path:
        assert self.folder is not None
        path = self.folder / f"seg-{name}.wav"
        write_wav(path, samples)
        return path

    def _prepare_ahead(self, first: int) -> None:
        """Mix the next two segments on the worker thread."""
        if self.pool is None or self.plan is None:
            return
        for index in (first, first + 1):
            if index < len(self.plan.segments) and index not in self.ready:
                self.ready[index] = self.pool.submit(self._mix_segment, index, self.plan)

    def _forget_before(self, index: int) -> None:
        if self.folder is None:
            return
        for path in self.folder.glob("seg-*.wav"):
            number = path.stem.split("-")[1]
            if number.isdigit() and int(number) < index - 1:
                path.unlink(missing_ok=True)

    # -- pause, resume, +/- ---------------------------------------------------------

    def _resume(self, state: PlayState) -> None:
        seg = self._segment(self.cursor)
        if seg is None or state.current is None:
            return
        offset = max(state.position - state.current_start, 0.0) / self.speed
        end = seg.end - tone_seconds("end") if self.end_tone_pending else seg.end
        path = self._mix(self.plan, seg.start + offset, end, f"{self.cursor}-resume")
        if path is not None:
            self.player.play(path)

    def _follow_adjustment(self, state: PlayState) -> None:
        """After + or -, re-plan with the step's new length and play on from here."""
        seg = self._segment(self.cursor)
        if seg is None or state.current is None or self.timeline is None:
            return
        length = (state.current_end - state.current_start) / self.speed
        delta = length - (seg.end - seg.start)
        if abs(delta) < 1e-3 or seg.event.kind not in (EventKind.CUE, EventKind.REST):
            return
        self.timeline = _stretch(self.timeline, seg.event, delta)
        self.plan = plan_audio(self.timeline, self.bank.durations(), self.options)
        self.generation += 1
        for future in self.ready.values():
            future.cancel()
        self.ready = {}
        self._resume(state)
        self._prepare_ahead(self.cursor + 1)

    # -- warnings -------------------------------------------------------------------

    def _report_failures(self) -> None:
        for message in self.player.failures():
            self._say_once(f"sound: {message}; the session goes on", message)

    def _give_up(self, exc: Exception) -> None:
        self.broken = True
        try:
            self.player.stop()
        except Exception:  # noqa: BLE001 - already failing; stay quiet and carry on
            pass
        what = f"{type(exc).__name__}: {exc}"
        self._say_once(f"sound turned off after an error: {what}", f"turned off after {what}")

    def _say_once(self, message: str, on_screen: str) -> None:
        """The warning once, after the session; ``on_screen`` at once in the live view
        (under its "sound:" label)."""
        if self.status is not None:
            self.status.fail(on_screen)
        if self.warned:
            return
        self.warned = True
        self._warn(message)


def heard(timeline: Timeline, speed: float) -> Timeline:
    """The timeline as it sounds at ``speed``: every moment and length divided by it."""
    if speed == 1.0:
        return timeline
    events = tuple(
        replace(e, at=e.at / speed, duration=e.duration / speed) for e in timeline.events
    )
    return replace(timeline, events=events)


def _stretch(timeline: Timeline, target: Event, delta: float) -> Timeline:
    """The timeline with ``target`` lasting ``delta`` seconds longer (and all after it)."""
    events = []
    found = False
    for event in timeline.events:
        if event is target:
            event = replace(event, duration=max(event.duration + delta, 0.0))
            found = True
        elif found:
            event = replace(event, at=event.at + delta)
        events.append(event)
    return replace(timeline, events=tuple(events))
