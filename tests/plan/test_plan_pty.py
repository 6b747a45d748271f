"""today --play in a real pseudo-terminal: the live view, then the check-in question."""

from __future__ import annotations

import os
import sys

import pytest

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.pty

# pose-coach with the plan's clock set to Monday 3 March 2025, 07:00 UTC
LAUNCH = (
    "import datetime, sys; import pose_coach.plan.schedule as s; "
    "s.current_time = lambda: datetime.datetime(2025, 3, 3, 7, tzinfo=datetime.timezone.utc); "
    "s.local_zone = lambda: datetime.timezone.utc; "
    "from pose_coach.cli import cli; cli(sys.argv[1:], prog_name='pose-coach')"
)


def spawn(*args: str):
    return pexpect.spawn(
        sys.executable,
        ["-c", LAUNCH, *args],
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=20,
        env={**os.environ, "TERM": "xterm-256color"},
    )


def test_play_in_a_terminal_then_one_question_and_a_note(isolated_home):
    start = spawn("plan", "start", "beginner-6-weeks")
    start.expect(pexpect.EOF)
    start.close()
    assert start.exitstatus == 0, start.before
    child = spawn("today", "--play", "--speed", "200", "--lead-in", "0", "--no-sound")
    # hands-free: the warm-up's run-outs go on by themselves, no key is needed
    child.expect("soreness", timeout=30)
    child.sendline("2")
    child.expect("Note")
    child.sendline("light calves")
    child.expect(pexpect.EOF)
    rest = child.before
    child.close()
    assert child.exitstatus == 0, rest
    assert "checked in: 2/10" in rest
    from pose_coach.log import plans
    from pose_coach.log.store import open_log

    with open_log() as log:
        [checkin] = plans.checkins(log)
    assert (checkin.soreness, checkin.note, checkin.week, checkin.day) == (2, "light calves", 1, 1)
