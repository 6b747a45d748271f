"""Shell completion: commands, options and drill/routine ids (user files included)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete

from pose_coach.cli import cli as cli_group
from pose_coach.commands.common import complete_ids

# ID arguments that name something new, so there is nothing to complete.
NEW_IDS = {"pose-coach new drill", "pose-coach new routine"}

ROUTINE = """
title: Hill warm-up
summary: Two drills before the hills.
items:
  - drill: pose
  - drill: fall
"""


def complete(args: list[str], incomplete: str) -> list[str]:
    shell = ShellComplete(cli_group, {}, "pose-coach", "_POSE_COACH_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


def test_commands_complete():
    assert complete([], "dr") == ["drill"]
    assert {"list", "show", "validate", "drill", "routine", "new", "config"} <= set(
        complete([], "")
    )
    assert complete(["config"], "") == ["path", "show"]
    assert complete(["new"], "") == ["drill", "routine"]


def test_options_complete():
    options = complete(["drill", "fall"], "--")
    assert {"--lead-in", "--sets", "--rest", "--speed", "--json", "--dry-run"} <= set(options)
    assert complete(["list", "--phase"], "f") == ["fall"]  # a click.Choice completes itself


def test_drill_ids_complete():
    assert complete(["drill"], "p") == ["partner-fall", "pony", "pose", "pull"]
    assert "warmup" not in complete(["drill"], "")


def test_routine_ids_complete():
    routines = complete(["routine"], "")
    assert {"fall-focus", "pose-basics", "pre-run", "pull-focus", "warmup"} <= set(routines)
    assert "fall" not in routines and routines == sorted(routines)


def test_show_completes_both_kinds():
    both = complete(["show"], "")
    assert "warmup" in both and "fall" in both


def test_user_files_complete(user_drill):
    user_drill("hill-fall")
    user_drill("hill-warmup", ROUTINE, routine=True)
    assert complete(["drill"], "hi") == ["hill-fall"]
    assert complete(["routine"], "hi") == ["hill-warmup"]
    assert complete(["show"], "hi") == ["hill-fall", "hill-warmup"]


def test_completion_help_is_the_title():
    shell = ShellComplete(cli_group, {}, "pose-coach", "_POSE_COACH_COMPLETE")
    items = {item.value: item.help for item in shell.get_completions(["routine"], "warm")}
    assert items == {"warmup": "Pre-run warm-up"}


def test_broken_user_file_does_not_break_completion(user_drill):
    user_drill("broken", "title: [\n")
    user_drill("hill-fall")
    assert complete(["drill"], "hi") == ["hill-fall"]


def test_home_that_is_not_a_folder_still_completes_builtins(monkeypatch, tmp_path):
    home = tmp_path / "home-is-a-file"
    home.write_text("", encoding="utf-8")
    monkeypatch.setenv("POSE_COACH_HOME", str(home))
    monkeypatch.setenv("POSE_COACH_DRILLS", str(home))
    # built-in ids still complete; nothing raises
    assert "fall" in complete(["drill"], "f")


def test_ids_already_typed_are_not_offered_again():
    @click.command()
    @click.argument("ids", nargs=-1, shell_complete=complete_ids(None))
    def sheet(ids: tuple[str, ...]) -> None:
        """Test command taking several ids."""

    shell = ShellComplete(sheet, {}, "sheet", "_SHEET_COMPLETE")
    values = [item.value for item in shell.get_completions(["pose", "pull"], "p")]
    assert values == ["partner-fall", "pony", "pose-basics", "pre-run", "pull-focus"]


def _commands(command: click.Command, path: str = "pose-coach"):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, f"{path} {name}")


def test_every_id_argument_completes_ids():
    """Commands added later (sheet, export, render, ...) get id completion too."""
    checked = []
    for path, command in _commands(cli_group):
        for param in command.params:
            if not isinstance(param, click.Argument) or path in NEW_IDS:
                continue
            words = re.split(r"[^A-Z]+", param.metavar or "")  # VIDEO is not an ID
            names_an_id = bool({"ID", "IDS"} & set(words)) or (param.name or "").endswith(
                ("_id", "_ids", "ids")
            )
            if names_an_id:
                assert param._custom_shell_complete is not None, f"{path}: {param.name}"
                checked.append(path)
    assert {"pose-coach drill", "pose-coach routine", "pose-coach show"} <= set(checked)


# -- real shells ------------------------------------------------------------------------


@pytest.fixture
def pose_coach_on_path(tmp_path: Path) -> dict[str, str]:
    """An environment whose PATH has a ``pose-coach`` running this checkout's code."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pose-coach"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m pose_coach "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    env = os.environ.copy()
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    return env


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize(("kind", "user_id"), [("drill", "hill-fall"), ("routine", "hill-warmup")])
def test_real_bash_completes_a_user_file(pose_coach_on_path, user_drill, kind, user_id):
    user_drill("hill-fall")
    user_drill("hill-warmup", ROUTINE, routine=True)
    script = (
        'eval "$(_POSE_COACH_COMPLETE=bash_source pose-coach)"\n'
        f"COMP_WORDS=(pose-coach {kind} hi); COMP_CWORD=2\n"
        "_pose_coach_completion pose-coach\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=pose_coach_on_path,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [user_id]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _pose_coach_completion pose-coach"),
        ("zsh", "compdef _pose_coach_completion pose-coach"),
        ("fish", "complete --no-files --command pose-coach"),
    ],
)
def test_completion_scripts_for_each_shell(pose_coach_on_path, shell, marker):
    done = subprocess.run(
        ["pose-coach"],
        capture_output=True,
        text=True,
        env={**pose_coach_on_path, "_POSE_COACH_COMPLETE": f"{shell}_source"},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_protocols_give_ids_with_help(pose_coach_on_path, user_drill, shell):
    """What the zsh and fish scripts ask for: the ids, with the title as help."""
    user_drill("hill-fall")
    done = subprocess.run(
        ["pose-coach"],
        capture_output=True,
        text=True,
        env={
            **pose_coach_on_path,
            "_POSE_COACH_COMPLETE": f"{shell}_complete",
            # zsh passes the word's index; fish passes the partial word itself
            "COMP_WORDS": "pose-coach drill hi",
            "COMP_CWORD": "2" if shell == "zsh" else "hi",
        },
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    if shell == "zsh":
        assert done.stdout.splitlines() == ["plain", "hill-fall", "Test drill"]
    else:
        assert done.stdout.splitlines() == ["plain,hill-fall\tTest drill"]
