"""How exactly do cues land, and what does playing cost? A 60-second drill at real speed.

    .venv/bin/python benchmarks/timing.py            # both runs, about 2 minutes 10 s
    .venv/bin/python benchmarks/timing.py --json     # only the JSON run
    .venv/bin/python benchmarks/timing.py --live     # only the live view
    .venv/bin/python benchmarks/timing.py --first    # only spawn to first frame, 10 runs

Writes a synthetic drill of 60 one-second steps into a temporary POSE_COACH_DRILLS
folder and plays it twice as a separate process, reading its output here as it comes:

- ``--json`` into a pipe: each line is timestamped on arrival;
- the live view in a 200×60 pseudo-terminal (stdin too, so keys are read as for a
  person), the biggest layout the view draws: each cue's onset is when its
  ``step N/60`` header first reaches the screen;
- spawn to first frame: from starting the process to the live view's first frame
  (its header, written with the rest of the frame at once) in the same pty, ten times,
  after one run that builds the library index (reported apart). The player's CPU time
  is shown too (by the first frame, from /proc in 10 ms ticks; and in all, from
  ``wait4``): on a busy machine it says more than the wall time does. Modules run from
  their compiled bytecode, as after ``pip install``.

Onset error = arrival − (start + planned ``at``). The player's start is not visible from
here, so it is taken from the line (or frame) that arrived earliest relative to its plan:
the constant cost of the pipe or pty cancels out, and one slow first line (the reader
still starting, a busy CPU) cannot shift every figure. So the errors are how much later
than the most punctual event each one arrived: lateness and jitter, never negative. End
drift is the same figure for the end of the session. CPU is
the player's user+system time between the start and the end line (from
/proc/PID/stat), as % of one core, so interpreter start-up is not counted; the total
including start-up is shown too. Targets: p99 ≤ 5 ms, drift ≤ 5 ms, live CPU ≤ 0.5 %,
first frame ≤ 150 ms.
Linux only (/proc, pty).
"""

from __future__ import annotations

import json
import os
import pty
import re
import select
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEPS = 60
LEAD_IN = 3.0
ROWS, COLUMNS = 60, 200  # the live view's pty
FIRST_FRAME_RUNS = 10
TICKS = os.sysconf("SC_CLK_TCK")


def write_drill(folder: Path) -> None:
    lines = [
        "title: Timing benchmark",
        "phase: pose",
        "summary: Sixty one-second beats.",
        "steps:",
    ]
    for i in range(1, STEPS + 1):
        lines += [f"  - cue: Beat {i}", "    seconds: 1"]
    (folder / "bench.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "pose_coach", "drill", "bench", *extra]


def run_json(env: dict[str, str]) -> dict:
    proc = subprocess.Popen(command("--json"), stdout=subprocess.PIPE, env=env)
    assert proc.stdout is not None
    arrivals: list[tuple[float, dict]] = []
    cpu0 = cpu1 = 0.0
    for raw in proc.stdout:  # line by line, as the player flushes them
        now = time.monotonic()
        event = json.loads(raw)
        arrivals.append((now, event))
        if event["event"] == "session_start":
            cpu0 = cpu_seconds(proc.pid)
        elif event["event"] == "session_end":
            cpu1 = cpu_seconds(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    t0 = min(t - e["at"] for t, e in arrivals)
    onsets = [(t - t0) - e["at"] for t, e in arrivals if e["event"] == "cue"]
    end_t, end = arrivals[-1]
    return {
        "onsets": onsets,
        "drift": (end_t - t0) - end["at"],
        "wall": end_t - arrivals[0][0],
        "cpu": cpu1 - cpu0,
        "cpu_total": usage.ru_utime + usage.ru_stime,
        "rc": proc.returncode,
        "note": f"{len(arrivals)} lines",
    }


def spawn_in_pty(env: dict[str, str]) -> tuple[subprocess.Popen, int, int]:
    """The live view in a ROWS×COLUMNS pty: the process, the master and the slave end."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    proc = subprocess.Popen(
        command("--no-sound"),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env={**env, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    return proc, master, slave


def first_frame_once(env: dict[str, str]) -> tuple[float, float, float]:
    """(seconds from spawn to the first frame, the player's CPU seconds by then, its CPU
    seconds in all, quitting included) of one run."""
    spawned = time.monotonic()
    proc, master, slave = spawn_in_pty(env)
    os.close(slave)
    buffer = ""
    while f"{STEPS} steps" not in buffer:
        ready, _, _ = select.select([master], [], [], 10.0)
        if not ready:
            raise RuntimeError("no first frame in 10 s")
        buffer += os.read(master, 65536).decode("utf-8", "replace")
    wall = time.monotonic() - spawned
    cpu = cpu_seconds(proc.pid)
    os.write(master, b"q")
    while True:  # drain until the player closes the pty
        try:
            if not os.read(master, 65536):
                break
        except OSError:
            break
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    return wall, cpu, usage.ru_utime + usage.ru_stime


def run_first_frame(env: dict[str, str]) -> dict:
    """One run with the library index still to build (the first session after installing
    or upgrading), then FIRST_FRAME_RUNS with it in place, as every later session."""
    cold = first_frame_once(env)
    warm = [first_frame_once(env) for _ in range(FIRST_FRAME_RUNS)]
    return {"cold": cold, "warm": warm}


def run_live(env: dict[str, str]) -> dict:
    proc, master, slave = spawn_in_pty(env)
    os.close(slave)
    buffer = ""
    start_t: float | None = None
    end_t: float | None = None
    cpu0 = cpu1 = 0.0
    onset_times: dict[int, float] = {}
    received = 0
    deadline = time.monotonic() + LEAD_IN + STEPS + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the player closed the terminal
            break
        if not chunk:
            break
        now = time.monotonic()
        received += len(chunk)
        buffer += chunk.decode("utf-8", "replace")
        if start_t is None and f"{STEPS} steps" in buffer:  # the first frame: countdown
            start_t, cpu0 = now, cpu_seconds(proc.pid)
        n = len(onset_times) + 1
        while n <= STEPS and f"step {n}/{STEPS}" in buffer:
            onset_times[n] = now
            n += 1
        if end_t is None and re.search(r"completed \d+ steps", buffer):
            end_t, cpu1 = now, cpu_seconds(proc.pid)
        buffer = buffer[-4096:]  # markers are never split across more than this
    _, status, usage = os.wait4(proc.pid, 0)
    os.close(master)
    assert start_t is not None and end_t is not None, "the live view never showed the session"
    planned = {n: LEAD_IN + n - 1 for n in onset_times}
    # not the first frame: the live view draws "get ready" before the session clock starts
    t0 = min(onset_times[n] - planned[n] for n in onset_times)
    onsets = [(onset_times[n] - t0) - planned[n] for n in sorted(onset_times)]
    return {
        "onsets": onsets,
        "drift": (end_t - t0) - (LEAD_IN + STEPS),
        "wall": end_t - start_t,
        "cpu": cpu1 - cpu0,
        "cpu_total": usage.ru_utime + usage.ru_stime,
        "rc": os.waitstatus_to_exitcode(status),
        "note": f"{len(onsets)}/{STEPS} cues seen, {received / 1024:.0f} KiB drawn",
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def report(name: str, r: dict) -> None:
    ms = [x * 1000 for x in r["onsets"]]
    print(
        f"{name:<10} onset error p50 {percentile(ms, 0.5):6.2f} ms  "
        f"p99 {percentile(ms, 0.99):6.2f} ms  max {max(ms):6.2f} ms   "
        f"end drift {r['drift'] * 1000:+6.2f} ms   "
        f"CPU {100 * r['cpu'] / r['wall']:5.2f} % of a core "
        f"({r['cpu'] * 1000:.0f} ms in {r['wall']:.1f} s; "
        f"{r['cpu_total'] * 1000:.0f} ms with start-up)   "
        f"exit {r['rc']}   {r['note']}"
    )
    print(
        f"{'':<10} mean onset error {statistics.mean(ms):.2f} ms; the first cue "
        f"arrived {r['onsets'][0] * 1000:.2f} ms later than the most punctual one"
    )


def report_first_frame(runs: dict) -> None:
    wall = sorted(w * 1000 for w, _, _ in runs["warm"])
    cpu = statistics.median(c * 1000 for _, c, _ in runs["warm"])
    total = statistics.median(t * 1000 for _, _, t in runs["warm"])
    print(
        f"{'first':<10} spawn to first frame of the live view ({COLUMNS}×{ROWS} pty): "
        f"median {statistics.median(wall):.0f} ms, min {wall[0]:.0f} ms, max {wall[-1]:.0f} ms "
        f"({len(wall)} runs); CPU by the first frame {cpu:.0f} ms, "
        f"{total:.0f} ms in all (quitting included), medians"
    )
    wall1, cpu1, total1 = runs["cold"]
    print(
        f"{'':<10} the run before, building the library index: {wall1 * 1000:.0f} ms, "
        f"CPU {cpu1 * 1000:.0f} ms by the first frame, {total1 * 1000:.0f} ms in all"
    )


def main(argv: list[str]) -> None:
    everything = ["--json", "--live", "--first"]
    modes = [m for m in everything if m in argv] or everything
    with tempfile.TemporaryDirectory(prefix="pose-coach-bench-") as tmp:
        folder = Path(tmp)
        (folder / "drills").mkdir()
        write_drill(folder / "drills")
        env = {
            **os.environ,
            "POSE_COACH_DRILLS": str(folder / "drills"),
            "POSE_COACH_HOME": str(folder / "home"),  # never the user's log or config
            "POSE_COACH_NO_LOG": "1",
        }
        env.pop("NO_COLOR", None)
        # as installed: Python's compiled modules cached (pip writes them at install; a
        # shell with PYTHONDONTWRITEBYTECODE would time compiling every module instead)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        print(
            f"{STEPS} one-second steps after a {LEAD_IN:.0f} s lead-in, real speed; "
            f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        results = {}
        for mode in modes:
            name = mode.lstrip("-")
            if mode == "--first":
                report_first_frame(run_first_frame(env))
                continue
            results[name] = run_json(env) if mode == "--json" else run_live(env)
            report(name, results[name])
    print(
        "targets    p99 <= 5 ms, end drift <= 5 ms, live view CPU <= 0.5 % of a core, "
        "first frame <= 150 ms"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
