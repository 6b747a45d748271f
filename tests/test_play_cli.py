"""`pose-coach drill`/`routine` through click: --plain, --json, --dry-run, exit codes, no TTY."""

from __future__ import annotations

import json

FAST = ("--speed", "1000")


def test_plain_session_prints_one_line_per_event_exactly_like_the_dry_run(cli):
    played = cli("drill", "fall", "--plain", *FAST)
    planned = cli("drill", "fall", "--dry-run")
    assert played.exit_code == 0, played.stderr
    assert planned.exit_code == 0, planned.stderr
    assert played.stdout == planned.stdout
    lines = played.stdout.splitlines()
    assert lines[:6] == [
        "00:00  session_start  Fall from the pose (fall): 16 steps, 2:48",
        "00:00  countdown  3",
        "00:01  countdown  2",
        "00:02  countdown  1",
        "00:03  set_start  set 1/4 fall",
        "00:03  cue  Stand in the pose, free foot under the hip 0:05",
    ]
    assert "00:08  cue  Lean from the ankles, not the waist [checkpoint] 0:06" in lines
    assert "00:18  cue  Pull and run out 20 metres, hold the lean [until key] 0:15" in lines
    assert lines[-1] == "02:48  session_end  end"
    assert "pose-coach: completed 16 steps in 2:48 (4 sets)" in played.stderr


def test_json_session_is_json_lines_with_a_header_and_an_outcome(cli):
    result = cli("drill", "fall", "--json", *FAST, "--sets", "2", "--rest", "5")
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    first, last = events[0], events[-1]
    assert first == {
        "event": "session_start",
        "at": 0,
        "schema": 1,
        "id": "fall",
        "kind": "drill",
        "title": "Fall from the pose",
        "phases": ["fall"],
        "total": 3 + 30 * 2 + 5,
        "steps": 8,
        "drill": "fall",
    }
    assert last == {"event": "session_end", "at": 68, "completed": True}
    cues = [e for e in events if e["event"] == "cue"]
    assert [c["step"] for c in cues] == list(range(1, 9))
    assert cues[1] == {
        "event": "cue",
        "at": 8,  # session seconds: --speed does not change them
        "duration": 6,
        "text": "Lean from the ankles, not the waist",
        "say": "Tip forward in one straight piece, pivoting at the ankle.",
        "checkpoint": True,
        "step": 2,
        "steps": 8,
        "set": 1,
        "sets": 2,
        "drill": "fall",
        "phase": "fall",
    }
    assert cues[3]["open"] is True
    # what played is what was planned, event for event
    planned = cli("drill", "fall", "--json", "--dry-run", "--sets", "2", "--rest", "5")
    assert result.stdout == planned.stdout


def test_dry_run_prints_everything_at_once_and_exits_0(cli):
    result = cli("routine", "warmup", "--dry-run", "--json")
    assert result.exit_code == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[0]["event"] == "session_start" and events[0]["kind"] == "routine"
    assert events[-1] == {"event": "session_end", "at": events[0]["total"], "completed": True}
    starts = [e for e in events if e["event"] == "drill_start"]
    assert [e["item"] for e in starts] == list(range(1, len(starts) + 1))
    assert result.stderr == ""


def test_unknown_id_exits_2_with_nothing_on_stdout(cli):
    for args in (("drill", "nope"), ("drill", "nope", "--json"), ("routine", "fall")):
        result = cli(*args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith("pose-coach: error: no ")


def test_bad_speed_is_a_usage_error(cli):
    result = cli("drill", "fall", "--speed", "0")
    assert result.exit_code == 2 and result.stdout == ""


def test_without_a_terminal_it_plays_plain_lines_and_never_an_escape_code(cli):
    # CliRunner's stdin and stdout are not terminals: no live view, no keys, no crash
    result = cli("drill", "pose", *FAST, "--sets", "1")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    assert result.stdout.splitlines()[0].startswith("00:00  session_start  Running pose")
    assert result.stdout.endswith("session_end  end\n")


def test_title_option_does_not_leak_into_plain_output(cli):
    result = cli("drill", "pose", *FAST, "--sets", "1", "--title")
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout
