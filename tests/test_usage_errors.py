"""One error style for every error, click's own included; help in our words only."""

from __future__ import annotations

import re

import click
import pytest

from pose_coach.cli import cli as root


def _commands(group: click.Group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


COMMANDS = [(), *(path for path, _ in _commands(root))]


def test_a_bad_variable_is_named_with_its_value(cli):
    result = cli("drill", "fall", "--dry-run", env={"POSE_COACH_SPEED": "0"})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "pose-coach: error: POSE_COACH_SPEED=0: expected a speed between 0.1 and 1000\n"
        "  hint: see pose-coach drill --help\n"
    )


def test_a_typed_value_is_named_by_its_option_only(cli):
    result = cli("drill", "fall", "--dry-run", "--speed", "0", env={"POSE_COACH_SPEED": "2"})
    assert result.exit_code == 2
    assert result.stderr == (
        "pose-coach: error: --speed: expected a speed between 0.1 and 1000, got 0\n"
        "  hint: see pose-coach drill --help\n"
    )
    # and a good variable beside a bad typed value is not blamed
    assert "POSE_COACH_SPEED" not in result.stderr


def test_a_bad_boolean_variable_in_our_words(cli):
    result = cli("drill", "fall", "--dry-run", env={"POSE_COACH_TITLE": "maybe"})
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "pose-coach: error: POSE_COACH_TITLE=maybe: expected true or false"
    )


@pytest.mark.parametrize(
    ("args", "first_line"),
    [
        (("drill",), "pose-coach: error: missing argument ID"),
        (("nosuch",), "pose-coach: error: no such command 'nosuch'"),
        (("drill", "fall", "--nope"), "pose-coach: error: no such option '--nope'"),
        (
            ("list", "--phase", "run"),
            "pose-coach: error: --phase: expected one of pose, fall, pull, got 'run'",
        ),
        (
            ("cadence", "test", "--count", "x"),
            "pose-coach: error: --count: expected a count of landings between 1 and 200, got 'x'",
        ),
        (
            ("stats", "--weeks", "0"),
            "pose-coach: error: --weeks: expected a whole number between 1 and 520, got 0",
        ),
    ],
)
def test_usage_errors_are_one_line_in_the_one_style_and_exit_2(cli, args, first_line):
    result = cli(*args)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(first_line), result.stderr
    assert lines[1:] and lines[1].startswith("  hint: see pose-coach")
    assert "Error:" not in result.stderr and "Usage:" not in result.stderr


# click's own words and metavars: a reader should never meet them
CLICK_WORDS = re.compile(
    r"\b(FLOAT|INTEGER|BOOLEAN|TEXT|FILENAME|RANGE)\b|x<=|<=x|env var:|is not a valid"
)


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) or "pose-coach" for p in COMMANDS])
def test_help_speaks_our_words_and_writes_env_one_way(cli, path):
    result = cli(*path, "--help")
    assert result.exit_code == 0
    assert not CLICK_WORDS.search(result.stdout), CLICK_WORDS.search(result.stdout)
    joined = " ".join(result.stdout.split())
    # every option's variable is written [env: POSE_COACH_…], never click's [env var: …]
    marks = re.findall(r"\[env[^\]]*\]", joined)
    assert all(
        re.fullmatch(r"\[env: POSE_COACH_[A-Z_]+(=\w+ or POSE_COACH_[A-Z_]+=1)?\]", m)
        for m in marks
    ), marks
