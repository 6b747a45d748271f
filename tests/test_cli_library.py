"""`list`, `show`, `validate`, `--version`, and `--help` on every command, end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest

from pose_coach import __version__, output, words
from pose_coach.cli import cli as root
from pose_coach.terminal import Terminal

REPO = Path(__file__).resolve().parent.parent
MARKUP_DRILL = """\
title: "[red]Title[/red]"
phase: fall
summary: "[link=http://x]click[/link] :smile:"
steps:
  - cue: "[bold]x[/]"
    seconds: 5
    checkpoint: true
"""
VALID = "title: T\nphase: fall\nsummary: S\nsteps:\n  - cue: Lean in\n    seconds: 5\n"


# -- list ---------------------------------------------------------------------


def test_list_prints_a_plain_table_in_a_pipe(cli):
    result = cli("list")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "KIND", "PHASE", "TIME+LEAD-IN", "LEVEL", "TITLE"]
    rows = {line.split()[0]: line.split(None, 5) for line in lines[1:]}
    # the fall drill as re-timed after the coach's review (2 steps a set, not 4), with the
    # 3 s get-ready countdown a session starts with
    assert rows["fall"] == ["fall", "drill", "fall", "2:16", "beginner", "Fall from the pose"]
    assert rows["warmup"][:2] == ["warmup", "routine"]
    kinds = [row[1] for row in rows.values()]
    assert kinds == sorted(kinds)  # drills first, then routines
    assert "\x1b" not in result.stdout


@pytest.mark.parametrize("entry", ["fall", "warmup"])
@pytest.mark.parametrize("lead_in", ["3", "0", "7.5"])
def test_list_times_are_the_session_totals(cli, entry, lead_in):
    """One rule: list's time is what the session itself totals (its last event), lead-in
    included, and the header says so."""
    kind = "drill" if entry == "fall" else "routine"
    listed = cli("list", "--lead-in", lead_in).stdout.splitlines()
    header = "TIME+LEAD-IN" if float(lead_in) else "TIME"
    assert listed[0].split()[3] == header
    time = next(line.split()[3] for line in listed if line.split()[0] == entry)
    events = cli(kind, entry, "--dry-run", "--json", "--lead-in", lead_in).stdout.splitlines()
    total = json.loads(events[-1])["at"]
    assert time == words.clock(total)
    [row] = [
        r
        for r in json.loads(cli("list", "--json", "--lead-in", lead_in).stdout)
        if r["id"] == entry
    ]
    assert row["session_seconds"] == pytest.approx(total)
    assert row["session_seconds"] == pytest.approx(row["seconds"] + float(lead_in))


@pytest.mark.parametrize("phase", ["pose", "fall", "pull"])
def test_list_phase_keeps_only_that_phase(cli, phase):
    rows = json.loads(cli("list", "--phase", phase, "--json").stdout)
    drills = [r for r in rows if r["kind"] == "drill"]
    assert len(drills) >= 4
    assert all(r["phase"] == phase for r in drills)
    assert all(phase in r["phases"] for r in rows)
    table = cli("list", "--phase", phase).stdout.splitlines()[1:]
    assert {line.split()[0] for line in table} == {r["id"] for r in rows}


def test_list_phase_refuses_an_unknown_phase(cli):
    result = cli("list", "--phase", "run")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--phase: expected one of pose, fall, pull, got 'run'" in result.stderr


def test_list_json_fields(cli):
    result = cli("list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    for row in rows:
        assert {"id", "kind", "title", "phase", "seconds", "source"} <= set(row)
        assert row["kind"] in ("drill", "routine")
        assert row["source"] == "builtin"
        assert isinstance(row["seconds"], int | float) and row["seconds"] > 0
    assert {"pose", "fall", "pull"} <= {r["id"] for r in rows}
    fall = next(r for r in rows if r["id"] == "fall")
    assert (fall["kind"], fall["phase"], fall["seconds"]) == ("drill", "fall", 133)  # re-timed
    assert fall["title"] == "Fall from the pose"


def test_list_json_source_of_a_user_drill_is_its_path(cli, user_drill):
    path = user_drill("mine", VALID)
    rows = {r["id"]: r for r in json.loads(cli("list", "--json").stdout)}
    assert rows["mine"]["source"] == str(path)


# -- show ---------------------------------------------------------------------


def test_show_prints_every_section(cli):
    result = cli("show", "fall")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    text = result.stdout
    lines = text.splitlines()
    assert lines[0] == "Fall from the pose  [fall] · fall · beginner"
    assert lines[2].startswith("The core falling drill.")
    for heading in ("Dose", "Steps", "Checkpoints", "Faults and fixes", "Safety", "Sources"):
        assert heading in lines, heading
    assert "  4 sets × 0:22, 0:15 rest between sets — 2:13 in all" in lines
    assert "   1.  0:07  Stand in the pose  (legs alternate by set)" in lines
    assert "   2.  0:15  ✓ Fall… pull! Run out 20 metres  (until ready)" in lines
    assert any(line.endswith("(until ready)") for line in lines)
    assert any(" → " in line for line in lines)  # a fault and its fix
    assert "\x1b" not in text


def test_show_a_routine_lists_its_items(cli):
    result = cli("show", "warmup")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Pre-run warm-up  [warmup] · routine"
    assert "Items — 6:43 in all" in lines  # run-outs and announced rests added
    first = "   1.  0:50  Ball-of-foot perception (ball-of-foot-perception, pose) — 1 × 0:50"
    assert first in lines


def test_show_json_holds_the_whole_drill(cli):
    result = cli("show", "fall", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["id"] == "fall" and data["kind"] == "drill" and data["source"] == "builtin"
    assert (data["sets"], data["rest"], data["seconds"]) == (4, 15, 133)
    assert data["steps"][1] == {
        "cue": "Fall… pull! Run out 20 metres",
        "seconds": 15,
        "checkpoint": True,
        "until": "key",
    }
    assert data["steps"][0]["side"] == "alternate"
    assert len(data["checkpoints"]) >= 3
    assert all(set(f) == {"fault", "fix"} for f in data["faults"])
    assert data["safety"] and data["summary"]


@pytest.mark.parametrize("command", [["show"], ["show", "--json"]])
def test_unknown_id_suggests_the_closest_and_exits_2(cli, command):
    result = cli(*command, "fal")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "pose-coach: error: no drill 'fal'; did you mean 'fall'?\n"


def test_markup_in_a_drill_is_shown_literally_in_a_pipe(cli, user_drill):
    user_drill("markup", MARKUP_DRILL)
    result = cli("show", "markup")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "[red]Title[/red]  [markup] · fall"
    assert "[link=http://x]click[/link] :smile:" in lines
    assert "   1.  0:05  ✓ [bold]x[/]" in lines
    assert "[red]Title[/red]" in cli("list").stdout


def test_markup_is_shown_literally_on_a_forced_colour_terminal(user_drill, monkeypatch, capsys):
    """The rich path (a terminal, colour on): styled, yet the brackets stay text."""
    from pose_coach.library.catalog import load_catalog

    user_drill("markup", MARKUP_DRILL)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    catalog = load_catalog()
    output.print_entry(catalog.get("markup"), catalog.entries, Terminal(stdout_tty=True))
    out = capsys.readouterr().out
    assert "\x1b[" in out  # rich really styled it
    assert "[bold]x[/]" in out
    assert "[red]Title[/red]" in out
    assert "[link=http://x]click[/link] :smile:" in out
    assert "😄" not in out and "\x1b]8;" not in out  # no emoji, no hyperlink


@pytest.mark.parametrize("args", [["show", "fall"], ["list"], ["show", "warmup"]])
def test_no_color_on_a_terminal_prints_the_plain_text(cli, monkeypatch, args):
    """NO_COLOR: the same plain text as in a pipe, not rich's layout without colour."""
    piped = cli(*args).stdout
    on_terminal = cli(*args, terminal=Terminal(stdout_tty=True, color=False)).stdout
    assert on_terminal == piped
    assert "\x1b" not in on_terminal


def test_list_markup_is_literal_on_a_forced_colour_terminal(user_drill, monkeypatch, capsys):
    from pose_coach.describe import summary_dict
    from pose_coach.library.catalog import load_catalog

    user_drill("markup", MARKUP_DRILL)
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    catalog = load_catalog()
    output.print_table(
        [summary_dict(catalog.get("markup"), catalog.entries)], Terminal(stdout_tty=True)
    )
    out = capsys.readouterr().out
    assert "\x1b[" in out and "[red]Title[/red]" in out


# -- validate -----------------------------------------------------------------


def test_validate_a_good_file_prints_ok_and_exits_0(cli, write_file):
    path = write_file("good/lean.yaml", VALID)
    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"OK    {path} (drill lean)\n"
    assert result.stderr == ""


def test_validate_prints_a_warning_like_a_compiler(cli, write_file):
    path = write_file("good/lean.yaml", VALID.replace("seconds: 5", "seconds: 1"))
    result = cli("validate", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"OK    {path} (drill lean, 1 warning)\n"
    assert result.stderr == (
        f"{path}: warning: steps[0]: step of 1 s is too short for its spoken cue "
        "(about 1.5 s); lengthen it or shorten the cue\n"
    )


def test_validate_a_folder_reports_each_file_and_exits_1(cli, write_file, monkeypatch):
    good = write_file("lib/lean.yaml", VALID)
    write_file("lib/bad.yaml", VALID.replace("seconds: 5", "seconds: ten"))
    write_file("lib/routines/mix.yaml", "title: Mix\nsummary: S\nitems:\n  - drill: lean\n")
    write_file("lib/notes.txt", "not a drill")
    monkeypatch.chdir(good.parent.parent)
    result = cli("validate", "lib")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "FAIL  lib/bad.yaml (1 problem)",
        "OK    lib/lean.yaml (drill lean)",
        "OK    lib/routines/mix.yaml (routine mix)",
        "3 files checked: 2 OK, 1 invalid",
    ]
    assert result.stderr == (
        "lib/bad.yaml:6:14: steps[0].seconds: expected seconds between 1 and 3600, got 'ten'\n"
    )


def test_validate_json_for_ci(cli, write_file, monkeypatch):
    path = write_file("bad.yaml", "title: T\nphase: fal\nsummary: S\nstpes: []\n")
    monkeypatch.chdir(path.parent)
    result = cli("validate", "--json", "bad.yaml")
    assert result.exit_code == 1
    assert result.stderr == ""
    (report,) = json.loads(result.stdout)
    assert (report["path"], report["ok"], report["id"], report["kind"]) == (
        "bad.yaml",
        False,
        None,
        None,
    )
    assert report["errors"] == [
        {
            "line": 2,
            "column": 8,
            "field": "phase",
            "message": "expected one of pose, fall, pull, got 'fal'; did you mean 'fall'?",
            "text": "bad.yaml:2:8: phase: expected one of pose, fall, pull, got 'fal'; "
            "did you mean 'fall'?",
        },
        {
            "line": 4,
            "column": 1,
            "field": "stpes",
            "message": "unknown field 'stpes'; did you mean 'steps'?",
            "text": "bad.yaml:4:1: stpes: unknown field 'stpes'; did you mean 'steps'?",
        },
    ]
    ok = cli("validate", "--json", str(REPO / "drills" / "fall.yaml"))
    assert ok.exit_code == 0
    assert json.loads(ok.stdout)[0]["ok"] is True


def test_validate_reports_two_files_with_one_id(cli, write_file, monkeypatch):
    first = write_file("a/twin.yaml", VALID)
    write_file("b/twin.yaml", VALID)
    monkeypatch.chdir(first.parent.parent)
    result = cli("validate", "a", "b")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "a/twin.yaml: id: id 'twin' is also used by b/twin.yaml; rename one of them",
        "b/twin.yaml: id: id 'twin' is also used by a/twin.yaml; rename one of them",
    ]


def test_validate_checks_each_file_once(cli, write_file, monkeypatch):
    path = write_file("lib/lean.yaml", VALID)
    monkeypatch.chdir(path.parent.parent)
    result = cli("validate", "lib", "lib/lean.yaml", "./lib/lean.yaml")
    assert result.stdout == "OK    lib/lean.yaml (drill lean)\n"


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("missing.yaml", "pose-coach: error: no such file or folder: missing.yaml\n"),
        ("empty-folder", "pose-coach: error: no drill files (*.yaml) in empty-folder\n"),
    ],
)
def test_validate_bad_paths_are_usage_errors(cli, tmp_path, monkeypatch, target, message):
    (tmp_path / "empty-folder").mkdir()
    monkeypatch.chdir(tmp_path)
    result = cli("validate", target)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)


def test_validate_the_builtin_library_is_clean(cli):
    result = cli("validate", str(REPO / "drills"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith("OK, 0 invalid")


# -- version and help -----------------------------------------------------------


def test_version(cli):
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"pose-coach, version {__version__}\n"


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    """Every command under ``group``, however deep, so later commands are covered too."""
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [((), root), *_commands(root)]


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "pose-coach" for p, _ in COMMANDS]
)
def test_every_command_has_help(cli, path, command):
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help text"
    result = cli(*path, "--help")
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Usage: ") and usage.split()[2 : 2 + len(path)] == list(path)
    first_words = command.help.strip().split()[:3]
    assert " ".join(first_words) in " ".join(result.stdout.split())
    assert result.stderr == ""


def test_the_library_commands_are_all_walked():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"list", "show", "validate", "drill", "routine"} <= names


def test_the_command_table_summaries_match_the_commands():
    """`pose-coach --help` lists summaries from cli.COMMANDS without importing commands."""
    from pose_coach.cli import COMMANDS

    for name, (_, _, summary) in COMMANDS.items():
        command = root.commands[name]
        assert command.name == name
        assert summary == command.get_short_help_str(limit=300), name


def test_root_help_imports_no_command_module():
    code = (
        "import sys\n"
        "from pose_coach.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='pose-coach')\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('pose_coach.')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "['pose_coach.cli']"
    listed = done.stdout.split("Commands:\n", 1)[1]
    assert [line.split()[0] for line in listed.splitlines()] == sorted(root.commands)


def test_show_says_which_cadence_relative_steps_count_from(cli, isolated_home):
    text = cli("show", "pull").stdout
    assert "  cadence: 180 steps/min, the default until your own cadence is known" in text
    assert "+5% of your cadence = 189 steps/min" in text
    data = json.loads(cli("show", "pull", "--json", "--runner-cadence", "160").stdout)
    assert data["runner_cadence"] == {"spm": 160, "source": "option --runner-cadence"}
    assert data["steps"][3]["cadence"] == 168 and data["steps"][3]["cadence_change"] == 5
    config = isolated_home / "config" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("runner_cadence: 166\n")
    shown = json.loads(cli("show", "pull", "--json").stdout)
    assert shown["runner_cadence"] == {"spm": 166, "source": "config file"}
    assert "runner_cadence" not in json.loads(cli("show", "pose", "--json").stdout)


def test_show_names_the_evidence_and_the_figure(cli):
    text = cli("show", "pony").stdout
    assert "  evidence: single source: only one source describes these steps" in text
    data = json.loads(cli("show", "timber-fall", "--json").stdout)
    assert (data["evidence"], data["figure"]) == ("single-source", "two-foot-fall")
    assert json.loads(cli("show", "fall", "--json").stdout)["evidence"] is None
