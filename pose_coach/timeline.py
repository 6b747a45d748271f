"""Compile a drill or routine into a Timeline: a flat, immutable list of timed events.

Everything that shows or plays a session (live view, plain lines, JSON, speech, audio
files, cue sheets, exports) consumes this one structure. Compiling is pure: no clock.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, replace
from enum import Enum
from typing import Any

from pose_coach import words
from pose_coach.errors import UsageError
from pose_coach.library.cadence import DEFAULT_CADENCE, changed_cadence
from pose_coach.library.model import Drill, Entry, ItemKind, Routine, RoutineItem, Side, Step

SCHEMA_VERSION = 1
DEFAULT_LEAD_IN = 3.0


class SessionTooLongError(UsageError):
    """The dose asked for makes the session longer than the limits (exit 2)."""


class EventKind(str, Enum):
    """Event kinds; the values are the strings written to JSON (a public contract)."""

    SESSION_START = "session_start"
    COUNTDOWN = "countdown"
    DRILL_START = "drill_start"
    SET_START = "set_start"
    CUE = "cue"
    STEP_END = "step_end"  # an open-ended step ended (played sessions only)
    SWITCH = "switch"
    REST = "rest"
    SET_END = "set_end"
    DRILL_END = "drill_end"
    SESSION_END = "session_end"


@dataclass(frozen=True)
class Event:
    """One moment of a session. ``at`` is seconds from the start, at speed 1."""

    kind: EventKind
    at: float
    duration: float = 0.0
    text: str | None = None  # cue text, drill title, rest/switch label
    say: str | None = None  # the longer spoken form of a cue, when it has one
    checkpoint: bool = False
    step: int | None = None  # 1-based cue number within the session
    steps: int | None = None  # number of cue events in the session
    set: int | None = None
    sets: int | None = None
    drill: str | None = None  # id of the drill the event belongs to
    phase: str | None = None
    side: str | None = None
    cadence: int | None = None
    open: bool = False  # ends on a key press in the live view; ``duration`` is the fallback
    count: int | None = None  # countdown number (3, 2, 1)
    item: int | None = None  # drill number within a routine (1-based)
    items: int | None = None  # number of drills in the routine
    ended: str | None = None  # step_end: 'key' or 'time', how an open step ended

    @property
    def end(self) -> float:
        return self.at + self.duration

    @property
    def spoken(self) -> str | None:
        return self.say or self.text

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``event`` and ``at`` first, then only the fields that are set."""
        out: dict[str, Any] = {"event": self.kind.value, "at": round_seconds(self.at)}
        for f in fields(self):
            if f.name in ("kind", "at"):
                continue
            value = getattr(self, f.name)
            if value is None or value is False or (f.name == "duration" and not value):
                continue
            out[f.name] = round_seconds(value) if isinstance(value, float) else value
        return out


def round_seconds(value: float) -> float | int:
    """Seconds as written to JSON: milliseconds at most, and whole numbers without ``.0``."""
    value = round(value, 3)
    return int(value) if value == int(value) else value


@dataclass(frozen=True)
class Timeline:
    id: str
    kind: str  # 'drill' or 'routine'
    title: str
    phases: tuple[str, ...]
    events: tuple[Event, ...]
    lead_in: float
    # the runner's cadence relative steps (``cadence: +5%``) were counted from; None when
    # no step is relative
    runner_cadence: int | None = None

    @property
    def total(self) -> float:
        return self.events[-1].at if self.events else 0.0

    @property
    def cues(self) -> tuple[Event, ...]:
        return tuple(e for e in self.events if e.kind is EventKind.CUE)

    @property
    def step_count(self) -> int:
        return len(self.cues)

    @property
    def set_count(self) -> int:
        return sum(1 for e in self.events if e.kind is EventKind.SET_START)

    def header(self) -> dict[str, Any]:
        """The fields that describe the whole session (sent with ``session_start``)."""
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "phases": list(self.phases),
            "total": round_seconds(self.total),
            "steps": self.step_count,
            **({"runner_cadence": self.runner_cadence} if self.runner_cadence else {}),
        }


@dataclass(frozen=True)
class Dose:
    """Command-line overrides of a drill's sets/rest and the lead-in."""

    sets: int | None = None
    rest: float | None = None
    lead_in: float = DEFAULT_LEAD_IN
    runner_cadence: int = DEFAULT_CADENCE  # what ``cadence: +5%`` counts from (cadence.py)

    def __post_init__(self) -> None:
        # the options refuse these already (numbers.py); a script building a Dose gets
        # the same promise: no NaN silently removing a countdown or a rest
        for name in ("rest", "lead_in"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number of seconds ≥ 0, not {value!r}")
        if self.sets is not None and self.sets < 1:
            raise ValueError(f"sets must be at least 1, not {self.sets!r}")


class _Builder:
    def __init__(self) -> None:
        self.events: list[Event] = []
        self.t = 0.0

    def add(self, kind: EventKind, duration: float = 0.0, **data: Any) -> None:
        self.events.append(Event(kind, self.t, duration, **data))
        self.t += duration


def _step_parts(step: Step, scale: float, set_number: int) -> list[tuple[str | None, float]]:
    """(standing leg, seconds) of each pass of a step in set ``set_number``."""
    seconds = step.seconds * scale
    if step.side is Side.BOTH:
        return [("left", seconds), ("right", seconds)]
    if step.side is Side.ALTERNATE:
        return [("left" if set_number % 2 else "right", seconds)]
    return [(step.side.value if step.side else None, seconds)]


def step_cadence(step: Step, runner_cadence: int) -> int | None:
    """A step's metronome: its fixed cadence, or the runner's own changed by its percent."""
    if step.cadence_change is not None:
        return changed_cadence(runner_cadence, step.cadence_change)
    return step.cadence


def _add_drill(
    b: _Builder,
    drill: Drill,
    sets: int,
    rest: float,
    scale: float,
    item: int | None = None,
    items: int | None = None,
    runner_cadence: int = DEFAULT_CADENCE,
) -> None:
    routine_part = item is not None
    base: dict[str, Any] = {"drill": drill.id, "phase": drill.phase.value}
    if routine_part:
        b.add(EventKind.DRILL_START, text=drill.title, item=item, items=items, **base)
    standing: str | None = None  # the leg of the last one-leg step: a change is announced
    for s in range(1, sets + 1):
        b.add(EventKind.SET_START, set=s, sets=sets, **base)
        for step in drill.steps:
            for side, seconds in _step_parts(step, scale, s):
                if side is not None:
                    if standing is not None and side != standing:
                        b.add(
                            EventKind.SWITCH,
                            text="switch legs",
                            say=words.side_spoken(side),
                            side=side,
                            set=s,
                            sets=sets,
                            **base,
                        )
                    standing = side
                b.add(
                    EventKind.CUE,
                    seconds,
                    text=step.cue,
                    say=step.say,
                    checkpoint=step.checkpoint,
                    side=side,
                    cadence=step_cadence(step, runner_cadence),
                    open=step.until_key,
                    set=s,
                    sets=sets,
                    **base,
                )
        b.add(EventKind.SET_END, set=s, sets=sets, **base)
        if s < sets and rest > 0:
            b.add(EventKind.REST, rest, text="rest", set=s, sets=sets, **base)
    if routine_part:
        b.add(EventKind.DRILL_END, text=drill.title, item=item, items=items, **base)


def _announce_after_rests(events: list[Event]) -> None:
    """Every rest says what follows: "Rest 15 seconds. Next: set 2, right leg" (or the
    next drill's title), as its spoken form, so sound, files and sheets say the same."""
    for i, event in enumerate(events):
        if event.kind is not EventKind.REST:
            continue
        what = "Rest" if not event.text or event.text == "rest" else event.text.rstrip(" .") + "."
        say = f"{what} {words.seconds_spoken(event.duration)}."
        coming = _what_follows(events, i + 1)
        if coming and "next" not in what.lower():  # the rest item says it already
            say += f" Next: {coming}"
        events[i] = replace(event, say=say)


def _what_follows(events: list[Event], start: int) -> str | None:
    """What a rest leads into: the next drill's title, else the set and leg coming up."""
    set_number: int | None = None
    for event in events[start:]:
        if event.kind is EventKind.DRILL_START:
            return event.text
        if event.kind is EventKind.SET_START:
            set_number = event.set
        if event.kind is EventKind.CUE:
            parts = [f"set {set_number}"] if set_number else [event.text or ""]
            if event.side:
                parts.append(f"{event.side} leg")
            return ", ".join(p for p in parts if p)
    return None


def flatten_items(
    routine: Routine, library: Mapping[str, Entry], seen: tuple[str, ...] = ()
) -> list[RoutineItem]:
    """Routine items with included routines expanded in place (an explicit stack: no
    recursion, however deep the includes go)."""
    out: list[RoutineItem] = []
    # each frame: the items still to expand, and the routines on the way to them
    stack: list[tuple[Iterator[RoutineItem], tuple[str, ...]]] = [
        (iter(routine.items), seen + (routine.id,))
    ]
    while stack:
        items, path = stack[-1]
        it = next(items, None)
        if it is None:
            stack.pop()
        elif it.kind is not ItemKind.ROUTINE:
            out.append(it)
        elif it.target not in path:  # the catalog refuses cycles; never loop here either
            included = _routine(library, it.target)
            stack.append((iter(included.items), path + (included.id,)))
    return out


def _drill(library: Mapping[str, Entry], entry_id: str) -> Drill:
    entry = library[entry_id]
    assert isinstance(entry, Drill), "the catalog checks that drill items name drills"
    return entry


def _routine(library: Mapping[str, Entry], entry_id: str) -> Routine:
    entry = library[entry_id]
    assert isinstance(entry, Routine), "the catalog checks that routine items name routines"
    return entry


def compile_session(
    entry: Entry, library: Mapping[str, Entry] | None = None, dose: Dose = Dose()
) -> Timeline:
    """The timeline of a session to play, render or export: what would be played is
    measured first, and a dose that takes it past the 4-hour or 20,000-cue limit
    (``--sets 20 --rest 600`` on a long routine) is refused before anything is expanded
    (SessionTooLongError), whoever set it: an option, a variable or the config file."""
    check_size(entry, library or {}, dose)
    return compile_timeline(entry, library, dose)


def check_size(entry: Entry, library: Mapping[str, Entry], dose: Dose = Dose()) -> None:
    """Refuse a session whose dose takes it past the limits (library/size.py)."""
    from pose_coach.library.size import expanded_size, over_limits

    over = over_limits(expanded_size(entry, library, dose.sets, dose.rest))
    if not over:
        return
    given = [f"{dose.sets} sets" if dose.sets is not None else ""]
    given.append(f"{dose.rest:g} s rests" if dose.rest is not None else "")
    with_dose = " and ".join(g for g in given if g)
    raise SessionTooLongError(
        f"{entry.kind} '{entry.id}'{' with ' + with_dose if with_dose else ''} would last "
        + " and ".join(over),
        hint="play fewer sets or shorter rests (--sets, --rest)",
    )


def compile_timeline(
    entry: Entry, library: Mapping[str, Entry] | None = None, dose: Dose = Dose()
) -> Timeline:
    """Compile a drill (or a routine, resolving ids in ``library``) into a Timeline.

    Pure and unlimited; what is played, rendered or exported goes through
    :func:`compile_session`, which holds it to the limits first.
    """
    b = _Builder()
    b.add(EventKind.SESSION_START)
    lead = max(dose.lead_in, 0.0)
    if lead > 0:
        count = math.ceil(lead)
        first = lead - (count - 1)
        b.add(EventKind.COUNTDOWN, first, count=count, text=str(count))
        for n in range(count - 1, 0, -1):
            b.add(EventKind.COUNTDOWN, 1.0, count=n, text=str(n))
    if isinstance(entry, Drill):
        sets = dose.sets or entry.sets
        rest = entry.rest if dose.rest is None else dose.rest
        _add_drill(b, entry, sets, rest, 1.0, runner_cadence=dose.runner_cadence)
        phases: tuple[str, ...] = (entry.phase.value,)
        relative = any(step.cadence_change is not None for step in entry.steps)
    else:
        library = library or {}
        flat = flatten_items(entry, library)
        drill_items = [it for it in flat if it.kind is ItemKind.DRILL]
        n = 0
        for it in flat:
            if it.kind is ItemKind.REST:
                b.add(EventKind.REST, it.seconds, text=it.cue or "rest")
                continue
            n += 1
            drill = _drill(library, it.target)
            sets, rest = it.dose(drill)
            sets = dose.sets or sets  # the command line wins over the routine
            rest = rest if dose.rest is None else dose.rest
            _add_drill(
                b,
                drill,
                sets,
                rest,
                it.seconds_scale,
                item=n,
                items=len(drill_items),
                runner_cadence=dose.runner_cadence,
            )
        phases = tuple(dict.fromkeys(_drill(library, it.target).phase.value for it in drill_items))
        relative = any(
            step.cadence_change is not None
            for it in drill_items
            for step in _drill(library, it.target).steps
        )
    b.add(EventKind.SESSION_END)
    _announce_after_rests(b.events)
    total_steps = sum(1 for e in b.events if e.kind is EventKind.CUE)
    numbered, step = [], 0
    for event in b.events:
        if event.kind is EventKind.CUE:
            step += 1
            event = replace(event, step=step, steps=total_steps)
        numbered.append(event)
    return Timeline(
        entry.id,
        entry.kind,
        entry.title,
        phases,
        tuple(numbered),
        lead,
        runner_cadence=dose.runner_cadence if relative else None,
    )
