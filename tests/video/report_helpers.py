"""Analyses with known answers for the report tests, made once per session."""

from __future__ import annotations

from functools import cache

from synthetic import Runner, Scene, frames

from pose_coach.library.catalog import load_catalog
from pose_coach.video.analysis import analyse_poses
from pose_coach.video.model import FormAnalysis, FormOptions

# lands far ahead of the hip, bends at the waist, slow steps
FAULTY = Runner(overstride=0.30, trunk_lean=14.0, cadence=158.0)
# lands under the hip, quick steps
CLEAN = Runner(overstride=0.05, trunk_lean=3.0, cadence=182.0)


@cache
def _entries():  # noqa: ANN202 - the built-in library, loaded once
    return load_catalog().entries


@cache
def faulty() -> FormAnalysis:
    """60 frames/s, three faults with drills from the built-in library."""
    return analyse_poses(
        frames(FAULTY, Scene(duration=8.0)), FormOptions(fps=60.0, entries=_entries)
    )


@cache
def clean() -> FormAnalysis:
    """120 frames/s with the runner's height: every measure, no fault."""
    return analyse_poses(
        frames(CLEAN, Scene(fps=120.0, duration=5.0)), FormOptions(fps=120.0, height_cm=175.0)
    )


@cache
def faulty_without_library() -> FormAnalysis:
    """The faults, but no library given: no prescriptions."""
    return analyse_poses(frames(FAULTY, Scene(duration=8.0)), FormOptions(fps=60.0))
