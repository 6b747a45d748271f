"""The runner's own cadence: what a step's ``cadence: +5%`` is counted from.

One function answers "how many steps per minute does this runner run, and how do we
know": ``runner_cadence``. Its sources, first found wins: the ``--runner-cadence``
option, then the ``runner_cadence`` setting (``POSE_COACH_RUNNER_CADENCE`` or the config
file), then the newest baseline in the practice log (``pose-coach cadence test``: a
30-second count, a number from a watch, or a stored run's), else the default of 180.
The values and the arithmetic live in ``library/cadence.py``.

Why 180 only as a default: Pose teaching uses about 180 steps per minute [posecoachblog
"Cadence"; Swedish Pixels], but cadence rises with pace and differs between runners
[Sweat Science "The problem with 180"], Daniels' 180 was an observation of Olympians,
not a target [Run SMART "Stride Rate"], and the evidence supports raising a runner's own
rate by 5-10 % [Heiderscheit et al. 2011; Lyght et al. 2016], in small steps from a
measured baseline [Mediterra "Using a metronome for running"].
"""

from __future__ import annotations

import os

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
    "baseline_source",
    "measured_cadence",
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
    measured = measured_cadence()
    if measured is not None:
        return measured
    return RunnerCadence(DEFAULT_CADENCE, "default")


def measured_cadence() -> RunnerCadence | None:
    """The newest cadence baseline in the practice log, None when there is none.

    A log that cannot be read (damaged, locked, someone else's file) counts as none here:
    the cadence is a convenience, and the commands that need the log say why themselves.
    """
    from pose_coach.paths import log_db_path

    if not os.path.lexists(log_db_path()):
        return None  # no log yet: SQLite and the log's code are not even imported
    from pose_coach.errors import PoseCoachError
    from pose_coach.log.plans import latest_baseline
    from pose_coach.log.store import open_log

    try:
        log = open_log(create=False)
        if log is None:
            return None
        with log:
            baseline = latest_baseline(log)
    except PoseCoachError:
        return None
    if baseline is None:
        return None
    source = baseline_source(baseline.method, baseline.measured_at, baseline.note)
    return RunnerCadence(baseline.spm, source)


def baseline_source(method: str, measured_at: str, note: str | None = None) -> str:
    """``cadence test on 2025-03-03``, or ``from the run easy.fit, 2025-03-01``: where a
    stored baseline came from, as a source."""
    if method == "run" and note:
        return f"from the run {note}"
    how = {"count": "cadence test", "entered": "entered"}.get(method, method)
    return f"{how} on {measured_at[:10]}"
