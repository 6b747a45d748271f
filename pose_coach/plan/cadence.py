"""The cadence test: 30 seconds counted, stored as a baseline; what a plan says of it.

Count one foot for 30 seconds (aim for 45 or more, says Jen Rulon's "12th Day of Pose
Method Running"): steps per minute are that count × 4. The baseline goes to the practice
log, where ``pose_coach.cadence.runner_cadence`` finds it (after the option and the
setting). A plan's metronome counts from the runner's own cadence only: with the default
of 180 (the Pose reference, not the runner's) it sets none and asks for a test first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from pose_coach.errors import UsageError
from pose_coach.library.cadence import RunnerCadence
from pose_coach.log.plans import CadenceBaseline
from pose_coach.log.store import format_utc

COUNT_SECONDS = 30  # count one foot for 30 s [Jen Rulon, 12th Day of Pose Method Running]
COUNT_TARGET = 45  # ...and aim for 45 or more, i.e. 180 steps per minute
DEFAULT_SPM = 180  # about 180 steps per minute or more in Pose teaching [Pose Coach Blog]
MIN_SPM, MAX_SPM = 120, 230  # a runner's own cadence, running (not walking)


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


def own_cadence() -> RunnerCadence:
    """The runner's own cadence and its source (``pose_coach.cadence``), a broken config
    file read as unset."""
    from pose_coach.cadence import runner_cadence

    return runner_cadence(tolerant=True)


def cadence_dict(own: RunnerCadence, baseline: CadenceBaseline | None) -> dict:
    """``cadence --json``: the runner's cadence, its source, and the newest stored baseline."""
    return {
        "spm": own.spm,
        "source": own.source,
        "own": not own.is_default,
        "baseline": baseline.to_dict() if baseline else None,
    }


def run_baseline(cadence_spm: float, started_at: str, file_name: str, now: datetime):
    """A baseline from a stored run's cadence (``cadence test --from-run``)."""
    spm = round(cadence_spm)
    check_spm(spm, f"the run of {started_at[:10]}")
    return CadenceBaseline(
        spm=spm,
        method="run",
        measured_at=format_utc(now),
        measured_epoch=int(now.timestamp()),
        note=f"{file_name}, {started_at[:10]}",
    )


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
