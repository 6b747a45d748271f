"""How a run is cleaned, as numbers: each threshold with the reason for it.

The thresholds are ours (docs/run.md states them):
- A timer pause, or a gap of more than ``GAP_SECONDS`` between samples, is a stop; so is
  moving slower than ``STOP_SPEED``. Stops are not running time.
- Walking: cadence under ``WALK_CADENCE`` steps/min (walking is ~100-130, running rarely
  under 140), or without cadence, slower than ``WALK_SPEED``. A walk break lasts at least
  ``MIN_BREAK`` seconds; shorter blips are absorbed by what surrounds them.
- Warm-up and cool-down: in a run of at least ``MIN_PARTS_RUN`` seconds, the opening and
  closing stretches run clearly slower (under ``PART_SPEED_SHARE`` of the main pace, over
  2-minute windows) than the middle half of the run, if they last at least
  ``MIN_PART`` seconds. They are set aside, so they do not read as "you slowed down".
"""

from __future__ import annotations

from dataclasses import dataclass

from pose_coach.activity.model import (
    BALANCE,
    CADENCE,
    HEART_RATE,
    POWER,
    STANCE,
    STEP,
    VERTICAL_OSC,
    VERTICAL_RATIO,
)

GAP_SECONDS = 10.0  # no sample for longer than this: the watch was stopped or paused
STOP_SPEED = 0.6  # m/s: slower than this is standing still
WALK_CADENCE = 140.0  # steps/min
WALK_SPEED = 1.8  # m/s (9:16 min/km), used only without cadence
MIN_BREAK = 15.0  # seconds: a walk break or a stop at least this long counts
MIN_PARTS_RUN = 15 * 60.0  # seconds of running before warm-up/cool-down are looked for
MIN_PART = 3 * 60.0
MAX_PART_SHARE = 0.3  # a warm-up or cool-down is at most this share of the running time
PART_SPEED_SHARE = 0.9
MIN_RUN_SECONDS = 30.0  # less running than this is too little to say anything
MIN_RUN_METRES = 50.0
MAX_SPEED = 12.0  # m/s: faster is a GPS jump, not a runner
MAX_JUMP = 6 * 3600.0  # a sample this far after the one before is a broken clock

# Values outside these are sensor glitches (0 cadence when standing, 0 ms contact...).
PLAUSIBLE = {
    CADENCE: (60.0, 260.0),
    STANCE: (100.0, 1000.0),
    VERTICAL_OSC: (10.0, 300.0),
    VERTICAL_RATIO: (1.0, 30.0),
    BALANCE: (20.0, 80.0),
    STEP: (100.0, 3000.0),
    POWER: (1.0, 2000.0),
    HEART_RATE: (30.0, 250.0),
}

RUN, WALK, STOP = "run", "walk", "stop"
WARM_UP, MAIN, COOL_DOWN = "warm-up", "main", "cool-down"


@dataclass(frozen=True)
class Segment:
    start: float  # Unix seconds
    end: float
    metres: float = 0.0

    @property
    def seconds(self) -> float:
        return self.end - self.start
