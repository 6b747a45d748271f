"""`pose-coach drill`/`routine` through click: --plain, --json, --dry-run, exit codes, no TTY."""

from __future__ import annotations

import json

FAST = ("--speed", "1000")


def test_plain_session_prints_one_line_per_event_exactly_like_the_dry_run(cli):
    played = cli("drill", "fall", "--plain", *FAST)
    planned = cli("drill", "fall", "--dry-run")
    assert played.exit_code == 0, played.stderr
    assert planned.exit_code == 0, planned.stderr
    lines = played.stdout.splitlines()
    # a played session adds how each open step ended; the rest is the plan, line for line
    ends = [line for line in lines if "  step_end  " in line]
    assert ends[:2] == [
        "00:25  step_end  step 2/8 ended: time",
        "01:02  step_end  step 4/8 ended: time",
    ]
    assert [line for line in lines if line not in ends] == planned.stdout.splitlines()
    # the fall drill as re-timed after the coach's review: the pose on one foot, then
    # "Fall… pull!" and the run-out as one step; the standing leg alternates by set
    assert lines[:6] == [
        "00:00  session_start  Fall from the pose (fall): 8 steps, 2:16",
        "00:00  countdown  3",
        "00:01  countdown  2",
        "00:02  countdown  1",
        "00:03  set_start  set 1/4 fall",
        "00:03  cue  Stand in the pose (left) 0:07",
    ]
    assert "00:10  cue  Fall… pull! Run out 20 metres [checkpoint] [until key] 0:15" in lines
    assert "00:40  switch  switch legs (right)" in lines
    assert lines[-1] == "02:16  session_end  end"
    assert "pose-coach: completed 8 steps in 2:16 (4 sets)" in played.stderr


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
        "total": 3 + 22 * 2 + 5,
        "steps": 4,
        "drill": "fall",
    }
    assert last == {"event": "session_end", "at": 52, "completed": True}
    cues = [e for e in events if e["event"] == "cue"]
    assert [c["step"] for c in cues] == list(range(1, 5))
    assert cues[1] == {
        "event": "cue",
        "at": 10,  # session seconds: --speed does not change them
        "duration": 15,
        "text": "Fall… pull! Run out 20 metres",
        "checkpoint": True,
        "open": True,
        "step": 2,
        "steps": 4,
        "set": 1,
        "sets": 2,
        "drill": "fall",
        "phase": "fall",
    }
    assert [c["side"] for c in cues if "side" in c] == ["left", "right"]
    assert cues[3]["open"] is True
    ends = [e for e in events if e["event"] == "step_end"]
    assert ends[0] == {
        "event": "step_end",
        "at": 25,
        "text": "Fall… pull! Run out 20 metres",
        "step": 2,
        "steps": 4,
        "set": 1,
        "sets": 2,
        "drill": "fall",
        "phase": "fall",
        "open": True,
        "ended": "time",
    }
    # what played is what was planned, event for event, and how each open step ended
    planned = cli("drill", "fall", "--json", "--dry-run", "--sets", "2", "--rest", "5")
    played = [line for line in result.stdout.splitlines() if '"step_end"' not in line]
    assert played == planned.stdout.splitlines()


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
