"""The runner's own cadence: what a step's ``cadence: +5%`` is counted from.

One function answers "how many steps per minute does this runner run, and how do we
know": ``runner_cadence``. Its sources, first found wins: the ``--runner-cadence``
option, then the ``runner_cadence`` setting (``POSE_COACH_RUNNER_CADENCE`` or the config
file), else the default of 180. A measured baseline (a cadence test, a watch file) joins
as one more source before the default, without touching any caller.

Why 180 only as a default: Pose teaching uses about 180 steps per minute [posecoachblog
"Cadence"; Swedish Pixels], but cadence rises with pace and differs between runners
[Sweat Science "The problem with 180"], Daniels' 180 was an observation of Olympians,
not a target [Run SMART "Stride Rate"], and the evidence supports raising a runner's own
rate by 5-10 % [Heiderscheit et al. 2011; Lyght et al. 2016], in small steps from a
measured baseline [Mediterra "Using a metronome for running"].
"""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_CADENCE = 180  # steps per minute, used only until the runner's own is known
MIN_CADENCE, MAX_CADENCE = 120, 230  # a runner's own cadence, running (not walking)
OPTION = "--runner-cadence"
SETTING = "runner_cadence"


class RunnerCadence(NamedTuple):
    """The runner's cadence in steps per minute and where it came from."""

    spm: int
    source: str  # 'default', 'option --runner-cadence', 'config file' or 'env POSE_COACH_...'

    @property
    def is_default(self) -> bool:
        return self.source == "default"

    def describe(self) -> str:
        """One line for ``show`` and the cue sheet: the number and why it is that number."""
        if self.is_default:
            return (
                f"{self.spm} steps/min, the default until your own cadence is known "
                f"(set it with {OPTION} or the {SETTING} setting)"
            )
        return f"{self.spm} steps/min, your own cadence ({self.source})"


def runner_cadence(given: int | None = None, *, tolerant: bool = False) -> RunnerCadence:
    """The runner's own cadence and its source.

    ``given``: a value typed on the command line (``--runner-cadence``), which wins.
    ``tolerant``: a broken config file falls back to the default instead of raising
    ConfigError (for ``show``, which works while the config is being fixed).
    """
    if given is not None:
        return RunnerCadence(int(given), f"option {OPTION}")
    from pose_coach.config import effective
    from pose_coach.errors import ConfigError

    try:
        found = effective(SETTING)
    except ConfigError:
        if not tolerant:
            raise
        return RunnerCadence(DEFAULT_CADENCE, "default")
    if found.value is not None:
        return RunnerCadence(int(found.value), found.source)
    return RunnerCadence(DEFAULT_CADENCE, "default")


def changed_cadence(spm: int, change: float) -> int:
    """``spm`` raised (or lowered) by ``change`` percent, as a metronome can click it."""
    return max(60, min(240, round(spm * (1 + change / 100.0))))


def change_text(change: float) -> str:
    """``+5%``, ``-5%``, ``+0%``: how a relative step cadence is written."""
    sign = "-" if change < 0 else "+"
    return f"{sign}{abs(change):g}%"
