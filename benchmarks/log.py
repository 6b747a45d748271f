"""Time ``pose-coach stats`` (and friends) on a 10-year practice log of 20,000 sessions.

    .venv/bin/python benchmarks/log.py [--sessions N]

Builds the log in a temporary POSE_COACH_HOME, then runs each command as a subprocess,
the way a runner does, and prints the best and median of several runs. Target for
``stats``: under 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from pose_coach.log.store import Part, SessionRecord, new_session_id, open_log

DRILLS = [
    ("pose", "pose"),
    ("ball-of-foot-perception", "pose"),
    ("jumps-in-place", "pose"),
    ("fall", "fall"),
    ("wall-fall", "fall"),
    ("leaning-hops", "fall"),
    ("pull", "pull"),
    ("wall-pull", "pull"),
    ("change-of-support", "pull"),
]
TARGET_SECONDS = 0.3


def fake_log(count: int, years: float = 10.0, seed: int = 8) -> list[SessionRecord]:
    """``count`` sessions spread over ``years`` up to now: drills and 3-6 drill routines."""
    rng = random.Random(seed)
    end = datetime.now(timezone.utc)
    span = years * 365.25 * 86400
    records = []
    for _ in range(count):
        started = end - timedelta(seconds=rng.random() * span)
        routine = rng.random() < 0.3
        picks = rng.sample(DRILLS, rng.randint(3, 6)) if routine else [rng.choice(DRILLS)]
        parts = tuple(
            Part(d, d.replace("-", " ").title(), p, float(rng.randint(30, 240))) for d, p in picks
        )
        played = sum(part.seconds for part in parts)
        outcome = rng.choices(["completed", "quit", "interrupted"], [85, 10, 5])[0]
        records.append(
            SessionRecord(
                session_id=new_session_id(),
                id="warmup" if routine else picks[0][0],
                kind="routine" if routine else "drill",
                title="Pre-run warm-up" if routine else parts[0].title or "",
                phases=tuple(dict.fromkeys(p for _, p in picks)),
                started_at=started.isoformat(timespec="seconds"),
                planned_seconds=played + 3,
                actual_seconds=played + 3,
                steps_done=8,
                steps_total=8,
                sets_done=2,
                sets_total=2,
                outcome=outcome,
                speed=1.0,
                app_version="0.1.0",
                parts=parts,
            )
        )
    return records


def run_times(args: list[str], env: dict[str, str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pose_coach", *args],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "POSE_COACH_HOME": home, "NO_COLOR": "1"}
        env.pop("POSE_COACH_NO_LOG", None)
        os.environ["POSE_COACH_HOME"] = home
        records = fake_log(options.sessions)
        start = time.perf_counter()
        with open_log() as log:
            log.add(records)
        built = time.perf_counter() - start
        size = Path(home, "data", "log.sqlite3").stat().st_size
        parts = sum(len(r.parts) for r in records)
        print(
            f"log: {options.sessions:,} sessions ({parts:,} drill parts) over 10 years, "
            f"{size / 1e6:.1f} MB; written in one transaction in {built:.2f} s"
        )

        one = fake_log(1, years=0.01, seed=1)
        start = time.perf_counter()
        with open_log() as log:
            log.add(one)
        print(
            f"recording one more session (open, check, insert, commit): "
            f"{(time.perf_counter() - start) * 1000:.1f} ms"
        )

        print(f"\n{'command (subprocess)':42} {'best':>8} {'median':>8}")
        rows = [
            ("pose-coach --help (startup alone)", ["--help"]),
            ("pose-coach stats", ["stats"]),
            ("pose-coach stats --json", ["stats", "--json"]),
            ("pose-coach stats --weeks 520 --json", ["stats", "--weeks", "520", "--json"]),
            ("pose-coach log", ["log"]),
            ("pose-coach log --json --limit 0", ["log", "--json", "--limit", "0"]),
            ("pose-coach log export --format csv -o -", ["log", "export", "--format", "csv"]),
        ]
        results = {}
        for label, args in rows:
            times = run_times(args, env, options.repeat)
            results[label] = times
            print(f"{label:42} {min(times):7.3f}s {statistics.median(times):7.3f}s")
        median = statistics.median(results["pose-coach stats"])
        verdict = "meets" if median < TARGET_SECONDS else "MISSES"
        print(f"\nstats median {median:.3f} s {verdict} the {TARGET_SECONDS} s target")


if __name__ == "__main__":
    main()
