"""Scripting contracts: exit codes, data on stdout only, --json everywhere it matters.

The first tests run the real program (``python -m pose_coach``) as cron would: no
terminal, stdin closed, a private POSE_COACH_HOME.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pose_coach.cli import cli as cli_group

# Commands whose output is a document or a file in a chosen format, not a data record.
NO_JSON = {
    "pose-coach export": "writes the chosen format (fit, ics or json itself)",
    "pose-coach sheet": "prints a cue sheet in the chosen format",
    "pose-coach figure": "draws a figure in the chosen format (svg or png)",
    "pose-coach log export": "writes a CSV or JSON file",
}


def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``pose-coach ARGS`` in a subprocess: pipes for output, no stdin, no terminal."""
    env = os.environ.copy()  # the isolated POSE_COACH_HOME of this test
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return subprocess.run(
        [sys.executable, "-m", "pose_coach", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        start_new_session=True,  # no controlling terminal, as under cron
    )


def test_routine_warmup_json_at_speed_100_as_cron_runs_it():
    done = run("routine", "warmup", "--json", "--speed", "100")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]  # every line is JSON
    assert events[0]["event"] == "session_start"
    assert (events[0]["id"], events[0]["kind"]) == ("warmup", "routine")
    assert events[-1]["event"] == "session_end" and events[-1]["completed"] is True
    kinds = [e["event"] for e in events]
    assert kinds.count("drill_start") == kinds.count("drill_end") > 0
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert "\x1b" not in done.stdout + done.stderr  # no escape codes without a terminal
    assert "Traceback" not in done.stderr


def test_unknown_id_exit_2_nothing_on_stdout():
    done = run("routine", "warmpu", "--json", "--speed", "100")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == ("pose-coach: error: no routine 'warmpu'; did you mean 'warmup'?\n")


@pytest.mark.parametrize(
    "args",
    [
        ("routine", "warmup", "--speed", "fast"),
        ("routine", "warmup", "--bogus"),
        ("routine",),
        ("list", "--phase", "run"),
        ("nonsense",),
    ],
)
def test_bad_usage_exit_2_nothing_on_stdout(args):
    done = run(*args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.strip()


def test_broken_user_file_warns_once_and_the_rest_works(isolated_home):
    folder = isolated_home / "data" / "drills"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("title: [\n", encoding="utf-8")
    done = run("list", "--json")
    assert done.returncode == 0, done.stderr
    assert "fall" in {row["id"] for row in json.loads(done.stdout)}
    warnings = done.stderr.splitlines()
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith("pose-coach: warning: ")
    assert "mine.yaml" in warnings[0] and "pose-coach validate" in warnings[0]

    done = run("drill", "fall", "--json", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert all(json.loads(line) for line in done.stdout.splitlines())
    assert sum("mine.yaml" in line for line in done.stderr.splitlines()) == 1


def test_broken_config_file_exit_1_located(isolated_home):
    path = isolated_home / "config" / "config.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("speed: 2\nlead_in: soon\n", encoding="utf-8")
    done = run("routine", "warmup", "--json")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith(f"pose-coach: error: {path}:2:10: lead_in: expected a number")
    assert "Traceback" not in done.stderr


# -- every data command speaks JSON, on stdout only ---------------------------------------


def _leaf_commands(command: click.Command, path: str = "pose-coach"):
    commands = getattr(command, "commands", None)
    if not commands or getattr(command, "invoke_without_command", False):
        yield path, command
    for name, sub in (commands or {}).items():
        yield from _leaf_commands(sub, f"{path} {name}")


def test_every_data_command_has_json():
    missing = [
        path
        for path, command in _leaf_commands(cli_group)
        if path not in NO_JSON
        and not any("--json" in getattr(p, "opts", ()) for p in command.params)
    ]
    assert missing == [], "add --json (common.json_option) or list the command in NO_JSON"


@pytest.mark.parametrize(
    "args",
    [
        ("list", "--json"),
        ("list", "--json", "--kind", "routine"),
        ("show", "warmup", "--json"),
        ("show", "fall", "--json"),
        ("show", "--fault", "overstriding", "--json"),
        ("faults", "--json"),
        ("validate", "--json", "drills/fall.yaml"),
        ("config", "path", "--json"),
        ("config", "show", "--json"),
        ("new", "drill", "scripted", "--json"),
    ],
)
def test_json_output_is_one_document_on_stdout(cli, monkeypatch, args):
    monkeypatch.chdir(Path(__file__).resolve().parents[1])
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    json.loads(result.stdout)


def test_session_json_lines_and_summary_on_stderr(cli):
    result = cli("routine", "pre-run", "--json", "--speed", "1000", "--lead-in", "0")
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["event"] for line in result.stdout.splitlines()][-1] == ("session_end")
    assert result.stderr.startswith("pose-coach: completed ")


def test_asking_for_a_broken_routine_reports_it_once(cli, user_drill):
    user_drill("morning", "title: M\nsummary: S.\nitems:\n  - drill: poney\n", routine=True)
    result = cli("routine", "morning", "--json")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert sum("unknown drill 'poney'" in line for line in result.stderr.splitlines()) == 1
    assert "warning" not in result.stderr
