"""Landings and strides on synthetic landmark tracks with known answers, clean and with
the faults real landmarks have: a few pixels of jitter, frames where no one is found,
frames where the body is put elsewhere, left/right labels swapped for a few frames.

Tolerances: a landing within a frame and a half of its true time on clean tracks, three
frames on a jittered run; on a jittered walk at 30 frames/s 0.2 s (the model's walker
holds its foot at its farthest reach for 0.2 s before it lands, and with heights that
noisy the reach's peak is taken as the landing; the real clip's walker lands at the
peak, tests/video/test_real_clip.py). The cadence within 3 % everywhere; the foot ahead
of the hip within 3 % of the leg on clean tracks, 6 % on a jittered run, 8 % on a
jittered walk.
"""

from __future__ import annotations

import numpy as np
import pytest
from synthetic import WALKER, Runner, Scene, frames, truth

from pose_coach.video.analysis import analyse_poses
from pose_coach.video.model import BOUNCE, CADENCE, FOOT_AHEAD, FormOptions

# what a phone and BlazePose give on a real clip: jitter, misses, misplaced bodies, swaps
REAL_LIKE = {
    "noise": 6.0,
    "dropped": 0.04,
    "lost": 0.03,
    "swaps": ((40, 3), (95, 2), (150, 4), (210, 2)),
}

CASES = {
    "run 60 fps": (Runner(), Scene(), 1.5, 3),
    "run 120 fps": (Runner(), Scene(fps=120.0), 1.5, 3),
    "run 30 fps": (Runner(), Scene(fps=30.0, duration=8.0), 1.5, 3),
    "lopsided run": (Runner(overstride=0.05, overstride_right=0.25), Scene(), 1.5, 3),
    "run, fixed camera": (Runner(overstride=0.3), Scene(camera="fixed", start_x=0.1), 1.5, 3),
    "run, real-like": (Runner(), Scene(**REAL_LIKE), 3.0, 6),  # type: ignore[arg-type]
    "walk 30 fps, real-like": (
        WALKER,
        Scene(fps=30.0, duration=8.0, camera="fixed", start_x=0.05, px_per_m=200, **REAL_LIKE),  # type: ignore[arg-type]
        6.0,
        8,
    ),
}


def _analyse(runner: Runner, scene: Scene):
    return analyse_poses(frames(runner, scene), FormOptions(fps=scene.fps))


@pytest.mark.parametrize("name", CASES)
def test_landings_are_found_once_each_at_their_time(name):
    runner, scene, frames_off, _ = CASES[name]
    answer = truth(runner, scene)
    analysis = _analyse(runner, scene)
    found = analysis.landings
    inside = sum(
        int(((t > 0.3) & (t < scene.duration - 0.3)).sum()) for t in answer.landings.values()
    )
    assert inside <= len(found) <= inside + 2  # none invented; the clip's edges may count
    for contact in found:
        true = answer.landings[contact.foot]
        assert np.min(np.abs(true - contact.t)) <= frames_off / scene.fps, (contact, name)
    feet = [c.foot for c in found]
    assert all(a != b for a, b in zip(feet[:-1], feet[1:], strict=True))  # they alternate


@pytest.mark.parametrize("name", CASES)
def test_cadence_and_foot_ahead_within_tolerance(name):
    runner, scene, _, ahead_tol = CASES[name]
    answer = truth(runner, scene)
    m = _analyse(runner, scene).measures
    assert m.cadence is not None
    assert m.cadence.value == pytest.approx(runner.cadence, rel=0.03)
    assert m.both[CADENCE].value == pytest.approx(runner.cadence, rel=0.03)
    for foot, side in (("left", m.left), ("right", m.right)):
        want = answer.values[foot][FOOT_AHEAD]
        assert abs(side[FOOT_AHEAD].value - want) <= ahead_tol, (name, foot)
    # the hip's bounce: within 0.5 % of the leg, 1 % on jittered tracks
    bounce_tol = 1.0 if scene.noise else 0.5
    assert abs(m.both[BOUNCE].value - answer.values["left"][BOUNCE]) <= bounce_tol, name


@pytest.mark.parametrize("name", CASES)
def test_key_frames_come_in_order(name):
    runner, scene, _, _ = CASES[name]
    analysis = _analyse(runner, scene)
    for s in analysis.measures.strides:
        nxt_other = next(c for c in analysis.landings if c.t > s.landing.t)
        assert s.landing.index <= s.pose_index < nxt_other.index
        assert s.end_index > s.landing.index
        assert s.end_index >= s.pose_index
        assert s.landing.index < s.next_landing.index


def test_a_walk_is_said_to_be_one_and_not_coached_as_a_run():
    scene = Scene(fps=30.0, duration=8.0, camera="fixed", start_x=0.05, px_per_m=200)
    analysis = _analyse(WALKER, scene)
    assert any("looks like a walk" in note for note in analysis.notes)
    assert analysis.faults == ()
    run = _analyse(Runner(overstride=0.3), Scene())
    assert not any("walk" in note for note in run.notes)
    assert run.faults  # a run that overstrides is still coached
