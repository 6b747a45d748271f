"""Validated, immutable transition plans. Only ``plan/loader.py`` builds them.

A plan is weeks of sessions. A session is a routine (or one drill) and, from the weeks
that have it, a run prescription: how long the whole run is, how much of it in the new
form, and in pieces of at most how far. Rules say when the runner moves on, holds or
steps back, and every number names its sources (keys of the plan's ``sources``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pose_coach.library.model import Location


@dataclass(frozen=True)
class RunPrescription:
    """A run: ``minutes`` in all, of which ``form_minutes`` in the new form, in pieces."""

    minutes: int
    form_minutes: int = 0
    piece_max_m: int | None = None  # each piece in the new form: at most this far...
    piece_max_minutes: int | None = None  # ...or at most this long
    sources: tuple[str, ...] = ()
    where: Location = field(default_factory=lambda: Location("?"))

    @property
    def in_form(self) -> bool:
        """Whether any of this run is in the new form."""
        return self.form_minutes > 0


@dataclass(frozen=True)
class PlanSession:
    """One day's session: a routine or a drill, then (perhaps) a run."""

    kind: str  # 'routine' or 'drill'
    ref: str  # the routine or drill id
    run: RunPrescription | None = None
    title: str | None = None  # a name for the day ("Skill day"); default: the routine's title
    note: str | None = None
    where: Location = field(default_factory=lambda: Location("?"))


@dataclass(frozen=True)
class PlanWeek:
    number: int  # 1-based, weeks with ``repeat`` counted out
    title: str
    sessions: tuple[PlanSession, ...]
    note: str | None = None
    sources: tuple[str, ...] = ()
    where: Location = field(default_factory=lambda: Location("?"))

    @property
    def form_minutes(self) -> int:
        """The most running in the new form any session of the week prescribes."""
        return max((s.run.form_minutes for s in self.sessions if s.run), default=0)


@dataclass(frozen=True)
class Rules:
    """When the plan goes on, holds or steps back; the thresholds are soreness 0-10."""

    progress_max: int  # a week counts as done when soreness stayed at most this
    step_back_min: int  # soreness this high (or more) steps back one week at once
    missed_days: int  # this many days without a plan session steps back one week
    rising: int | None = None  # soreness rising at this many check-ins in a row: hold
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule → source keys


@dataclass(frozen=True)
class CadenceRule:
    """The metronome for the pieces in form: from the runner's own cadence, raised slowly."""

    from_week: int
    step_percent: int  # each raise
    max_percent: int  # never more than this above the runner's own cadence
    sources: tuple[str, ...] = ()
    where: Location = field(default_factory=lambda: Location("?"))

    @property
    def max_level(self) -> int:
        return self.max_percent // self.step_percent


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    summary: str
    weeks: tuple[PlanWeek, ...]
    rules: Rules
    days: tuple[int, ...]  # default training days, 0 = Monday
    sources: dict[str, str]  # key → the source's title and address
    level: str | None = None
    already_drilling: bool = False  # the runner has drilled for a week or more already
    cadence: CadenceRule | None = None
    safety: tuple[str, ...] = ()
    source: str = "builtin"  # 'builtin' or the file it came from
    shadows: str | None = None  # the built-in plan a user file of the same id replaces

    kind = "plan"

    @property
    def sessions_per_week(self) -> int:
        return max(len(week.sessions) for week in self.weeks)

    @property
    def runs_in_form(self) -> bool:
        return any(week.form_minutes for week in self.weeks)

    def week(self, number: int) -> PlanWeek:
        return self.weeks[number - 1]
