"""Shared fixtures: every test runs against a private POSE_COACH_HOME, never the real home."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from pose_coach.cli import cli as cli_group
from pose_coach.play.clock import FakeClock
from pose_coach.terminal import Terminal

try:
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, database=None, deadline=None)
    settings.register_profile("dev", database=None, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass


def _pseudo_terminals_work() -> bool:
    try:
        leader, follower = os.openpty()
    except (OSError, AttributeError):  # no /dev/pts (some chroots, containers) or Windows
        return False
    os.close(leader)
    os.close(follower)
    return True


PTY_SKIP_REASON = "needs a pseudo-terminal, and none can be opened here (is /dev/pts mounted?)"


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked ``pty`` skip, visibly, where the machine has no pseudo-terminals."""
    if item.get_closest_marker("pty") and not _pseudo_terminals_work():
        pytest.skip(PTY_SKIP_REASON)


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh POSE_COACH_HOME per test; plain, colourless, 80-column output."""
    home = tmp_path_factory.mktemp("pose-coach-home")
    monkeypatch.setenv("POSE_COACH_HOME", str(home))
    for name in list(os.environ):
        if name.startswith("POSE_COACH_") and name != "POSE_COACH_HOME":
            monkeypatch.delenv(name)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def cli(runner: CliRunner):
    """Run ``pose-coach ARGS``: ``cli("list", "--json")`` → click Result (stdout/stderr apart).

    ``terminal=Terminal(stdout_tty=True)`` runs it as if on a terminal (default: a pipe).
    """

    def invoke(
        *args: str,
        input: str | None = None,
        env: dict | None = None,
        terminal: Terminal | None = None,
    ):
        return runner.invoke(
            cli_group, list(args), input=input, env=env, obj=terminal, catch_exceptions=False
        )

    return invoke


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


def _write_dedented(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def write_file(tmp_path: Path):
    """Write a dedented text file under tmp_path and return its path."""

    def write(name: str, text: str) -> Path:
        return _write_dedented(tmp_path / name, text)

    return write


MINIMAL_DRILL = """
title: Test drill
phase: fall
summary: A tiny drill for tests.
sets: 2
rest: 5
steps:
  - cue: Lean from ankles, not waist
    seconds: 4
    checkpoint: true
  - cue: Pull foot under hips
    seconds: 6
"""


@pytest.fixture
def user_drill(isolated_home: Path):
    """Write a drill (or routine, under routines/) into the user's library folder."""

    def write(drill_id: str, text: str = MINIMAL_DRILL, routine: bool = False) -> Path:
        folder = isolated_home / "data" / "drills"
        if routine:
            folder = folder / "routines"
        return _write_dedented(folder / f"{drill_id}.yaml", text)

    return write
