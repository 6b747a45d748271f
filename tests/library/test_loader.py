"""Valid files that YAML could misread: the model holds exactly what the author wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from pose_coach.errors import DrillFileError
from pose_coach.library.loader import load_file, load_text
from pose_coach.library.model import Drill, Fault, Phase, Routine, Side

GOOD = Path(__file__).parents[1] / "data" / "good"


def load(name: str) -> Drill:
    drill = load_file(GOOD / f"{name}.yaml")
    assert isinstance(drill, Drill)
    return drill


def test_markup_in_a_cue_is_plain_text():
    drill = load("markup-cue")
    assert drill.steps[0].cue == "[bold]x[/]"
    assert drill.steps[0].say == "[red]say[/red] :smile:"


def test_times_are_m_ss_whether_yaml_calls_them_numbers_or_text():
    # YAML 1.1 reads 1:30 as the integer 90 but leaves 0:20 a string; both are m:ss here
    drill = load("clock-times")
    assert [s.seconds for s in drill.steps] == [90, 20, 45, 125]
    assert drill.rest == 90


def test_yes_and_no_are_text_only_when_quoted():
    # unquoted, YAML reads them as true/false: that is an error (tests/data/bad/yes-no-text)
    drill = load("quoted-text")
    assert (drill.title, drill.summary, drill.level) == ("yes", "no", "on")
    assert drill.equipment == ("off", "3")
    assert [s.cue for s in drill.steps] == ["no", "2024-05-01"]
    assert [s.checkpoint for s in drill.steps] == [True, False]


def test_newlines_are_allowed_in_long_text():
    drill = load("newline-summary")
    assert drill.summary == "Lean into a wall.\nKeep the body straight."
    assert drill.safety == ("one\ntwo",)


def test_every_field_reaches_the_model():
    drill = load("every-field")
    assert drill.id == "every-field"
    assert drill.phase is Phase.PULL
    assert (drill.level, drill.equipment) == ("beginner", ("wall", "mat"))
    assert (drill.sets, drill.rest) == (3, 30)
    stand, pull, run = drill.steps
    assert stand.say == "Stand on one forefoot, the other foot under the hip."
    assert (pull.checkpoint, pull.side, pull.cadence, pull.legs) == (True, Side.BOTH, 180, 2)
    assert (run.until_key, run.seconds) == (True, 20)
    assert len(drill.checkpoints) == 3
    assert drill.faults == (Fault("Reaching forward with the foot", "Pull up, not forward"),)
    assert drill.safety == ("Stop if anything hurts.",)
    assert drill.sources == ("Pose Method of Running, N. Romanov",)
    # 5 + 10 × 2 legs + 20 per set; 3 sets with 30 s between them
    assert drill.set_seconds == 45
    assert drill.seconds == 3 * 45 + 2 * 30
    assert drill.source == str(GOOD / "every-field.yaml")


def test_defaults_of_optional_fields():
    drill = load_text(
        "title: T\nphase: pose\nsummary: S\nsteps:\n  - cue: Lean\n    seconds: 2.5\n",
        "t.yaml",
        stem="t",
    )
    assert (drill.sets, drill.rest, drill.level, drill.equipment) == (1, 0.0, None, ())
    step = drill.steps[0]
    assert (step.seconds, step.say, step.checkpoint, step.side, step.cadence) == (
        2.5,
        None,
        False,
        None,
        None,
    )
    assert step.until_key is False


def test_byte_order_mark_and_windows_line_ends_are_fine():
    assert load("bom-crlf").steps[0].cue == "Lean from ankles, not waist"


def test_a_single_text_may_stand_for_a_list():
    drill = load_text(
        "title: T\nphase: pose\nsummary: S\nequipment: wall\nsteps:\n  - cue: a\n    seconds: 2\n",
        "t.yaml",
        stem="t",
    )
    assert drill.equipment == ("wall",)


def test_a_folded_cue_is_one_line():
    drill = load_text(
        "title: T\nphase: pose\nsummary: S\nsteps:\n  - cue: >\n      Lean from\n      the ankles\n"
        "    seconds: 3\n",
        "t.yaml",
        stem="t",
    )
    assert drill.steps[0].cue == "Lean from the ankles"


def test_a_file_with_items_is_a_routine():
    routine = load_text(
        "title: Warm-up\nsummary: S\nitems:\n  - drill: pose\n    sets: 2\n  - rest: 0:30\n"
        "  - routine: pre-run\n",
        "w.yaml",
        stem="w",
    )
    assert isinstance(routine, Routine)
    assert [i.kind.value for i in routine.items] == ["drill", "rest", "routine"]
    assert routine.items[1].seconds == 30
    assert (routine.items[0].where.line, routine.items[0].where.column) == (4, 12)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5), ("2.5", 2.5), ('"7"', 7), ("1:00", 60), ("59:59", 3599), ("1:00:00", 3600)],
)
def test_seconds_accepts_numbers_and_clock_times(value: str, seconds: float):
    text = f"title: T\nphase: fall\nsummary: S\nsteps:\n  - cue: a\n    seconds: {value}\n"
    assert load_text(text, "t.yaml", stem="t").steps[0].seconds == seconds


@pytest.mark.parametrize(
    "value", ["0x10", "1e999", "five", "1:60", "1:60:00", "1:3", "true", "-1:00"]
)
def test_seconds_refuses_what_is_not_a_plain_time(value: str):
    text = f"title: T\nphase: fall\nsummary: S\nsteps:\n  - cue: a\n    seconds: {value}\n"
    with pytest.raises(DrillFileError) as caught:
        load_text(text, "t.yaml", stem="t")
    assert caught.value.problems[0].field == "steps[0].seconds"


def test_the_error_message_sums_up_every_problem():
    with pytest.raises(DrillFileError) as caught:
        load_text("# my drill\ntitle: T\nphase: run\n", "t.yaml", stem="t")
    error = caught.value
    # a missing field is reported where the mapping that lacks it starts
    assert [str(p) for p in error.problems] == [
        "t.yaml:2:1: summary: missing required field",
        "t.yaml:2:1: steps: missing required field",
        "t.yaml:3:8: phase: expected one of pose, fall, pull, got 'run'",
    ]
    assert error.message == "t.yaml:2:1: summary: missing required field (and 2 more)"
    assert error.exit_code == 1
