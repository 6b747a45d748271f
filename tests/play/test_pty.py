"""The live view in a real pseudo-terminal: keys, clean stops, terminal settings restored."""

from __future__ import annotations

import os
import re
import shlex
import sys

import pytest

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.pty

ARGS = ["-m", "pose_coach", "drill", "fall", "--speed", "20"]
CLASSIC_FALL = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "data", "fixtures", "classic-fall.yaml"
)


@pytest.fixture(autouse=True)
def classic_fall(user_drill):
    """These tests time keys against the four-step fall drill (data/fixtures/README.md)."""
    with open(CLASSIC_FALL, encoding="utf-8") as handle:
        user_drill("fall", handle.read())


STTY = re.compile(r"^([0-9a-f]+(?::[0-9a-f]+){10,})\r?$", re.M)
ESCAPES = re.compile(r"\x1b(\[[0-9;?]*[a-zA-Z]|\][^\x07]*\x07)")


def spawn(*args: str, wrap: bool = True):
    """Run the drill in an 80×24 pty; ``wrap`` brackets it with ``stty -g`` and ``rc=$?``."""
    argv = [sys.executable, *ARGS, *args]
    if wrap:
        # ``trap : INT``: Ctrl-C must reach pose-coach without also killing this shell
        command = shlex.join(argv)
        argv = ["sh", "-c", f"trap : INT; stty -g; {command}; echo rc=$?; stty -g"]
    return pexpect.spawn(
        argv[0],
        argv[1:],
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=10,
        env={**os.environ, "TERM": "xterm-256color"},
    )


def plain(text: str) -> str:
    return ESCAPES.sub("", text)


def finish(child) -> tuple[str, int]:
    """Wait for the end; return everything printed after the last expect, and the rc line."""
    child.expect(pexpect.EOF)
    rest = child.before
    child.close()
    rc = re.search(r"rc=(\d+)", rest)
    assert rc, rest
    return rest, int(rc.group(1))


def assert_restored(transcript: str) -> None:
    settings = STTY.findall(transcript)
    assert len(settings) == 2, transcript
    assert settings[0] == settings[1]  # termios back exactly as it was
    assert "\x1b[?25h" in transcript  # cursor shown
    assert transcript.count("\x1b[?1049h") == transcript.count("\x1b[?1049l") == 1


def test_cue_on_screen_space_pauses_and_q_exits_130_with_the_terminal_restored():
    child = spawn()
    # pause at once: at --speed 20 the open-ended step 4 (where space means "done")
    # comes 0.9 s after the start
    child.expect("GET READY")
    child.send(" ")
    seen = child.before + child.after
    child.expect("PAUSED · space to resume")
    seen += child.before + child.after
    child.expect("space resume · q quit")
    child.expect("\x1b]0;paused · [^\x07]*\x07")  # the title comes last: the frame is complete
    seen += child.before + child.after
    # paused: nothing is redrawn, so no countdown second and no new step appears
    assert child.expect([pexpect.TIMEOUT, r"step \d+/16", r"\d:\d\d left"], timeout=1.0) == 0
    child.send(" ")
    child.expect(r"step [2-4]/16")  # resumed, the drill moves on
    seen += child.before + child.after
    assert "STAND IN THE POSE, FREE FOOT UNDER THE HIP" in seen
    child.send("q")
    rest, rc = finish(child)
    transcript = seen + rest
    assert rc == 130
    assert re.search(r"■ stopped at step \d+/16 after \d:\d\d", plain(transcript))
    assert_restored(transcript)


def test_ctrl_c_exits_130_with_the_terminal_restored():
    child = spawn()
    child.expect("LEAN FROM THE ANKLES")
    seen = child.before + child.after
    child.sendintr()
    rest, rc = finish(child)
    assert rc == 130
    assert "stopped at step" in rest
    assert "Traceback" not in seen + rest
    assert_restored(seen + rest)


def test_open_step_goes_on_by_itself_and_the_session_completes_with_0():
    child = spawn("--sets", "1")
    child.expect("goes on in 0:0")
    seen = child.before + child.after
    rest, rc = finish(child)  # no key: the run-out lasts its seconds, then the session ends
    assert rc == 0
    assert re.search(r"✓ completed 4 steps in 0:\d\d \(1 set\)", plain(rest))
    assert_restored(seen + rest)


def test_open_step_waits_for_enter_with_wait_then_the_session_completes_with_0():
    child = spawn("--sets", "1", "--wait")
    child.expect("press Enter when done")
    seen = child.before + child.after
    # it waits: the run-out has no end of its own while keys work
    assert child.expect([pexpect.TIMEOUT, "completed"], timeout=0.8) == 0
    child.send("\r")
    rest, rc = finish(child)
    assert rc == 0
    assert re.search(r"✓ completed 4 steps in 0:\d\d \(1 set\)", plain(rest))
    assert_restored(seen + rest)


def test_sigterm_stops_cleanly_with_130():
    child = spawn(wrap=False)
    child.expect("STAND IN THE POSE")
    child.kill(15)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130 and child.signalstatus is None
    assert "stopped at step" in child.before
