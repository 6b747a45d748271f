"""What the live view shows: a pure function of (timeline, PlayState).

``make_view`` reduces the play state to a ``View``: only what is on screen, rounded to
the precision shown (whole seconds), so two equal views draw the same frame and the
live sink redraws only when the view (or the terminal size) changes. ``frame.py``
draws a view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from pose_coach import words
from pose_coach.audio.status import SoundStatus
from pose_coach.play.scheduler import PlayState
from pose_coach.timeline import Event, EventKind, Timeline

_EPS = 1e-6  # slack for float rounding when showing whole seconds
LAST_SECONDS = 3  # the end of a step or rest is shown as a moment of its own


@dataclass(frozen=True)
class ViewPlan:
    """Facts about the whole timeline the view needs at every frame, computed once."""

    timeline: Timeline
    cues: tuple[Event, ...]
    switched: frozenset[int]  # steps that come right after a "switch legs"
    items: Mapping[int, Event]  # step -> the drill_start of its routine part
    rests: Mapping[int, float]  # step -> seconds of rest just before it
    checkpoints: Mapping[str, tuple[str, ...]]  # drill id -> its checkpoints

    @classmethod
    def of(
        cls, timeline: Timeline, checkpoints: Mapping[str, Sequence[str]] | None = None
    ) -> ViewPlan:
        switched: set[int] = set()
        items: dict[int, Event] = {}
        rests: dict[int, float] = {}
        part: Event | None = None
        after_switch = False
        rest = 0.0
        for event in timeline.events:
            if event.kind is EventKind.DRILL_START:
                part = event
            elif event.kind is EventKind.REST:
                rest += event.duration
            elif event.kind is EventKind.SWITCH:
                after_switch = True
            elif event.kind is EventKind.CUE and event.step is not None:
                if after_switch:
                    switched.add(event.step)
                after_switch = False
                if part is not None:
                    items[event.step] = part
                if rest:
                    rests[event.step] = rest
                rest = 0.0
        return cls(
            timeline,
            timeline.cues,
            frozenset(switched),
            items,
            rests,
            {k: tuple(v) for k, v in (checkpoints or {}).items()},
        )


@dataclass(frozen=True)
class View:
    """Everything on screen at one moment, at the precision shown."""

    title: str
    phase: str
    mode: str  # 'ready', 'countdown', 'cue', 'open' (waiting for Enter) or 'rest'
    cue: str
    seconds: int  # the big number: seconds left, the countdown count, or time taken
    paused: bool = False
    side: str | None = None
    switched: bool = False
    checkpoint: bool = False
    cadence: int | None = None
    next_cue: str | None = None
    next_side: str | None = None
    next_rest: int = 0  # seconds of rest before the next cue (when not resting already)
    step: int = 0
    steps: int = 0
    set: int | None = None
    sets: int | None = None
    item: int | None = None
    items: int | None = None
    drill_title: str | None = None
    left: int = 0  # whole seconds left in the session
    total: int = 0
    checkpoints: tuple[str, ...] = field(default=())
    focus: int | None = None  # index of the checkpoint to focus on this set
    keys: bool = True  # keys work (a terminal on stdin)
    # a timed open step (a run-out): whole seconds until the session goes on by itself
    goes_on_in: int | None = None
    # the header's sound words ("voice on · beeps on · metronome off", "muted", "sound
    # off"); None where the view is not told (a test's view)
    sound: str | None = None
    # a sound failure as it happens, or why sound stayed off ("sound is off at --speed 10")
    sound_note: str | None = None

    @property
    def moment(self) -> str:
        """The kind of moment, shown in colour over the full width (and in words):
        'paused', 'ready' (the get-ready countdown), 'last' (the last 3 s of a timed
        step or rest), 'rest' or 'work'."""
        if self.paused:
            return "paused"
        if self.mode in ("ready", "countdown"):
            return "ready"
        if self.mode in ("cue", "rest") and self.seconds <= LAST_SECONDS:
            return "last"
        return "rest" if self.mode == "rest" else "work"

    @property
    def window_title(self) -> str:
        state = "paused · " if self.paused else ""
        return f"{state}{words.clock(self.left)} left · {self.title}"


def sound_words(status: SoundStatus, muted: bool) -> str:
    """``voice on · beeps on · metronome off``, ``muted (m)`` or ``sound off``."""
    if not status.on:
        return "sound off"
    if muted:
        return "muted (m)"
    parts = (("voice", status.voice), ("beeps", status.beeps), ("metronome", status.metronome))
    return " · ".join(f"{name} {'on' if on else 'off'}" for name, on in parts)


def make_view(
    plan: ViewPlan, state: PlayState, keys: bool = True, sound: SoundStatus | None = None
) -> View:
    """The view of ``state``; equal views mean an identical frame."""
    timeline = plan.timeline
    current = state.current
    done = state.steps_done
    upcoming = plan.cues[done] if done < len(plan.cues) else None
    left = max(state.current_end - state.position, 0.0)
    if current is None or current.kind is EventKind.COUNTDOWN:
        mode = "countdown" if current is not None else "ready"
        cue = "Get ready"
        # before the first event: the count the countdown will start from
        seconds = current.count or 0 if current is not None else math.ceil(timeline.lead_in)
    elif current.kind is EventKind.REST:
        mode, cue, seconds = "rest", current.text or "rest", _ceil(left)
    elif state.waiting_for_key:
        mode, cue = "open", current.text or ""
        seconds = max(math.floor(state.position - state.current_start + _EPS), 0)
    else:
        mode, cue, seconds = "cue", current.text or "", _ceil(left)
    cue_now = current if current is not None and current.kind is EventKind.CUE else None
    is_cue = cue_now is not None
    # set, drill and phase come from the cue in progress, else the one coming up
    ref = current if is_cue else (upcoming or (plan.cues[-1] if plan.cues else None))
    part = plan.items.get(ref.step) if ref is not None and ref.step is not None else None
    checkpoints = plan.checkpoints.get(ref.drill, ()) if ref is not None and ref.drill else ()
    focus = None
    if checkpoints and ref is not None:
        focus = ((ref.set or 1) - 1) % len(checkpoints)
    return View(
        title=timeline.title,
        phase=(ref.phase if ref is not None and ref.phase else ", ".join(timeline.phases)),
        mode=mode,
        cue=cue,
        seconds=seconds,
        paused=state.paused,
        side=cue_now.side if cue_now else None,
        switched=cue_now is not None and cue_now.step in plan.switched,
        checkpoint=cue_now is not None and cue_now.checkpoint,
        cadence=cue_now.cadence if cue_now else None,
        next_cue=upcoming.text if upcoming is not None else None,
        next_side=upcoming.side if upcoming is not None else None,
        next_rest=(
            round(plan.rests.get(upcoming.step or 0, 0))
            if upcoming is not None and mode != "rest"
            else 0
        ),
        step=done,
        steps=len(plan.cues),
        set=ref.set if ref is not None else None,
        sets=ref.sets if ref is not None else None,
        item=part.item if part is not None else None,
        items=part.items if part is not None else None,
        drill_title=part.text if part is not None else None,
        left=_ceil(state.remaining),
        total=_ceil(state.total),
        checkpoints=checkpoints,
        focus=focus,
        keys=keys,
        goes_on_in=_ceil(state.goes_on_in) if state.goes_on_in is not None else None,
        sound=sound_words(sound, state.muted) if sound is not None else None,
        sound_note=(sound.problem or sound.why_off) if sound is not None else None,
    )


def _ceil(seconds: float) -> int:
    return max(math.ceil(seconds - _EPS), 0)
