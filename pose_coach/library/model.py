"""Validated, immutable drill and routine objects. Only the loader builds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Phase(str, Enum):
    POSE = "pose"
    FALL = "fall"
    PULL = "pull"


class Side(str, Enum):
    """The standing (support) leg of a step. ``both``: the step twice, standing on the left,
    then on the right; ``alternate``: the left in odd sets, the right in even ones."""

    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    ALTERNATE = "alternate"


class Evidence(str, Enum):
    """How well the drill's own steps are documented (``show`` and the sheet say so)."""

    SINGLE_SOURCE = "single-source"  # one source describes the steps
    CONTESTED = "contested"  # sources disagree on how it is done


# Every figure a drill can name with ``figure:`` (drawn by render/figures), and the one a
# drill of each phase gets when it names none. Kept here so the loader can check a name
# without importing the renderer.
FIGURES = (
    "pose",
    "fall",
    "pull",
    "two-foot",
    "two-foot-fall",
    "wall-fall",
    "wall-pull",
    "partner-fall",
    "heel-raise",
)
DEFAULT_FIGURES = {Phase.POSE: "pose", Phase.FALL: "fall", Phase.PULL: "pull"}


@dataclass(frozen=True)
class Location:
    """Where something was written, for errors found after loading."""

    path: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.path
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Step:
    cue: str
    seconds: float
    say: str | None = None
    checkpoint: bool = False
    side: Side | None = None
    cadence: int | None = None  # steps per minute, fixed
    # percent above (or below) the runner's own cadence: ``cadence: +5%``; excludes ``cadence``
    cadence_change: float | None = None
    until_key: bool = False  # open-ended: ends on a key press; ``seconds`` is the fallback

    @property
    def legs(self) -> int:
        """How many times the step is done: twice (left, right) for ``side: both``."""
        return 2 if self.side is Side.BOTH else 1


@dataclass(frozen=True)
class Fault:
    fault: str
    fix: str
    id: str | None = None  # the canonical fault (library/faults.py FAULTS) this one is a form of


@dataclass(frozen=True)
class Drill:
    id: str
    title: str
    phase: Phase
    summary: str
    steps: tuple[Step, ...]
    sets: int = 1
    rest: float = 0.0
    level: str | None = None
    equipment: tuple[str, ...] = ()
    checkpoints: tuple[str, ...] = ()
    faults: tuple[Fault, ...] = ()
    safety: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    corrects: tuple[str, ...] = ()  # canonical fault ids, the main target first
    figure: str | None = None  # a figure name (render/figures); None: the phase's own
    evidence: Evidence | None = None
    source: str = "builtin"  # 'builtin' or the file path it came from
    shadows: str | None = None  # the built-in it replaces, when a user file reuses an id

    kind = "drill"

    @property
    def figure_name(self) -> str:
        """The figure drawn for this drill: its own ``figure``, else its phase's."""
        return self.figure or DEFAULT_FIGURES[self.phase]

    @property
    def set_seconds(self) -> float:
        return sum(step.seconds * step.legs for step in self.steps)

    def dose_seconds(
        self, sets: int | None = None, rest: float | None = None, scale: float = 1.0
    ) -> float:
        """Seconds of work and rest for ``sets`` sets (the drill's own dose by default),
        every step ``scale`` times as long (a routine item's ``seconds_scale``)."""
        sets = self.sets if sets is None else sets
        rest = self.rest if rest is None else rest
        return self.set_seconds * scale * sets + rest * max(sets - 1, 0)

    @property
    def seconds(self) -> float:
        return self.dose_seconds()


class ItemKind(str, Enum):
    DRILL = "drill"
    REST = "rest"
    ROUTINE = "routine"


@dataclass(frozen=True)
class RoutineItem:
    kind: ItemKind
    ref: str | None = None  # drill or routine id
    seconds: float = 0.0  # for a rest item
    sets: int | None = None
    rest: float | None = None
    seconds_scale: float = 1.0
    cue: str | None = None  # a rest item's words: what to do in it ("walk to the wall")
    where: Location = field(default_factory=lambda: Location("?"))

    @property
    def target(self) -> str:
        """The id a drill or routine item refers to; a rest item refers to nothing."""
        if self.ref is None:
            raise ValueError("a rest item refers to no drill or routine")
        return self.ref

    def dose(self, drill: Drill) -> tuple[int, float]:
        """(sets, rest seconds) of this drill item: its own overrides, else the drill's dose."""
        return (self.sets or drill.sets, drill.rest if self.rest is None else self.rest)


@dataclass(frozen=True)
class Routine:
    id: str
    title: str
    summary: str
    items: tuple[RoutineItem, ...]
    source: str = "builtin"
    shadows: str | None = None

    kind = "routine"


Entry = Drill | Routine
