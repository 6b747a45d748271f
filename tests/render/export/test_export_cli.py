"""``pose-coach export``: formats, file names, stdout, and the writing rules."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest


@pytest.mark.parametrize(("kind", "entry_id"), [("drill", "fall"), ("routine", "warmup")])
def test_json_export_equals_the_dry_run_stream(cli, kind, entry_id):
    stream = cli(kind, entry_id, "--json", "--dry-run")
    assert stream.exit_code == 0, stream.stderr
    exported = cli("export", entry_id, "--format", "json")
    assert exported.exit_code == 0, exported.stderr
    document = json.loads(exported.stdout)
    assert document["events"] == [json.loads(line) for line in stream.stdout.splitlines()]
    assert document["schema"] == 1
    assert (document["id"], document["kind"]) == (entry_id, kind)
    assert document["events"][0]["event"] == "session_start"


def test_json_export_follows_the_dose_options(cli):
    stream = cli("drill", "fall", "--json", "--dry-run", "--sets", "2", "--lead-in", "0")
    exported = cli("export", "fall", "--format", "json", "--sets", "2", "--lead-in", "0")
    events = json.loads(exported.stdout)["events"]
    assert events == [json.loads(line) for line in stream.stdout.splitlines()]
    assert json.loads(exported.stdout)["lead_in"] == 0


@pytest.mark.parametrize(
    ("name", "magic"), [("w.fit", b".FIT"), ("w.json", b"{"), ("w.ics", b"BEGIN")]
)
def test_format_from_the_file_suffix(cli, tmp_path, name, magic):
    target = tmp_path / name
    extra = ["--at", "07:00", "--days", "mon"] if name.endswith(".ics") else []
    result = cli("export", "warmup", "-o", str(target), *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"pose-coach: wrote {target}")
    data = target.read_bytes()
    assert (data[8:12] if name.endswith(".fit") else data[: len(magic)]) == magic
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary file left


def test_fit_to_a_pipe_is_the_same_workout(cli, tmp_path):
    fitdecode = pytest.importorskip("fitdecode")

    def steps(data: bytes) -> list[dict]:
        with fitdecode.FitReader(data, check_crc=fitdecode.CrcCheck.RAISE) as reader:
            return [
                {f.name: f.value for f in frame.fields}
                for frame in reader
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step"
            ]

    target = tmp_path / "fall.fit"
    cli("export", "fall", "-o", str(target))
    piped = cli("export", "fall", "--format", "fit")
    assert piped.exit_code == 0, piped.stderr
    assert piped.stderr == ""
    # time_created differs between runs; the steps do not
    # 4 sets of 2 steps and 3 rests: the standing leg alternates by set, so no set repeats
    assert len(steps(piped.stdout_bytes)) == 11
    assert steps(piped.stdout_bytes) == steps(target.read_bytes())


def test_no_format_is_a_usage_error(cli):
    result = cli("export", "fall")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "pose-coach: error: say which format to export",
        "  hint: add --format fit, json or ics, or -o FILE ending in .fit, .json or .ics",
    ]


def test_unknown_suffix_is_a_usage_error(cli, tmp_path):
    result = cli("export", "fall", "-o", str(tmp_path / "fall.txt"))
    assert result.exit_code == 2
    assert "cannot tell the format from the name" in result.stderr
    assert not (tmp_path / "fall.txt").exists()


def test_format_option_wins_over_the_suffix_with_a_warning(cli, tmp_path):
    target = tmp_path / "odd.json"
    result = cli("export", "fall", "--format", "fit", "-o", str(target))
    assert result.exit_code == 0
    assert "warning: writing FIT to" in result.stderr
    assert target.read_bytes()[8:12] == b".FIT"


def test_dev_full_is_a_one_line_error(cli):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full on this system")
    for fmt in ("json", "fit"):
        result = cli("export", "warmup", "--format", fmt, "-o", "/dev/full")
        assert result.exit_code == 1
        assert result.stderr == (
            "pose-coach: error: cannot write /dev/full: no space left on the device\n"
        )


def test_failed_export_leaves_an_existing_file_alone(cli, tmp_path, user_drill):
    steps = "\n".join(f"  - cue: Step {n}\n    seconds: 1" for n in range(60))
    user_drill("many", f"title: Many\nphase: pose\nsummary: Sixty steps.\nsteps:\n{steps}\n")
    target = tmp_path / "many.fit"
    target.write_bytes(b"old")
    result = cli("export", "many", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: drill 'many' needs 60 workout steps; a Garmin workout takes at most 50"
    )
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["many.fit"]
    lower = cli("export", "many", "-o", str(target), "--max-steps", "59")
    assert lower.stderr.splitlines()[0] == (
        "pose-coach: error: drill 'many' needs 60 workout steps; --max-steps allows 59"
    )
    assert cli("export", "many", "-o", str(target), "--max-steps", "60").exit_code == 0


def test_unknown_id(cli):
    result = cli("export", "fal", "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.startswith("pose-coach: error: no ")
    assert "'fal'; did you mean 'fall'?" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "fit", "--at", "07:00"], "--at is only for --format ics, not fit"),
        (["--format", "json", "--weeks", "2"], "--weeks is only for --format ics, not json"),
        (["-f", "json", "--max-steps", "9"], "--max-steps is only for --format fit, not json"),
        (["--format", "ics", "--days", "mon"], "a calendar plan needs --at and --days"),
    ],
)
def test_options_for_another_format_are_refused(cli, args, message):
    result = cli("export", "fall", *args)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"pose-coach: error: {message}"


def test_bad_day_is_a_bad_parameter(cli):
    result = cli("export", "fall", "--format", "ics", "--at", "07:00", "--days", "mon,funday")
    assert result.exit_code == 2
    assert "'funday' is not a weekday" in result.stderr


def test_ics_to_stdout(cli):
    result = cli(
        "export",
        "fall",
        "--format",
        "ics",
        "--at",
        "06:45",
        "--days",
        "tue,thu",
        "--weeks",
        "3",
        "--start",
        "2025-01-01",
    )
    assert result.exit_code == 0, result.stderr
    assert b"DTSTART:20250102T064500\r\n" in result.stdout_bytes
    assert b"RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH\r\n" in result.stdout_bytes


@pytest.mark.pty
def test_fit_to_a_terminal_is_refused(isolated_home):
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pose_coach", "export", "fall", "--format", "fit"],
            stdout=follower,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            timeout=30,
            env={**os.environ, "POSE_COACH_HOME": str(isolated_home)},
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "pose-coach: error: a FIT file is binary and stdout is a terminal",
        "  hint: write it to a file: -o fall.fit (or redirect: > fall.fit)",
    ]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_stdout_on_a_full_device_is_a_one_line_error(isolated_home):
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "pose_coach", "export", "warmup", "--format", "fit"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=30,
            env={**os.environ, "POSE_COACH_HOME": str(isolated_home)},
        )
    assert result.returncode == 1
    assert result.stderr.decode() == (
        "pose-coach: error: cannot write to stdout: no space left on the device\n"
    )
