"""``render -o -`` never writes WAV bytes onto a terminal, as ``sheet`` and ``export`` do."""

from __future__ import annotations

import os
import sys

import pytest

from pose_coach.terminal import Terminal

REFUSED = (
    "pose-coach: error: audio is binary and stdout is a terminal\n"
    "  hint: write it to a file: -o fall.wav (or redirect: > fall.wav)\n"
)


def test_wav_on_stdout_is_refused_on_a_terminal(cli):
    result = cli("render", "fall", "-o", "-", "--no-voice", terminal=Terminal(stdout_tty=True))
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert result.stderr == REFUSED


@pytest.mark.pty
def test_wav_on_stdout_is_refused_on_a_real_terminal(isolated_home):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pose_coach", "render", "fall", "-o", "-", "--no-voice"],
        dimensions=(24, 80),
        timeout=20,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    child.expect(pexpect.EOF)
    out = child.before
    child.close()
    assert child.exitstatus == 2, out
    assert b"RIFF" not in out
    assert out.replace(b"\r\n", b"\n") == REFUSED.encode()
