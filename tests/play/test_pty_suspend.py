"""Ctrl-Z and ``fg`` in a real terminal, under an interactive shell with job control: the
terminal is the shell's while stopped, and after ``fg`` the view is back, paused."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys

import pytest

pexpect = pytest.importorskip("pexpect")
pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash for job control"),
]

CLASSIC_FALL = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "data", "fixtures", "classic-fall.yaml"
)


@pytest.fixture
def classic_fall_drill(user_drill):
    """The four-step fall drill the pty tests time keys against (data/fixtures/README.md)."""
    with open(CLASSIC_FALL, encoding="utf-8") as handle:
        user_drill("fall", handle.read())


STTY = re.compile(r"([0-9a-f]+(?::[0-9a-f]+){10,})")
PROMPT = "READY> "


def shell():
    child = pexpect.spawn(
        "bash",
        ["--norc", "--noprofile", "-i"],
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=15,
        env={**os.environ, "TERM": "xterm-256color", "PS1": PROMPT},
    )
    child.expect_exact(PROMPT)
    return child


def stty(child) -> str:
    child.sendline("stty -g")
    child.expect(STTY)
    settings = child.match.group(1)
    child.expect_exact(PROMPT)
    return settings


def test_ctrl_z_gives_the_terminal_back_and_fg_resumes_paused(classic_fall_drill):
    child = shell()
    before = stty(child)
    command = [sys.executable, "-m", "pose_coach", "drill", "fall", "--speed", "5", "--no-sound"]
    child.sendline(shlex.join(command))
    child.expect("STAND IN THE POSE")  # the live view is up, the first step playing
    child.sendcontrol("z")
    child.expect("\x1b\\[\\?1049l")  # the alternate screen is left...
    child.expect("\x1b\\[\\?25h")  # ...and the cursor shown
    child.expect("Stopped")
    child.expect_exact(PROMPT)
    assert stty(child) == before  # the shell has its own terminal settings back
    child.sendline("fg")
    child.expect("\x1b\\[\\?1049h")  # drawn anew on the alternate screen
    child.expect("PAUSED")
    # stays paused: no new step, and nothing typed shows (raw mode is back)
    assert child.expect([pexpect.TIMEOUT, r"step [2-9]/"], timeout=1.5) == 0
    child.send(" ")
    child.expect(r"step [2-9]/\d+")  # resumed: the drill moves on
    child.send("q")
    child.expect("stopped at step")
    child.expect_exact(PROMPT)
    child.sendline("echo rc=$?")
    child.expect(r"rc=(\d+)")
    assert child.match.group(1) == "130"
    child.expect_exact(PROMPT)
    assert stty(child) == before
    child.sendline("exit")
    child.expect(pexpect.EOF)
