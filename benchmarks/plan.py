"""Time ``pose-coach today`` (and ``plan status``) with a 5-year practice log.

    .venv/bin/python benchmarks/plan.py [--years 5] [--rounds 15]

Builds the log in a temporary POSE_COACH_HOME: a session most days for five years, a
check-in after each (plans followed and finished one after another), cadence baselines,
and an active beginner plan in its fifth week. Then runs each command as a subprocess,
the way a runner does (with Python's bytecode cache, as after ``pip install``), and
prints the best and median of several runs. Target for ``today``: under 150 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock_time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import pose_coach_command  # noqa: E402

from pose_coach.log import plans  # noqa: E402
from pose_coach.log.store import Part, SessionRecord, format_utc, new_session_id, open_log  # noqa: E402

TARGET_SECONDS = 0.150
PLAN = "beginner-6-weeks"
DAYS = (0, 2, 5)


def _moment(day: date, hour: int = 7) -> datetime:
    return datetime.combine(day, clock_time(hour), tzinfo=timezone.utc)


def build_log(home: Path, years: float, seed: int = 15) -> dict[str, int]:
    """The 5-year log; returns how many rows of each kind it holds."""
    rng = random.Random(seed)
    os.environ["POSE_COACH_HOME"] = str(home)
    today = datetime.now(timezone.utc).date()
    first = today - timedelta(days=int(years * 365.25))
    sessions, checkins = [], 0
    with open_log() as log:
        conn = log.conn
        day = first
        enrollment = None
        done_in_plan = 0
        while day < today - timedelta(days=35):
            if enrollment is None:  # a finished plan every 18 sessions, then a new one
                conn.execute(
                    "INSERT INTO plan_enrollments (plan_id, plan_title, start_date, days,"
                    " started_at, ended_at, end_reason) VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                    (
                        PLAN,
                        "Six-week transition",
                        day.isoformat(),
                        "0,2,5",
                        format_utc(_moment(day)),
                    ),
                )
                enrollment = conn.execute("SELECT last_insert_rowid()").fetchone()[0]
            if rng.random() < 0.8:
                moment = _moment(day)
                record = SessionRecord(
                    session_id=new_session_id(),
                    id="warmup",
                    kind="routine",
                    title="Pre-run warm-up",
                    phases=("pose", "pull", "fall"),
                    started_at=format_utc(moment),
                    planned_seconds=393.0,
                    actual_seconds=393.0,
                    steps_done=36,
                    steps_total=36,
                    sets_done=9,
                    sets_total=9,
                    outcome="completed",
                    speed=1.0,
                    app_version="0.1.0",
                    parts=(Part("fall", "Fall", "fall", 120.0), Part("pose", "Pose", "pose", 90.0)),
                )
                sessions.append(record)
                epoch = int(moment.timestamp())
                conn.execute(
                    "INSERT INTO plan_days (enrollment, week, day, status, on_date, recorded_at,"
                    " recorded_epoch, session_id) VALUES (?, 1, 1, 'done', ?, ?, ?, ?)",
                    (enrollment, day.isoformat(), record.started_at, epoch, record.session_id),
                )
                conn.execute(
                    "INSERT INTO checkins (enrollment, plan_id, week, day, on_date, recorded_at,"
                    " recorded_epoch, soreness) VALUES (?, ?, 1, 1, ?, ?, ?, ?)",
                    (
                        enrollment,
                        PLAN,
                        day.isoformat(),
                        record.started_at,
                        epoch + 600,
                        rng.randint(0, 3),
                    ),
                )
                checkins += 1
                done_in_plan += 1
                if done_in_plan == 18:
                    conn.execute(
                        "UPDATE plan_enrollments SET ended_at = ?, end_reason = 'finished'"
                        " WHERE id = ?",
                        (format_utc(_moment(day, 20)), enrollment),
                    )
                    enrollment, done_in_plan = None, 0
            if day.day == 1:
                plans.add_baseline(
                    log,
                    plans.CadenceBaseline(
                        rng.randint(160, 176),
                        "count",
                        format_utc(_moment(day)),
                        int(_moment(day).timestamp()),
                        42,
                        30,
                    ),
                )
            day += timedelta(days=1)
        if enrollment is not None:
            conn.execute(
                "UPDATE plan_enrollments SET ended_at = ?, end_reason = 'stopped' WHERE id = ?",
                (format_utc(_moment(day)), enrollment),
            )
        log.add(sessions)
        # the active plan: started 29 days ago, every session done and checked in so far
        start = today - timedelta(days=29)
        active = plans.start_enrollment(
            log, PLAN, "Six-week transition", start, DAYS, _moment(start, 6)
        )
        for n in range(29):
            day = start + timedelta(days=n)
            if day.weekday() in DAYS:
                plans.add_plan_day(log, active.id, 0, 0, "done", day, _moment(day))
                plans.add_checkin(
                    log,
                    plans.Checkin(
                        day,
                        format_utc(_moment(day, 8)),
                        int(_moment(day, 8).timestamp()),
                        rng.randint(0, 2),
                    ),
                )
                checkins += 1
        counts = {
            table: conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in (
                "sessions",
                "session_parts",
                "plan_enrollments",
                "plan_days",
                "checkins",
                "cadence_baselines",
            )
        }
    return counts


def wall_seconds(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child): the CPU time moves less on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def in_process_ms(home: str, runs: int = 20) -> float:
    """Median ms of ``today`` run again and again in this process: reading the 5-year
    log, replaying the plan and printing, without Python's start-up and imports."""
    import contextlib
    import io

    from pose_coach.cli import cli

    os.environ["POSE_COACH_HOME"] = home

    def once() -> float:
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
            cli(["today"], prog_name="pose-coach")
        return time.perf_counter() - start

    once()  # imports
    return statistics.median(once() for _ in range(runs)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    pose_coach = pose_coach_command()
    with tempfile.TemporaryDirectory() as home:
        counts = build_log(Path(home), args.years)
        env = {**os.environ, "POSE_COACH_HOME": home, "NO_COLOR": "1"}
        env.pop("POSE_COACH_DRILLS", None)
        # as installed: Python's compiled modules cached (pip writes them at install; a
        # shell with PYTHONDONTWRITEBYTECODE would time compiling every module instead)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        commands = {
            "pose-coach today": [*pose_coach, "today"],
            "pose-coach today --json": [*pose_coach, "today", "--json"],
            "pose-coach plan status": [*pose_coach, "plan", "status"],
            "pose-coach list": [*pose_coach, "list"],
            'python -c "import click"': [sys.executable, "-c", "import click"],
        }
        for argv in commands.values():
            wall_seconds(argv, env)  # warm the file cache
        times: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                wall, used = wall_seconds(argv, env)
                times[name].append(wall)
                cpu[name].append(used)
        work = in_process_ms(home)
    print(f"log: {', '.join(f'{n} {t}' for t, n in counts.items())} ({args.years:g} years)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"{'command':<28}{'best ms':>9}{'median ms':>11}{'median CPU ms':>15}")
    for name, values in times.items():
        print(
            f"{name:<28}{min(values) * 1000:>9.1f}{statistics.median(values) * 1000:>11.1f}"
            f"{statistics.median(cpu[name]) * 1000:>15.1f}"
        )
    print(f"today in one process, after its imports (what a bigger log could slow): {work:.1f} ms")
    median = statistics.median(times["pose-coach today"])
    verdict = "OK" if median <= TARGET_SECONDS else "OVER TARGET"
    print(
        f"today: median {median * 1000:.0f} ms (target < {TARGET_SECONDS * 1000:.0f} ms): {verdict}"
    )


if __name__ == "__main__":
    main()
