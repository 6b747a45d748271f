"""The runner's own cadence: what a step's ``cadence: +5%`` is counted from.

One function answers "how many steps per minute does this runner run, and how do we
know": ``runner_cadence``. Its sources, first found wins: the ``--runner-cadence``
option, then the ``runner_cadence`` setting (``POSE_COACH_RUNNER_CADENCE`` or the config
file), else the default of 180. A measured baseline (a cadence test, a watch file) joins
as one more source before the default, without touching any caller. The values and the
arithmetic live in ``library/cadence.py``.

Why 180 only as a default: Pose teaching uses about 180 steps per minute [posecoachblog
"Cadence"; Swedish Pixels], but cadence rises with pace and differs between runners
[Sweat Science "The problem with 180"], Daniels' 180 was an observation of Olympians,
not a target [Run SMART "Stride Rate"], and the evidence supports raising a runner's own
rate by 5-10 % [Heiderscheit et al. 2011; Lyght et al. 2016], in small steps from a
measured baseline [Mediterra "Using a metronome for running"].
"""

from __future__ import annotations

from pose_coach.library.cadence import (
    DEFAULT_CADENCE,
    OPTION,
    SETTING,
    RunnerCadence,
    change_text,
    changed_cadence,
)

__all__ = [
    "DEFAULT_CADENCE",
    "OPTION",
    "SETTING",
    "RunnerCadence",
    "change_text",
    "changed_cadence",
    "runner_cadence",
]


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
