"""Signals in a real pseudo-terminal: the live view goes, the terminal comes back, the
session is recorded, the sound's temporary folder is removed, and the status says which."""

from __future__ import annotations

import os
import re
import shlex

import pytest
from signal_helpers import SIGNALS, command, environment, expected_status, log_rows, wait_for

from pose_coach.signals import signal_name

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.pty

STTY = re.compile(r"^([0-9a-f]+(?::[0-9a-f]+){10,})\r?$", re.M)
SESSION = ("drill", "fall", "--speed", "20", "--sound", "--no-voice")


def spawn(home, tmp, *, wrap: bool = True):
    argv = command(*SESSION)
    if wrap:
        # the shell notes each signal (so it lives on to print the status) and brackets
        # the run with the terminal settings, to compare them
        traps = "trap : HUP INT QUIT TERM USR1 ALRM"
        argv = ["sh", "-c", f"{traps}; stty -g; {shlex.join(argv)}; echo rc=$?; stty -g"]
    return pexpect.spawn(
        argv[0],
        argv[1:],
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=15,
        env={**environment(home, tmp), "TERM": "xterm-256color"},
    )


@pytest.mark.parametrize("signum", SIGNALS, ids=signal_name)
def test_a_signal_stops_the_live_view_cleanly(signum, isolated_home, tmp_path):
    tmp = tmp_path / "tmp"
    child = spawn(isolated_home, tmp)
    child.expect("STAND IN THE POSE")  # the marker: the live view is up, a step playing
    seen = child.before + child.after
    assert [p.name for p in tmp.iterdir()][0].startswith("pose-coach-sound-")
    os.killpg(child.pid, signum)  # the shell and pose-coach, as a closing terminal does
    child.expect(pexpect.EOF)
    transcript = seen + child.before
    child.close()
    status = re.search(r"rc=(\d+)", transcript)
    assert status and int(status.group(1)) == expected_status(signum), transcript
    settings = STTY.findall(transcript)
    assert len(settings) == 2 and settings[0] == settings[1]  # termios as it was
    assert transcript.count("\x1b[?1049h") == transcript.count("\x1b[?1049l") == 1
    assert transcript.rfind("\x1b[?25h") > transcript.rfind("\x1b[?25l")  # cursor shown
    assert "stopped at step" in transcript and "Traceback" not in transcript
    [row] = log_rows(isolated_home)
    assert row["outcome"] == "interrupted"
    assert list(tmp.iterdir()) == []


def test_closing_the_terminal_records_the_session_and_cleans_up(isolated_home, tmp_path):
    """A dropped ssh session: the terminal itself goes away (SIGHUP, then end of input)."""
    tmp = tmp_path / "tmp"
    child = spawn(isolated_home, tmp, wrap=False)
    child.expect("STAND IN THE POSE")
    pid = child.pid
    os.close(child.child_fd)  # hang up: the kernel signals the session and stdin ends
    child.child_fd = -1
    _, status = os.waitpid(pid, 0)
    child.terminated = True
    assert os.WIFEXITED(status), status  # it exited by itself, not killed by the signal
    assert os.WEXITSTATUS(status) in (129, 130)  # SIGHUP, or the end of input first
    rows = wait_for(lambda: log_rows(isolated_home), "the session to be recorded")
    assert [row["outcome"] for row in rows] == ["interrupted"]
    assert list(tmp.iterdir()) == []
