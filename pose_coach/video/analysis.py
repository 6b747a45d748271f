"""``analyse_poses``: landmarks per frame in, a FormAnalysis out. Pure numpy, no I/O.

Frames are read once, as they come; only each person's landmarks are kept (33 × 3
numbers a frame), never the pictures, so memory grows by about 0.4 kB a frame and
person. Expected failures are VideoError subclasses with the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from pose_coach.video.bands import band_for
from pose_coach.video.errors import NoPersonError, NotSideOnError, TooFewStridesError
from pose_coach.video.faults import find_faults, prescribe
from pose_coach.video.gait import gait
from pose_coach.video.measures import form_measures, stride_measures
from pose_coach.video.model import (
    FOOT_AHEAD,
    TOE_OFF_FPS,
    Contact,
    FormAnalysis,
    FormMeasures,
    FormOptions,
    FramePoses,
    KeyFrames,
    StrideMeasures,
)
from pose_coach.video.tracks import TrackBuilder, choose_runner, near_side, side_on_ratio

SIDE_ON_LIMIT = 0.35  # left-right spread against the torso above this: not side-on
WALK_CADENCE = 140.0  # steps/min: slower than this, with no flight seen, it is a walk


def is_walk(measures: FormMeasures, toe_offs: list[Contact], rate: float) -> bool:
    """A walk: a cadence under WALK_CADENCE and no flight phase seen. Flight is only timed
    at TOE_OFF_FPS: a foot leaving the ground before the other comes down. Below that rate the
    cadence alone decides (no one runs at under 140 steps a minute)."""
    if measures.cadence is None or measures.cadence.value >= WALK_CADENCE:
        return False
    if rate < TOE_OFF_FPS:
        return True
    landings = sorted((s.landing for s in measures.strides), key=lambda c: c.t)
    flights = 0
    for off in toe_offs:
        own = [c for c in landings if c.foot == off.foot and c.t < off.t]
        # the other foot came down during this stance: both feet were down (a walk)
        if own and not any(own[-1].t < c.t < off.t for c in landings if c.foot != off.foot):
            flights += 1
    return flights == 0


def _key_frames(s: StrideMeasures) -> KeyFrames:
    return KeyFrames(s.number, s.foot, s.landing.index, s.pose_index, s.end_index, s.end_measured)


def _median_stride(m: FormMeasures) -> StrideMeasures:
    """The stride closest to the medians, each measure scaled by its spread."""

    def distance(s: StrideMeasures) -> float:
        total = 0.0
        for key, summary in m.both.items():
            if key in s.values:
                spread = max(summary.high - summary.low, 1e-6)
                total += abs(s.values[key].value - summary.value) / spread
        return total

    return min(m.strides, key=distance)


def analyse_poses(frames: Iterable[FramePoses], options: FormOptions) -> FormAnalysis:
    """The form check on a clip's landmarks. Raises NoPersonError, NotSideOnError,
    TooFewStridesError."""
    builder = TrackBuilder(options.time_scale)
    for frame in frames:
        builder.add(frame)
    rate = options.rate
    tracks = builder.tracks(rate, options.side)
    runner = choose_runner(tracks, options.person)
    if not np.isfinite(runner.leg_length):
        raise NoPersonError(
            f"person {runner.person}'s legs are not seen clearly enough to measure",
            "film the whole body, feet included (`pose-coach form --guide`)",
        )
    ratio = side_on_ratio(runner)
    if ratio > SIDE_ON_LIMIT:
        raise NotSideOnError(
            "the camera faces the runner instead of seeing them side-on "
            f"(left and right {ratio:.0%} of the torso apart across the frame)",
            "film from the side, at hip height, the runner crossing the frame "
            "(`pose-coach form --guide`)",
        )
    steps = gait(runner, rate)
    runner, landings, toe_offs = steps.track, steps.landings, steps.toe_offs
    strides = stride_measures(runner, landings, toe_offs, rate, options.height_cm)
    if len(strides) < options.min_strides:
        raise TooFewStridesError(
            f"{len(strides)} complete strides found; the measures need {options.min_strides}",
            "film at least 10 s of steady running, the whole body in frame",
        )
    measures = form_measures(strides, landings, rate, options.height_cm)
    bands = {key: band_for(key, s.value) for key, s in measures.both.items()}
    walking = is_walk(measures, toe_offs, rate)
    # a walk is not coached as a run: its bands and drills are for running
    faults = [] if walking else find_faults(measures)
    cadence = measures.cadence.value if measures.cadence else None
    prescriptions = (
        prescribe(faults, options.entries(), cadence) if faults and options.entries else []
    )
    median = _median_stride(measures)
    if faults:
        worst = next(s for s in strides if s.number == faults[0].worst_stride)
    else:
        # no fault: the stride landing farthest ahead of the hip
        worst = max(
            strides, key=lambda s: s.values[FOOT_AHEAD].value if FOOT_AHEAD in s.values else 0
        )
    notes = []
    if walking:
        assert measures.cadence is not None
        notes.append(
            f"this looks like a walk ({measures.cadence.value:.0f} steps/min, under "
            f"{WALK_CADENCE:.0f}): the measures are shown, but the bands and drills are for "
            "running, so no faults are named; film a run to be coached"
        )
    if rate < TOE_OFF_FPS:
        notes.append(
            f"filmed at {rate:.0f} frames/s: stance time and the fall angle need "
            f"{TOE_OFF_FPS:.0f} or more; the end-of-stance frames are estimates"
        )
    if runner.swaps:
        notes.append(
            f"left and right legs were swapped by the detector {runner.swaps} times; undone"
        )
    if len(tracks) > 1 and options.person is None:
        notes.append(
            f"{len(tracks)} people in the clip; person {runner.person} is analysed "
            "(the one whose strides move most); --person N chooses another"
        )
    return FormAnalysis(
        options=options,
        frames=builder.frames,
        duration=float(runner.t[-1] - runner.t[0]) if len(runner.t) > 1 else 0.0,
        width=builder.width,
        height=builder.height,
        people=len(tracks),
        runner=runner,
        side=options.side or near_side(runner),
        landings=tuple(c for c in landings),
        toe_offs=tuple(toe_offs) if rate >= TOE_OFF_FPS else (),
        measures=measures,
        bands=bands,
        faults=tuple(faults),
        prescriptions=tuple(prescriptions),
        median=_key_frames(median),
        worst=_key_frames(worst),
        notes=tuple(notes),
        walking=walking,
    )
