"""`pose-coach run` on a real terminal: band colours, and NO_COLOR meaning no codes at all."""

from __future__ import annotations

import os
import re
import sys

import pytest

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.pty

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[a-zA-Z]")


def _run_on_a_terminal(path, **env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pose_coach", "run", str(path), "--no-log"],
        dimensions=(40, 120),
        encoding="utf-8",
        timeout=30,
        env={**environ, "TERM": "xterm-256color", **env},
    )
    child.expect(pexpect.EOF)
    text = child.before
    child.close()
    assert child.exitstatus == 0, text
    return text


def test_a_terminal_gets_the_band_colours(fit_files):
    text = _run_on_a_terminal(fit_files["standard"])
    assert ESCAPES.search(text)
    assert "Main part: 5.79 km at 5:09/km" in ESCAPES.sub("", text)


def test_no_color_on_a_terminal_is_plain_text(fit_files):
    text = _run_on_a_terminal(fit_files["standard"], NO_COLOR="1")
    assert "\x1b" not in text
    assert "Main part: 5.79 km at 5:09/km" in text
