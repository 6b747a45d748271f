"""Timeline properties over generated drills (hypothesis), plus a few exact cases."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pose_coach.library.model import Drill, ItemKind, Phase, Routine, RoutineItem, Side, Step
from pose_coach.timeline import Dose, EventKind, compile_timeline

seconds = st.one_of(st.integers(1, 600).map(float), st.floats(0.5, 120, allow_nan=False))
steps = st.builds(
    Step,
    cue=st.text(min_size=1, max_size=30),
    seconds=seconds,
    checkpoint=st.booleans(),
    side=st.sampled_from([None, Side.LEFT, Side.RIGHT, Side.BOTH, Side.ALTERNATE]),
    until_key=st.booleans(),
)
drills = st.builds(
    Drill,
    id=st.just("gen"),
    title=st.just("Generated"),
    phase=st.sampled_from(list(Phase)),
    summary=st.just("A generated drill."),
    steps=st.lists(steps, min_size=1, max_size=6).map(tuple),
    sets=st.integers(1, 5),
    rest=st.sampled_from([0.0, 5.0, 12.5, 60.0]),
)
doses = st.builds(
    Dose,
    sets=st.none() | st.integers(1, 4),
    rest=st.none() | st.sampled_from([0.0, 10.0, 30.0]),
    lead_in=st.sampled_from([0.0, 0.5, 2.5, 3.0, 10.0]),
)


@given(drills, doses)
def test_offsets_never_go_back_and_the_session_ends_at_the_total(drill, dose):
    tl = compile_timeline(drill, dose=dose)
    ats = [e.at for e in tl.events]
    assert ats == sorted(ats)
    assert tl.events[0].kind is EventKind.SESSION_START and tl.events[0].at == 0
    assert tl.events[-1].kind is EventKind.SESSION_END
    assert tl.events[-1].at == tl.total
    # each timed event ends exactly where the next one starts: no gaps, no overlaps
    timed = [e for e in tl.events if e.duration]
    for a, b in pairwise(timed):
        assert b.at == pytest.approx(a.end)


@given(drills, doses)
def test_total_is_lead_in_plus_steps_times_sets_plus_rests(drill, dose):
    tl = compile_timeline(drill, dose=dose)
    sets = dose.sets or drill.sets
    rest = drill.rest if dose.rest is None else dose.rest
    per_set = sum(s.seconds * (2 if s.side is Side.BOTH else 1) for s in drill.steps)
    assert tl.total == pytest.approx(dose.lead_in + per_set * sets + rest * (sets - 1))
    assert tl.total == pytest.approx(dose.lead_in + drill.dose_seconds(sets, rest))
    assert tl.set_count == sets
    assert sum(1 for e in tl.events if e.kind is EventKind.REST) == (sets - 1 if rest else 0)


@given(drills, doses)
def test_cues_are_numbered_and_every_change_of_leg_is_a_switch(drill, dose):
    """``side: both`` is left then right; ``alternate`` is left in odd sets, right in even
    ones; and every change of the standing leg within the drill (inside a step, from one
    step to the next, from one set to the next) comes with a ``switch`` naming the new leg,
    at the same moment as the cue it announces."""
    tl = compile_timeline(drill, dose=dose)
    cues = tl.cues
    assert [c.step for c in cues] == list(range(1, len(cues) + 1))
    assert all(c.steps == len(cues) for c in cues)
    legs = sum(2 if s.side is Side.BOTH else 1 for s in drill.steps)
    assert len(cues) == legs * tl.set_count
    work = [e for e in tl.events if e.kind in (EventKind.CUE, EventKind.SWITCH)]
    i, standing = 0, None
    for set_number in range(1, tl.set_count + 1):
        for step in drill.steps:
            if step.side is Side.BOTH:
                sides = ["left", "right"]
            elif step.side is Side.ALTERNATE:
                sides = ["left" if set_number % 2 else "right"]
            else:
                sides = [step.side.value if step.side else None]
            for side in sides:
                if side is not None and standing is not None and side != standing:
                    switch = work[i]
                    assert (switch.kind, switch.side) == (EventKind.SWITCH, side)
                    assert switch.at == work[i + 1].at
                    i += 1
                if side is not None:
                    standing = side
                cue = work[i]
                assert cue.kind is EventKind.CUE and cue.text == step.cue
                assert cue.side == side
                assert cue.open == step.until_key and cue.duration == step.seconds
                i += 1
    assert i == len(work)


def test_a_leg_change_between_steps_and_sets_is_announced():
    hop = Step("Hop", 5, side=Side.BOTH)
    tap = Step("Tap", 5, side=Side.BOTH)
    tl = compile_timeline(
        Drill("d", "D", Phase.PULL, "s", (hop, tap), sets=2), dose=Dose(lead_in=0)
    )
    kinds = [e.kind for e in tl.events if e.kind in (EventKind.CUE, EventKind.SWITCH)]
    cue, switch = EventKind.CUE, EventKind.SWITCH
    # set 1: hop L, R; tap L, R; set 2 starts on the left again: every change announced
    assert kinds == [cue, switch, cue, switch, cue, switch, cue] + [switch, cue, switch, cue] * 2
    switches = [e.side for e in tl.events if e.kind is EventKind.SWITCH]
    assert switches == ["right", "left", "right", "left", "right", "left", "right"]


def test_alternate_stands_on_the_left_in_odd_sets_and_the_right_in_even_ones():
    fall = Step("Fall, pull", 5, side=Side.ALTERNATE)
    tl = compile_timeline(Drill("d", "D", Phase.FALL, "s", (fall,), sets=3), dose=Dose(lead_in=0))
    assert [c.side for c in tl.cues] == ["left", "right", "left"]
    assert [e.side for e in tl.events if e.kind is EventKind.SWITCH] == ["right", "left"]


def test_a_relative_cadence_counts_from_the_runners_own():
    run = Step("Run", 10, cadence_change=5.0)
    fixed = Step("Pull", 10, cadence=180)
    drill = Drill("d", "D", Phase.PULL, "s", (run, fixed))
    assert [c.cadence for c in compile_timeline(drill).cues] == [189, 180]
    mine = compile_timeline(drill, dose=Dose(runner_cadence=160))
    assert [c.cadence for c in mine.cues] == [168, 180]
    assert mine.header()["runner_cadence"] == 160
    assert (
        "runner_cadence"
        not in compile_timeline(Drill("e", "E", Phase.PULL, "s", (fixed,))).header()
    )


@given(st.sampled_from([0.5, 1.0, 2.5, 3.0, 7.0]))
def test_countdown_counts_down_to_one_and_ends_at_the_lead_in(lead_in):
    tl = compile_timeline(
        Drill("d", "D", Phase.POSE, "s", (Step("x", 5),)), dose=Dose(lead_in=lead_in)
    )
    counts = [e for e in tl.events if e.kind is EventKind.COUNTDOWN]
    assert [c.count for c in counts] == list(range(len(counts), 0, -1))
    assert counts[-1].end == lead_in
    assert tl.cues[0].at == lead_in


def test_routine_total_adds_its_drills_and_rests():
    pose = Drill("pose", "Pose", Phase.POSE, "s", (Step("a", 5, side=Side.BOTH),), sets=2, rest=5)
    fall = Drill("fall", "Fall", Phase.FALL, "s", (Step("b", 4), Step("c", 6)), sets=3, rest=10)
    routine = Routine(
        "r",
        "R",
        "s",
        (
            RoutineItem(ItemKind.DRILL, "pose"),
            RoutineItem(ItemKind.REST, seconds=20),
            RoutineItem(ItemKind.DRILL, "fall", sets=1),
        ),
    )
    tl = compile_timeline(routine, {"pose": pose, "fall": fall}, Dose(lead_in=3))
    assert tl.total == 3 + (10 * 2 + 5) + 20 + 10
    starts = [e for e in tl.events if e.kind is EventKind.DRILL_START]
    assert [(e.drill, e.item, e.items) for e in starts] == [("pose", 1, 2), ("fall", 2, 2)]
    assert tl.phases == ("pose", "fall")


def test_json_form_keeps_event_and_at_first_and_skips_unset_fields():
    tl = compile_timeline(Drill("d", "D", Phase.FALL, "s", (Step("Lean", 4, checkpoint=True),)))
    cue = tl.cues[0].to_dict()
    assert list(cue)[:2] == ["event", "at"]
    assert cue == {
        "event": "cue",
        "at": 3,
        "duration": 4,
        "text": "Lean",
        "checkpoint": True,
        "step": 1,
        "steps": 1,
        "set": 1,
        "sets": 1,
        "drill": "d",
        "phase": "fall",
    }
