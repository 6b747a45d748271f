"""Cadence as values: the default, a runner's cadence with its source, a step's change.

Pure: ``pose_coach/cadence.py`` finds the runner's own cadence (option, setting,
default); this module only does the arithmetic and the words, so the timeline, the cue
sheets and ``show`` can use it without reading any setting.
"""

from __future__ import annotations

from typing import NamedTuple

DEFAULT_CADENCE = 180  # steps per minute, used only until the runner's own is known
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


DEFAULT_RUNNER = RunnerCadence(DEFAULT_CADENCE, "default")


def changed_cadence(spm: int, change: float) -> int:
    """``spm`` raised (or lowered) by ``change`` percent, as a metronome can click it."""
    return max(60, min(240, round(spm * (1 + change / 100.0))))


def change_text(change: float) -> str:
    """``+5%``, ``-5%``, ``+0%``: how a relative step cadence is written."""
    sign = "-" if change < 0 else "+"
    return f"{sign}{abs(change):g}%"
