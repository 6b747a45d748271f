"""Time ``pose-coach run`` against fitdecode alone reading the same file.

    .venv/bin/python benchmarks/run.py [--repeat N]

Files: the shared 9 km run (../shared/data/fit/activity-small-fenix2-run.fit, when
present), and two synthetic runs the tests' writer makes with fit-tool
(tests/activity_files.py): a 1-hour and a 3-hour run, one record a second, with every
running-dynamics field and Stryd's developer fields, walk breaks, a pause, and a balance
that leans left, so the feedback, the fault index and its drills are all part of the run.

Two measurements, both in CPU seconds (the machine is shared: wall time is shown beside):

1. In this process, after a first warm-up call: fitdecode alone (``for frame in
   FitReader(path)``, its defaults) against the whole command (``pose-coach run FILE``,
   its text report to /dev/null, the run stored in a temporary practice log), and against
   pose-coach's own decoding stage (``source.decode``). "added" is what the rest of the
   command (cleaning, measures, baseline, feedback, drills, report, log) costs on top of
   decoding, as a share of fitdecode alone. Target: ≤ 20 %. The command's decoding is
   itself a little faster than fitdecode's defaults: it checks the CRC itself, with a
   table, and asks for raw timestamps (no datetime per record).
2. The command as a runner starts it, a new process each time (interpreter, imports and
   all). Target: the 1-hour run in under 1 s.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the synthetic run writer

from activity_files import one_hour, three_hours, write_fit  # noqa: E402
from startup import pose_coach_command  # noqa: E402

NINE_KM = ROOT / ".." / "shared" / "data" / "fit" / "activity-small-fenix2-run.fit"
OVERHEAD_TARGET = 0.20
ONE_HOUR_TARGET = 1.0


def cpu_wall(action) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def fitdecode_alone(path: Path) -> None:
    import fitdecode

    with fitdecode.FitReader(str(path)) as reader:
        for _ in reader:
            pass


def own_decoding(path: Path) -> None:
    from pose_coach.activity.source import decode, load_source

    decode(load_source(path))


def command_in_process(path: Path) -> None:
    from pose_coach.cli import cli

    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        try:
            cli.main(["run", str(path)], prog_name="pose-coach", standalone_mode=False)
        except SystemExit as stop:  # noqa: PERF203
            if stop.code:
                raise


def command_process(path: Path, env: dict[str, str]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(
        [*pose_coach_command(), "run", str(path)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def best(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return min(s[0] for s in samples), statistics.median(s[1] for s in samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        os.environ["POSE_COACH_HOME"] = str(home)
        os.environ["NO_COLOR"] = "1"
        os.environ.pop("POSE_COACH_NO_LOG", None)
        env = dict(os.environ)
        files: list[tuple[str, Path]] = []
        if NINE_KM.exists():
            files.append(("9 km run (shared, fenix 2)", NINE_KM))
        else:
            print(f"(no {NINE_KM}: the shared 9 km run is left out)")
        started = time.perf_counter()
        files.append(
            ("1-hour synthetic run", write_fit(Path(folder) / "hour.fit", one_hour(), stryd=True))
        )
        files.append(
            (
                "3-hour synthetic run",
                write_fit(Path(folder) / "three.fit", three_hours(), stryd=True),
            )
        )
        print(f"synthetic files written with fit-tool in {time.perf_counter() - started:.1f} s\n")

        print(
            f"{'file':28} {'size':>8} {'fitdecode':>10} {'decoding':>9} {'pose-coach':>11}"
            f" {'added':>7} {'new process':>12}"
        )
        verdicts = []
        for label, path in files:
            fitdecode_alone(path)
            command_in_process(path)  # imports and the first library load: not counted here
            decode, own, run = [], [], []
            for _ in range(options.repeat):  # interleaved, so a busy moment hits all three
                decode.append(cpu_wall(lambda p=path: fitdecode_alone(p)))
                own.append(cpu_wall(lambda p=path: own_decoding(p)))
                run.append(cpu_wall(lambda p=path: command_in_process(p)))
            fresh = [command_process(path, env) for _ in range(max(3, options.repeat // 2))]
            decode_cpu, decode_wall = best(decode)
            own_cpu, own_wall = best(own)
            run_cpu, run_wall = best(run)
            fresh_cpu, fresh_wall = best(fresh)
            added = (run_cpu - own_cpu) / decode_cpu
            print(
                f"{label:28} {path.stat().st_size / 1024:6.0f} kB {decode_cpu:9.3f}s "
                f"{own_cpu:8.3f}s {run_cpu:10.3f}s {added:+6.0%} {fresh_cpu:11.3f}s"
            )
            print(
                f"{'  (wall, median)':28} {'':8} {decode_wall:9.3f}s {own_wall:8.3f}s "
                f"{run_wall:10.3f}s {'':7} {fresh_wall:11.3f}s"
            )
            verdicts.append((label, added, fresh_cpu, run_cpu / decode_cpu - 1))
        print()
        for label, added, fresh_cpu, whole in verdicts:
            ok = "meets" if added <= OVERHEAD_TARGET else "MISSES"
            print(
                f"{label}: analysis and report add {added:+.0%} to decoding: {ok} ≤ +20 % "
                f"(the whole command against fitdecode alone: {whole:+.0%})"
            )
            if label.startswith("1-hour"):
                ok = "meets" if fresh_cpu < ONE_HOUR_TARGET else "MISSES"
                print(f"{label}: {fresh_cpu:.2f} s CPU as a new process: {ok} < 1 s")


if __name__ == "__main__":
    main()
