"""FIT workout export, read back with fitdecode: an independent reader that checks the CRC."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest

from pose_coach.errors import UsageError
from pose_coach.library.catalog import load_catalog
from pose_coach.render.export.fit import (
    DEFAULT_MAX_STEPS,
    NAME_BYTES,
    fit_bytes,
    plan_workout,
    shorten,
)
from pose_coach.timeline import Dose, EventKind, Timeline, compile_timeline

fitdecode = pytest.importorskip("fitdecode")

CREATED = datetime(2025, 1, 6, 7, 0, tzinfo=timezone.utc)
CLASSIC_FALL = Path(__file__).resolve().parents[2] / "data" / "fixtures" / "classic-fall.yaml"


@pytest.fixture
def classic_fall(user_drill):
    """The fall drill with four identical sets (data/fixtures/README.md), as user 'fall'."""
    user_drill("fall", CLASSIC_FALL.read_text(encoding="utf-8"))


def decode(data: bytes) -> dict[str, list[dict]]:
    """Every data message by name; CRC and decoding errors raise."""
    out: dict[str, list[dict]] = {}
    reader = fitdecode.FitReader(
        io.BytesIO(data),
        check_crc=fitdecode.CrcCheck.RAISE,
        error_handling=fitdecode.ErrorHandling.RAISE,
    )
    with reader:
        for frame in reader:
            if isinstance(frame, fitdecode.FitDataMessage):
                out.setdefault(frame.name, []).append({f.name: f.value for f in frame.fields})
    return out


def played(steps: list[dict]) -> list[dict]:
    """The steps in the order a watch does them, following repeat steps."""
    done: dict[int, int] = {}
    out, i = [], 0
    while i < len(steps):
        step = steps[i]
        if step["duration_type"] == "repeat_until_steps_cmplt":
            done[i] = done.get(i, 0) + 1
            if done[i] < step["repeat_steps"]:
                i = step["duration_step"]
                continue
            done[i] = 0
        else:
            out.append(step)
        i += 1
    return out


def timeline_steps(timeline: Timeline) -> list[tuple[str, float, bool]]:
    """(kind, seconds, open) of every cue and rest, in order: what the watch should do."""
    return [
        (e.kind.value, e.duration, e.open)
        for e in timeline.events
        if e.kind in (EventKind.CUE, EventKind.REST)
    ]


def compiled(entry_id: str, **dose) -> Timeline:
    catalog = load_catalog()
    return compile_timeline(catalog.get(entry_id), catalog.entries, Dose(**dose))


def test_warmup_routine_every_step_round_trips():
    timeline = compiled("warmup")
    messages = decode(fit_bytes(timeline, created=CREATED))

    assert [m["type"] for m in messages["file_id"]] == ["workout"]
    assert messages["file_id"][0]["time_created"] == CREATED
    (workout,) = messages["workout"]
    assert workout["wkt_name"] == "Pre-run warm-up"
    assert (workout["sport"], workout["sub_sport"]) == ("running", "warm_up")
    steps = messages["workout_step"]
    assert workout["num_valid_steps"] == len(steps) <= DEFAULT_MAX_STEPS
    assert [s["message_index"] for s in steps] == list(range(len(steps)))

    done = played(steps)
    expected = timeline_steps(timeline)
    # 5 announced rest items between drills and 1 rest between the two sets of fall
    assert len(done) == len(expected) == timeline.step_count + 6
    for step, (kind, seconds, is_open) in zip(done, expected, strict=True):
        assert step["wkt_step_name"]
        if is_open:
            assert step["duration_type"] == "open"
        else:
            assert step["duration_type"] == "time"
            assert step["duration_time"] == pytest.approx(seconds)
        assert (kind == "rest") == (step["intensity"] in ("rest", "recovery"))
    # the watch's timed steps plus the open steps' planned time fill the whole session
    # except the lead-in countdown, which is not a step
    timed = sum(s["duration_time"] for s in done if s["duration_type"] == "time")
    open_planned = sum(seconds for _, seconds, is_open in expected if is_open)
    assert timed + open_planned == pytest.approx(timeline.total - timeline.lead_in)


def test_cue_names_and_notes(classic_fall):
    timeline = compiled("fall")
    steps = decode(fit_bytes(timeline, created=CREATED))["workout_step"]
    names = [s.get("wkt_step_name") for s in steps]
    assert names[:4] == [
        "Stand in the pose, free foot under the hip",
        "Lean from the ankles, not the waist",
        "Keep tipping until you have to pull",
        "Pull and run out 20 metres, hold the lean",
    ]
    # the longer spoken form goes to the notes
    assert steps[1]["notes"] == "Tip forward in one straight piece, pivoting at the ankle."
    assert "notes" not in steps[2] or steps[2]["notes"] is None


def test_sets_become_a_repeat_block_when_shorter(classic_fall):
    timeline = compiled("fall")  # 4 sets of 4 steps, 15 s rest between sets
    steps = decode(fit_bytes(timeline, created=CREATED))["workout_step"]
    # (set, rest) × 3, then the last set without a rest: 4 + 1 + 1 + 4 steps, not 19
    assert len(steps) == 10
    repeat = steps[5]
    assert repeat["duration_type"] == "repeat_until_steps_cmplt"
    assert (repeat["duration_step"], repeat["repeat_steps"]) == (0, 3)
    assert repeat["target_type"] == "open"
    assert (steps[4]["wkt_step_name"], steps[4]["intensity"]) == ("Rest", "rest")
    assert [s["wkt_step_name"] for s in steps[6:]] == [s["wkt_step_name"] for s in steps[:4]]
    assert len(played(steps)) == len(timeline_steps(timeline)) == 19


def test_sets_without_rest_repeat_the_whole_set(classic_fall):
    timeline = compiled("fall", rest=0)
    steps = decode(fit_bytes(timeline, created=CREATED))["workout_step"]
    assert len(steps) == 5
    assert (steps[4]["duration_step"], steps[4]["repeat_steps"]) == (0, 4)
    assert len(played(steps)) == 16


def test_two_sets_stay_unrolled_because_a_repeat_would_be_longer(classic_fall):
    timeline = compiled("fall", sets=2)
    steps = decode(fit_bytes(timeline, created=CREATED))["workout_step"]
    assert len(steps) == 9  # 4 + rest + 4; a repeat block would need 10
    assert all(s["duration_type"] != "repeat_until_steps_cmplt" for s in steps)


def test_cadence_target_is_per_foot(user_drill):
    user_drill(
        "cadence",
        """
        title: Cadence
        phase: pull
        summary: Metronome steps.
        steps:
          - cue: Quick feet
            seconds: 20
            cadence: 180
          - cue: Odd beat
            seconds: 10
            cadence: 175
          - cue: No beat
            seconds: 5
        """,
    )
    steps = decode(fit_bytes(compiled("cadence"), created=CREATED))["workout_step"]
    quick, odd, plain = steps
    assert quick["target_type"] == "cadence"
    assert quick["target_cadence_zone"] == 0  # custom range
    low, high = quick["custom_target_cadence_low"], quick["custom_target_cadence_high"]
    assert (low + high) / 2 == 90 and (low, high) == (88, 92)
    assert (odd["custom_target_cadence_low"] + odd["custom_target_cadence_high"]) / 2 == 88
    assert plain["target_type"] == "open"


def test_open_step_becomes_a_lap_button_step(classic_fall):
    steps = decode(fit_bytes(compiled("fall"), created=CREATED))["workout_step"]
    assert steps[3]["duration_type"] == "open"
    assert "duration_time" not in steps[3] or steps[3]["duration_time"] is None
    assert steps[2]["duration_type"] == "time"


def test_sides_are_separate_named_steps():
    steps = plan_workout(compiled("pose", sets=1))
    names = [s.name for s in steps]
    # the pose cue as reworded after the coach's review ("pull", not "lift")
    assert "Pull foot under hip, hold (left)" in names
    assert "Pull foot under hip, hold (right)" in names


def test_long_texts_are_shortened_between_words(user_drill):
    cue = "Lean from the ankles with the whole body straight, then pull the foot under"
    say = "Tip forward — one straight piece — from the ankles, " * 7 + "then pull."
    user_drill(
        "long",
        f"""
        title: Long
        phase: fall
        summary: Long texts.
        steps:
          - cue: {cue}
            say: {say}
            seconds: 5
          - cue: {cue}
            seconds: 5
        """,
    )
    with_say, cue_only = decode(fit_bytes(compiled("long"), created=CREATED))["workout_step"]
    name = with_say["wkt_step_name"]
    assert name == "Lean from the ankles with the whole body straight"
    assert len(name.encode()) <= NAME_BYTES
    notes = with_say["notes"]
    assert 200 < len(notes.encode()) <= 254  # a FIT string field holds 254 bytes + NUL
    assert say.startswith(notes) and say[len(notes)] in " ,"
    # without a spoken form the whole cue goes to the notes, since the name lost words
    assert cue_only["notes"] == cue


def test_too_many_steps_is_a_clear_error(user_drill):
    steps = "\n".join(f"  - cue: Step {n}\n    seconds: 1" for n in range(60))
    user_drill("many", f"title: Many\nphase: pose\nsummary: Sixty steps.\nsteps:\n{steps}\n")
    timeline = compiled("many")
    with pytest.raises(UsageError) as error:
        fit_bytes(timeline)
    assert error.value.message == (
        "drill 'many' needs 60 workout steps; a Garmin workout takes at most 50"
    )
    assert "--max-steps" in error.value.hint
    raised = decode(fit_bytes(timeline, max_steps=60, created=CREATED))
    assert len(raised["workout_step"]) == 60


def test_corrupted_file_fails_the_crc_check():
    data = bytearray(fit_bytes(compiled("fall"), created=CREATED))
    data[40] ^= 0xFF
    with pytest.raises(fitdecode.FitCRCError):
        decode(bytes(data))


def test_same_input_same_bytes():
    timeline = compiled("warmup")
    assert fit_bytes(timeline, created=CREATED) == fit_bytes(timeline, created=CREATED)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Lean from the ankles", 50, "Lean from the ankles"),
        ("Lean from the ankles, not the waist", 22, "Lean from the ankles"),
        ("Tip until your hands take the weight", 31, "Tip until your hands take"),
        ("Supercalifragilistic", 5, "Super"),
        ("é" * 10, 5, "éé"),  # never half a UTF-8 character
        ("tab\there\nnewline", 50, "tab here newline"),
    ],
)
def test_shorten(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit).encode()) <= limit
