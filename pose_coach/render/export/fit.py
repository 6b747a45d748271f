"""Garmin FIT workout export: a compiled timeline → a workout file a watch walks you through.

The layout follows Garmin's cookbook "Encoding FIT Workout Files": a file_id message of
type workout, one workout message, then the workout_step messages in the order they are
done. A repeat is one more step that points back at the first step of its block.

Planning (timeline → steps) is pure and needs no FIT library; only ``fit_bytes`` imports
fit-tool, lazily, because it costs ~80 ms to import.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone

from pose_coach.errors import MissingExtraError, UsageError
from pose_coach.timeline import Event, EventKind, Timeline

# Garmin watches and Garmin Connect take at most 50 steps in one workout (repeat steps
# included); TrainerDay documents the same cap for workouts sent to Garmin. Users whose
# watch takes more can raise it with --max-steps, up to what the format can address.
DEFAULT_MAX_STEPS = 50
# workout_step.message_index keeps the step number in its low 12 bits (mask 0x0FFF).
FORMAT_MAX_STEPS = 4096
# A FIT field's size is one byte and a string ends with a NUL: 254 bytes of UTF-8 at most.
TEXT_BYTES = 254
# Our choice for step and workout names: short enough for a watch screen. The whole cue
# goes to the step's notes.
NAME_BYTES = 50
# Cadence targets are a band either side of the metronome, per foot (rpm): ±2 rpm is
# ±4 steps/min, so a runner on the beat never gets an out-of-range alert.
CADENCE_BAND = 2

ACTIVE, REST, RECOVERY = "active", "rest", "recovery"


@dataclass(frozen=True)
class WorkoutStep:
    """One workout_step message: a timed (or open) step, or a repeat of earlier steps."""

    name: str | None
    notes: str | None = None
    intensity: str = ACTIVE  # active (drill steps), rest (between sets), recovery (between drills)
    seconds: float = 0.0  # the planned time; for an open step, what the live view falls back to
    open: bool = False  # ends on the watch's lap button instead of a timer
    cadence: int | None = None  # the drill's metronome in steps per minute (both feet)
    repeat_from: int | None = None  # repeat step: index of the first step to do again
    repeat_count: int = 0  # repeat step: how many times the block is done in all

    @property
    def is_repeat(self) -> bool:
        return self.repeat_from is not None

    @property
    def cadence_rpm(self) -> int | None:
        """FIT counts running cadence per foot: 180 steps/min is 90 rpm (halves round up)."""
        return None if self.cadence is None else (self.cadence + 1) // 2


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` bytes of UTF-8, cut between words, never inside one.

    Only a single word longer than the limit is cut inside, at a character boundary.
    """
    text = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    if len(text.encode("utf-8")) <= limit:
        return text
    kept = ""
    for word in text.split(" "):
        candidate = f"{kept} {word}" if kept else word
        if len(candidate.encode("utf-8")) > limit:
            break
        kept = candidate
    if not kept:  # one giant word: keep whole characters that fit
        kept = text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")
    words = kept.rstrip(" ,;:-—–").split(" ")
    # "…until your hands take the" reads better on a watch as "…until your hands take"
    while len(words) > 1 and words[-1].lower() in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;:-—–")


_DANGLING = frozenset("a an the of to and or but with in on at for from by your".split())


def _cue_step(event: Event) -> WorkoutStep:
    cue = event.text or ""
    side = f" ({event.side})" if event.side else ""
    name = shorten(cue, NAME_BYTES - len(side.encode())) + side
    notes = shorten((event.say or cue) + side, TEXT_BYTES)
    return WorkoutStep(
        name=name,
        notes=notes if notes != name else None,
        seconds=event.duration,
        open=event.open,
        cadence=event.cadence,
    )


@dataclass
class _Block:
    """One drill's sets (and the rests between them), or one rest between drills."""

    sets: list[list[WorkoutStep]] = field(default_factory=list)
    rests: list[WorkoutStep] = field(default_factory=list)

    def unrolled(self) -> list[WorkoutStep]:
        out: list[WorkoutStep] = []
        for n, steps in enumerate(self.sets):
            out += steps
            if n < len(self.rests):
                out.append(self.rests[n])
        return out

    def compact(self, start: int) -> list[WorkoutStep] | None:
        """Sets as a repeat block, or None when the sets differ or a repeat saves nothing."""
        sets, rests = self.sets, self.rests
        if len(sets) < 2 or any(s != sets[0] for s in sets) or any(r != rests[0] for r in rests):
            return None
        if not rests:  # set × N
            return sets[0] + [_repeat(start, len(sets))]
        # (set, rest) × (N-1), then the last set: no rest after it, as in the timeline
        return sets[0] + [rests[0], _repeat(start, len(sets) - 1)] + sets[-1]

    def steps(self, start: int) -> list[WorkoutStep]:
        unrolled = self.unrolled()
        compact = self.compact(start)
        return compact if compact is not None and len(compact) < len(unrolled) else unrolled


def _repeat(start: int, count: int) -> WorkoutStep:
    return WorkoutStep(name=None, repeat_from=start, repeat_count=count)


def plan_workout(timeline: Timeline) -> list[WorkoutStep]:
    """The workout steps for ``timeline``, in order, sets folded into repeats where shorter.

    The lead-in countdown is left out: the watch starts the workout when you press start.
    """
    blocks: list[_Block] = []
    current: _Block | None = None
    events = timeline.events
    for n, event in enumerate(events):
        if event.kind is EventKind.SET_START:
            if event.set == 1 or current is None:
                current = _Block()
                blocks.append(current)
            current.sets.append([])
        elif event.kind is EventKind.CUE and current is not None:
            current.sets[-1].append(_cue_step(event))
        elif event.kind is EventKind.REST and event.duration > 0:
            if event.set is not None and current is not None:
                current.rests.append(WorkoutStep("Rest", intensity=REST, seconds=event.duration))
            else:  # a routine's rest between drills: say what comes next
                following = next(
                    (e.text for e in events[n + 1 :] if e.kind is EventKind.DRILL_START), None
                )
                notes = shorten(f"Next: {following}", TEXT_BYTES) if following else None
                rest = WorkoutStep("Rest", notes, RECOVERY, seconds=event.duration)
                blocks.append(_Block(sets=[[rest]]))
                current = None
    steps: list[WorkoutStep] = []
    for block in blocks:
        steps += block.steps(len(steps))
    return steps


def check_step_limit(timeline: Timeline, steps: list[WorkoutStep], max_steps: int) -> None:
    if len(steps) <= max_steps:
        return
    limit = (
        f"a Garmin workout takes at most {max_steps}"
        if max_steps == DEFAULT_MAX_STEPS
        else f"--max-steps allows {max_steps}"
    )
    raise UsageError(
        f"{timeline.kind} '{timeline.id}' needs {len(steps)} workout steps; {limit}",
        hint="export fewer sets (--sets 1) or its drills one by one; if your watch takes "
        f"more steps, raise --max-steps (the format's limit is {FORMAT_MAX_STEPS})",
    )


def fit_bytes(
    timeline: Timeline,
    *,
    max_steps: int = DEFAULT_MAX_STEPS,
    created: datetime | None = None,
    steps: list[WorkoutStep] | None = None,
    name: str | None = None,
) -> bytes:
    """A FIT workout file for ``timeline``; raises UsageError past ``max_steps`` steps.

    ``steps`` (default: ``plan_workout(timeline)``) and ``name`` (default: the title) let
    a plan's session add its run after the drills.
    """
    steps = plan_workout(timeline) if steps is None else steps
    if not steps:
        raise UsageError(f"{timeline.kind} '{timeline.id}' has no steps to export")
    check_step_limit(timeline, steps, min(max_steps, FORMAT_MAX_STEPS))
    try:
        from fit_tool.fit_file_builder import FitFileBuilder
        from fit_tool.profile.messages.file_id_message import FileIdMessage
        from fit_tool.profile.messages.workout_message import WorkoutMessage
        from fit_tool.profile.profile_type import FileType, Manufacturer, Sport, SubSport
    except ImportError:
        raise MissingExtraError(
            "the FIT export needs the fit-tool package, which is not installed",
            hint="pip install 'fit-tool>=0.9.16' (or reinstall pose-coach)",
        ) from None

    created = created or datetime.now(timezone.utc)
    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    # a stable serial per id: the same workout exported twice is recognisably the same
    key = f"pose-coach:{timeline.id}" + (f":{name}" if name else "")
    file_id.serial_number = zlib.crc32(key.encode()) or 1
    file_id.time_created = round(created.timestamp() * 1000)  # fit-tool takes ms

    workout = WorkoutMessage()
    workout.workout_name = shorten(name or timeline.title, NAME_BYTES)
    workout.sport = Sport.RUNNING
    workout.sub_sport = SubSport.WARM_UP
    workout.num_valid_steps = len(steps)  # every step message, repeats included (cookbook)

    builder = FitFileBuilder(auto_define=True, min_string_size=0)
    builder.add(file_id)
    builder.add(workout)
    for index, step in enumerate(steps):
        builder.add(_step_message(index, step))
    return builder.build().to_bytes()


def _step_message(index: int, step: WorkoutStep):
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import Intensity, WorkoutStepDuration, WorkoutStepTarget

    message = WorkoutStepMessage()
    message.message_index = index
    if step.is_repeat:
        # cookbook: duration = the step to go back to, target = open, value = times in all
        message.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
        message.duration_step = step.repeat_from
        message.target_type = WorkoutStepTarget.OPEN
        message.target_repeat_steps = step.repeat_count
        return message
    if step.name:
        message.workout_step_name = step.name
    if step.notes:
        message.notes = step.notes
    message.intensity = {
        ACTIVE: Intensity.ACTIVE,
        REST: Intensity.REST,
        RECOVERY: Intensity.RECOVERY,
    }[step.intensity]
    if step.open:
        message.duration_type = WorkoutStepDuration.OPEN  # "until lap button"
        message.duration_value = 0
    else:
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(step.seconds)
    rpm = step.cadence_rpm
    if rpm is None:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    else:
        message.target_type = WorkoutStepTarget.CADENCE
        message.target_value = 0  # zone 0: the custom range below
        message.custom_target_cadence_low = max(rpm - CADENCE_BAND, 0)
        message.custom_target_cadence_high = rpm + CADENCE_BAND
    return message
