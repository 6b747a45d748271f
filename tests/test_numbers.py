"""One number type for options and settings: finite, in range, said so; JSON never holds
NaN or Infinity; dates and integers out of range are clean errors; the 4-hour and
20,000-cue limits hold for what is played, whatever set the dose."""

from __future__ import annotations

import io
import math

import pytest

from pose_coach.log.store import log_db_path
from pose_coach.numbers import NumberRange, finite

SPEED = NumberRange("float", 0.1, 1000)


@pytest.mark.parametrize("raw", ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400"])
def test_non_finite_values_are_refused_saying_what_is_expected(raw):
    with pytest.raises(ValueError) as caught:
        SPEED.parse(raw)
    assert str(caught.value) == f"expected a number between 0.1 and 1000, got {raw!r}"


def test_numbers_already_read_are_checked_too():
    for value in (math.nan, math.inf, -math.inf, True):
        with pytest.raises(ValueError):
            SPEED.parse(value)
    assert SPEED.parse(2) == 2.0 and SPEED.parse(" 10 ") == 10.0
    whole = NumberRange("int", 1, 20)
    assert whole.parse("3", strict=True) == 3 and whole.parse(3.0) == 3
    with pytest.raises(ValueError, match="expected a whole number between 1 and 20, got '2.0'"):
        whole.parse("2.0", strict=True)
    with pytest.raises(ValueError, match="got 99999999999999999999999"):
        whole.parse("99999999999999999999999", strict=True)


@pytest.mark.parametrize(
    "args",
    [
        ("drill", "fall", "--speed", "nan"),
        ("drill", "fall", "--lead-in", "nan", "--dry-run"),
        ("drill", "fall", "--rest", "nan", "--dry-run"),
        ("routine", "warmup", "--rest", "inf", "--dry-run"),
        ("drill", "fall", "--sets", "nan", "--dry-run"),
        ("render", "fall", "-o", "x.wav", "--lead-in", "nan"),
        ("render", "fall", "-o", "x.wav", "--rest", "-inf"),
        ("export", "fall", "--format", "json", "--rest", "nan"),
        ("export", "fall", "--format", "json", "--lead-in", "Infinity"),
        ("export", "fall", "--format", "fit", "-o", "x.fit", "--max-steps", "nan"),
        ("drill", "fall", "--cadence", "nan", "--dry-run"),
        ("stats", "--weeks", "nan"),
        ("log", "--limit", "inf"),
    ],
    ids=" ".join,
)
def test_every_number_option_refuses_non_finite_values(cli, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "expected a " in result.stderr and " between " in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["LEAD_IN", "REST", "SPEED"])
def test_a_non_finite_variable_is_refused_like_the_option(cli, name):
    result = cli("drill", "fall", "--dry-run", env={f"POSE_COACH_{name}": "nan"})
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(f"pose-coach: error: POSE_COACH_{name}=nan: expected ")


def test_the_help_states_each_range(cli):
    text = cli("drill", "--help").stdout
    assert "0 to 60" in text and "0.1 to 1000" in text and "FLOAT RANGE" not in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("log", "--since", "0001-01-01"), "between 1970-01-02 and 9999-12-30"),
        (("log", "--since", "9999-12-31T23:59:59+00:00"), "between 1970-01-02"),
        (("log", "--limit", "99999999999999999999999"), "between 0 and 1000000"),
        (("stats", "--weeks", "100000000000000000000"), "between 1 and 520"),
        (
            ("export", "warmup", "--format", "ics", "--at", "7:00", "--days", "mon")
            + ("--start", "9999-12-31"),
            "between 1970-01-01 and 9990-12-31",
        ),
        (
            ("export", "warmup", "--format", "ics", "--at", "7:00", "--days", "mon")
            + ("--start", "0001-01-01"),
            "between 1970-01-01",
        ),
    ],
)
def test_out_of_range_dates_and_integers_are_usage_errors(cli, args, expected):
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert expected in result.stderr and "internal error" not in result.stderr


# -- JSON never holds NaN or Infinity ------------------------------------------------


def test_finite_replaces_what_json_cannot_hold():
    data = {"a": [1.0, math.nan, {"b": math.inf}], "c": -math.inf, "d": "nan", "e": 2}
    assert finite(data) == {"a": [1.0, None, {"b": None}], "c": None, "d": "nan", "e": 2}


# -- the limits hold for what is played ---------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("routine", "warmup", "--sets", "20", "--rest", "600", "--dry-run"),
        ("routine", "warmup", "--sets", "20", "--rest", "600", "--json", "--speed", "1000"),
        ("render", "warmup", "--sets", "20", "--rest", "600", "-o", "w.wav", "--no-voice"),
        ("export", "warmup", "--sets", "20", "--rest", "600", "--format", "json"),
        ("export", "warmup", "--sets", "20", "--rest", "600", "--format", "fit", "-o", "w.fit"),
    ],
    ids=" ".join,
)
def test_sets_and_rest_cannot_take_a_session_past_four_hours(cli, args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert "hours of sets, steps and rests (the limit is 4 hours)" in result.stderr
    assert "hint: play fewer sets or shorter rests" in result.stderr
    assert list(tmp_path.iterdir()) == []
    assert not log_db_path().exists()


def test_a_drill_cannot_be_dosed_past_four_hours_either(user_drill, cli):
    user_drill(
        "hour",
        "title: Hour\nphase: pose\nsummary: Long.\nsteps:\n  - cue: Hold\n    seconds: 3600\n",
    )
    assert cli("drill", "hour", "--sets", "4", "--dry-run").exit_code == 0
    result = cli("drill", "hour", "--sets", "5", "--dry-run")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(
        "pose-coach: error: drill 'hour' with 5 sets would last 5:00 hours of sets, steps"
    )


def test_the_cue_limit_holds_for_a_dose_too(user_drill, cli):
    # 400 one-second steps per leg: 800 cues a set, 20 sets = 16,000; then 2 such drills
    steps = "".join(f"  - cue: Step {n}\n    seconds: 1\n    side: both\n" for n in range(400))
    user_drill("many", "title: Many\nphase: pose\nsummary: Many steps.\nsteps:\n" + steps)
    user_drill(
        "twice",
        "title: Twice\nsummary: Twice.\nitems:\n  - drill: many\n  - drill: many\n",
        routine=True,
    )
    assert cli("routine", "twice", "--dry-run").exit_code == 0
    result = cli("routine", "twice", "--sets", "20", "--dry-run")
    assert result.exit_code == 2
    assert "32000 cues (the limit is 20000)" in result.stderr


def test_a_render_past_the_wav_size_limit_is_one_line(cli, tmp_path, monkeypatch):
    from pose_coach.render import audio as render_audio

    monkeypatch.setattr(render_audio, "total_samples", lambda plan: 3 * 10**9)
    result = cli("render", "pose", "-o", str(tmp_path / "p.wav"), "--no-voice")
    assert result.exit_code == 1
    assert "a WAV file holds at most 27 hours" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_dose_built_by_a_script_refuses_nan_too():
    from pose_coach.timeline import Dose

    for bad in ({"lead_in": math.nan}, {"rest": math.inf}, {"rest": -1.0}, {"sets": 0}):
        with pytest.raises(ValueError):
            Dose(**bad)


def test_stdin_import_is_read_within_a_limit(monkeypatch):
    from pose_coach.log import transfer
    from pose_coach.log.transfer import LogImportError, read_import_stream

    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 1000)
    with pytest.raises(LogImportError, match="the limit is 1000 bytes"):
        read_import_stream(io.BytesIO(b"x" * 5000))
