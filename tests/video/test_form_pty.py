"""`pose-coach form` on a real terminal: the progress bar (frames, time left) is drawn,
and LiteRT's own log lines never reach the screen."""

from __future__ import annotations

import os
import re
import sys

import pytest
from clip_files import needs_stack

pexpect = pytest.importorskip("pexpect")
pytestmark = [pytest.mark.pty, needs_stack]

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def test_progress_on_a_terminal_and_no_native_log_lines(clips, tmp_path):
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pose_coach", "form", str(clips["landscape"]), "--no-log"],
        dimensions=(30, 120),
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "TERM": "xterm-256color", "POSE_COACH_HOME": str(tmp_path)},
    )
    child.expect(pexpect.EOF)
    text = ESCAPES.sub("", child.before)
    child.close()
    assert child.exitstatus == 1, text  # the test pattern holds nobody
    assert "Reading the clip" in text and "frames" in text
    assert "pose-coach: error: no person found in the clip" in text
    for noise in ("INFO:", "W0000", "XNNPACK", "landmark_projection_calculator"):
        assert noise not in text
