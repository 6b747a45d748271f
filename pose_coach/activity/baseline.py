"""The runner's own baseline: their earlier runs on the same device, at the same pace.

A fair comparison holds pace and device still. Cadence rises and contact time falls as a
runner speeds up, so only kilometres within ``PACE_TOLERANCE`` of this run's main pace
count; warm-ups, cool-downs and walking kilometres never count; and another watch or
sensor measures the same stride differently, so only this device's runs count.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from pose_coach.activity.model import FORM_MEASURES, INFO
from pose_coach.log.runs import PACE_TOLERANCE, MatchedSplit, matched_splits
from pose_coach.log.store import PracticeLog

MIN_SPLITS = 3  # kilometres at the matched pace before earlier runs make a baseline


@dataclass(frozen=True)
class Baseline:
    pace_s_per_km: float  # the pace compared at
    tolerance: float
    runs: int
    kilometres: int
    first: str  # started_at of the oldest run counted
    last: str
    values: dict[str, float | None]  # measure → median over the matched kilometres

    def to_dict(self) -> dict[str, Any]:
        return {
            "pace_s_per_km": round(self.pace_s_per_km, 1),
            "tolerance_s_per_km": self.tolerance,
            "runs": self.runs,
            "kilometres": self.kilometres,
            "first_run": self.first,
            "last_run": self.last,
            **{
                INFO[k].json: (round(v, 1) if v is not None else None)
                for k, v in self.values.items()
            },
        }


def baseline_from(splits: list[MatchedSplit], pace: float, tolerance: float) -> Baseline | None:
    if len(splits) < MIN_SPLITS:
        return None
    values: dict[str, float | None] = {}
    for key in FORM_MEASURES:
        known = [s.values.get(INFO[key].json) for s in splits]
        present = [v for v in known if v is not None]
        values[key] = statistics.median(present) if len(present) >= MIN_SPLITS else None
    return Baseline(
        pace_s_per_km=pace,
        tolerance=tolerance,
        runs=len({s.run_id for s in splits}),
        kilometres=len(splits),
        first=splits[0].started_at,
        last=splits[-1].started_at,
        values=values,
    )


def find_baseline(
    log: PracticeLog,
    *,
    device_key: str,
    pace: float,
    before_epoch: int,
    tolerance: float = PACE_TOLERANCE,
) -> Baseline | None:
    """The baseline from runs before ``before_epoch``, or None with too few kilometres."""
    splits = matched_splits(
        log, device_key=device_key, pace=pace, tolerance=tolerance, before_epoch=before_epoch
    )
    return baseline_from(splits, pace, tolerance)
