"""Drill fields for figures, evidence, leg alternation, relative cadence and rest cues."""

from __future__ import annotations

import pytest

from pose_coach.errors import DrillFileError
from pose_coach.library.loader import load_text
from pose_coach.library.model import Drill, Evidence, Routine, Side

BASE = "title: T\nphase: fall\nsummary: S\n"


def _drill(extra: str = "", step: str = "") -> Drill:
    text = BASE + extra + "steps:\n  - cue: Fall, pull\n    seconds: 15\n" + step
    entry = load_text(text, "t.yaml", stem="t")
    assert isinstance(entry, Drill)
    return entry


def _problems(text: str) -> list[str]:
    with pytest.raises(DrillFileError) as caught:
        load_text(text, "t.yaml", stem="t")
    return [str(p) for p in caught.value.problems]


def test_figure_defaults_to_the_phase_and_may_be_named():
    assert _drill().figure is None and _drill().figure_name == "fall"
    assert _drill("figure: wall-fall\n").figure_name == "wall-fall"


def test_an_unknown_figure_is_located_with_a_suggestion():
    problems = _problems(BASE + "figure: wal-fall\nsteps:\n  - cue: x\n    seconds: 5\n")
    assert problems[0].startswith("t.yaml:4:9: figure: expected one of pose, fall, pull")
    assert problems[0].endswith("got 'wal-fall'; did you mean 'wall-fall'?")


def test_evidence_single_source_and_contested():
    assert _drill("evidence: single-source\n").evidence is Evidence.SINGLE_SOURCE
    assert _drill("evidence: contested\n").evidence is Evidence.CONTESTED
    assert _drill().evidence is None
    problems = _problems(BASE + "evidence: weak\nsteps:\n  - cue: x\n    seconds: 5\n")
    assert "evidence: expected one of single-source, contested, got 'weak'" in problems[0]


def test_side_alternate():
    assert _drill(step="    side: alternate\n").steps[0].side is Side.ALTERNATE


@pytest.mark.parametrize(
    ("written", "change"), [("+5%", 5.0), ("-5%", -5.0), ("0%", 0.0), ('"+7.5 %"', 7.5)]
)
def test_a_cadence_may_be_a_change_to_the_runners_own(written, change):
    step = _drill(step=f"    cadence: {written}\n").steps[0]
    assert (step.cadence, step.cadence_change) == (None, change)


def test_a_fixed_cadence_still_reads_as_before():
    step = _drill(step="    cadence: 180\n").steps[0]
    assert (step.cadence, step.cadence_change) == (180, None)


def test_a_cadence_change_is_bounded():
    problems = _problems(BASE + "steps:\n  - cue: x\n    seconds: 5\n    cadence: +30%\n")
    assert problems == [
        "t.yaml:7:14: steps[0].cadence: expected a change between -20% and +20% of your own"
        " cadence, got +30%"
    ]


def test_a_rest_item_may_say_what_to_do():
    routine = load_text(
        "title: R\nsummary: S\nitems:\n  - drill: fall\n  - rest: 15\n"
        "    cue: Turn and face the wall\n",
        "r.yaml",
        stem="r",
    )
    assert isinstance(routine, Routine)
    assert routine.items[1].cue == "Turn and face the wall"
    problems = _problems("title: R\nsummary: S\nitems:\n  - drill: fall\n    cue: Go\n")
    assert problems == ["t.yaml:5:5: items[0].cue: 'cue' applies to rest items only"]
