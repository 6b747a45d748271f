"""The runner's own cadence: counted in a 30-second test, stored as a baseline, and the
metronome a plan sets for the pieces in the new form.

Count one foot for 30 seconds (aim for 45 or more, says Jen Rulon's "12th Day of Pose
Method Running"): steps per minute are that count × 4. The baseline is the newest one
in the practice log; without one, 180 is used only as the reference Pose teaching
gives (about 180 steps per minute), never raised, until the runner has measured their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from pose_coach.errors import UsageError
from pose_coach.log.plans import CadenceBaseline
from pose_coach.log.store import format_utc

COUNT_SECONDS = 30  # count one foot for 30 s [Jen Rulon, 12th Day of Pose Method Running]
COUNT_TARGET = 45  # ...and aim for 45 or more, i.e. 180 steps per minute
DEFAULT_SPM = 180  # about 180 steps per minute or more in Pose teaching [Pose Coach Blog]
MIN_SPM, MAX_SPM = 120, 230  # a runner's own cadence, running (not walking)


@dataclass(frozen=True)
class OwnCadence:
    """The runner's cadence in steps per minute and where the number comes from."""

    spm: int
    source: str  # 'cadence test on 2025-03-03', 'entered on ...', or 'default'
    baseline: CadenceBaseline | None = None

    @property
    def measured(self) -> bool:
        return self.baseline is not None

    def to_dict(self) -> dict:
        return {
            "spm": self.spm,
            "source": self.source,
            "measured": self.measured,
            "baseline": self.baseline.to_dict() if self.baseline else None,
        }


def spm_from_count(steps: int, seconds: int = COUNT_SECONDS) -> int:
    """Steps per minute, both feet, from the steps of one foot counted in ``seconds``."""
    return round(steps * 2 * 60 / seconds)


def check_spm(spm: int, what: str) -> None:
    if not MIN_SPM <= spm <= MAX_SPM:
        raise UsageError(
            f"{what} gives {spm} steps per minute; a running cadence is {MIN_SPM}-{MAX_SPM}",
            hint=f"count every landing of one foot for {COUNT_SECONDS} s while you run, "
            "not both feet and not walking",
        )


def counted_baseline(steps: int, now: datetime, seconds: int = COUNT_SECONDS) -> CadenceBaseline:
    """The baseline of a step count (one foot, ``seconds`` long), checked."""
    spm = spm_from_count(steps, seconds)
    check_spm(spm, f"{steps} steps of one foot in {seconds} s")
    return CadenceBaseline(
        spm=spm,
        method="count",
        measured_at=format_utc(now),
        measured_epoch=int(now.timestamp()),
        steps=steps,
        seconds=seconds,
    )


def entered_baseline(spm: int, now: datetime, note: str | None = None) -> CadenceBaseline:
    check_spm(spm, "that cadence")
    return CadenceBaseline(
        spm=spm,
        method="entered",
        measured_at=format_utc(now),
        measured_epoch=int(now.timestamp()),
        note=note,
    )


def own_cadence(baseline: CadenceBaseline | None) -> OwnCadence:
    """The runner's own cadence: the newest baseline, else the default, named as such."""
    if baseline is None:
        return OwnCadence(DEFAULT_SPM, "default")
    how = {"count": "cadence test", "entered": "entered", "run": "from a run"}.get(
        baseline.method, baseline.method
    )
    return OwnCadence(baseline.spm, f"{how} on {baseline.measured_at[:10]}", baseline)


class Clock(Protocol):
    def now(self) -> float: ...

    def wait(self, deadline: float) -> str | None: ...


def count_walkthrough(
    clock: Clock, show: Callable[[str], None], seconds: int = COUNT_SECONDS
) -> None:
    """Time the count: a 3-2-1 lead-in, then ``seconds`` with the time left each second.

    ``show`` gets each line to display (the command prints it; a bell marks go and stop).
    The runner counts; nothing is measured here but time.
    """
    start = clock.now()
    for n, count in enumerate((3, 2, 1)):
        show(f"{count}…")
        clock.wait(start + n + 1)
    go = clock.now()
    show("\aGO: count every landing of one foot")
    for left in range(seconds - 5, 0, -5):
        clock.wait(go + seconds - left)
        show(f"{left} s left")
    clock.wait(go + seconds)
    show("\aSTOP")
