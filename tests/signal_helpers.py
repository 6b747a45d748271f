"""Helpers for tests that stop real pose-coach processes: signals, children, leftovers."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

# the signals the issue names, and two more a supervisor may send
SIGNALS = [signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGALRM, signal.SIGTERM]


def expected_status(signum: int) -> int:
    """The documented exit status: 130 for SIGINT/SIGTERM, 128 + N for any other."""
    return 130 if signum in (signal.SIGINT, signal.SIGTERM) else 128 + signum


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "pose_coach", *args]


def environment(home: Path, tmp: Path, **extra: str) -> dict[str, str]:
    """The test's POSE_COACH_HOME, a private TMPDIR (to see leftovers), a player that
    plays nothing (so sound runs everywhere, CI included)."""
    tmp.mkdir(exist_ok=True)
    env = {**os.environ, "POSE_COACH_HOME": str(home), "TMPDIR": str(tmp)}
    env["POSE_COACH_PLAYER"] = "true"
    env.update(extra)
    return env


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc: Linux)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """``pid`` still runs (a zombie counts as gone: it has exited)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            state = handle.read().rsplit(b")", 1)[1].split()[0]
    except OSError:
        return False
    return state != b"Z"


def wait_for(condition, what: str, timeout: float = 20.0):
    """Poll ``condition()`` until it returns something true (a marker on disk or in /proc);
    fail with ``what`` if it never does. This waits for an event, not for time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


def log_rows(home: Path) -> list[dict]:
    path = home / "data" / "log.sqlite3"
    if not path.exists():
        return []
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute("SELECT * FROM sessions ORDER BY id")]
    finally:
        conn.close()


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
