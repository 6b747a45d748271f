"""A big library: 10,000 user drills, and a chain of routines 500 deep. Print the time of
loading the library, `list`, one Tab completion and `validate`, against their targets.

Targets (whole commands, process start included, median of ROUNDS runs):
  - `pose-coach list` with 10,000 user drills: under 1 s (the library index is warm:
    the first run after the files change reads them all and says so, cold)
  - one Tab completion of a drill id with 10,000 user drills: under 200 ms
  - `list` beside a 500-deep chain of routines: under 1 s (checking routines is linear;
    the chain is refused from 64 levels deep, each refusal located)
  - `validate FOLDER` of the 10,000 drills: printed, no target (it must read every file)

    .venv/bin/python benchmarks/scale.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import pose_coach_command, wall_seconds  # noqa: E402

DRILLS = 10_000
CHAIN = 500
TARGETS = {"list": 1.0, "tab": 0.2, "chain list": 1.0}

DRILL = """title: User drill {n}
phase: {phase}
summary: A drill of the scale benchmark, number {n}, as long as a real one's summary.
level: beginner
sets: 2
rest: 10
steps:
  - cue: Stand tall in the pose
    seconds: 10
    say: Stand tall on the ball of the foot, the other foot under the hip.
  - cue: Lean from the ankles
    seconds: 8
    checkpoint: true
  - cue: Pull the foot under the hip
    seconds: 6
    side: both
checkpoints:
  - Body straight from ankles to shoulders
faults:
  - fault: Bending at the waist
    fix: Lean from the ankles with the hips forward
safety:
  - Stop if anything hurts.
"""


def write_drills(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        text = DRILL.format(n=n, phase=("pose", "fall", "pull")[n % 3])
        (folder / f"user-drill-{n:05d}.yaml").write_text(text, encoding="utf-8")


def write_chain(folder: Path, depth: int) -> None:
    """r0 includes r1 ... includes r{depth-1}, which holds a drill; a rest at each level."""
    routines = folder / "routines"
    routines.mkdir(parents=True, exist_ok=True)
    for level in range(depth):
        inner = f"routine: r{level + 1}" if level < depth - 1 else "drill: pose"
        (routines / f"r{level}.yaml").write_text(
            f"title: Chain {level}\nsummary: Level {level}.\nitems:\n  - rest: 1\n  - {inner}\n",
            encoding="utf-8",
        )


def median_seconds(argv: list[str], env: dict[str, str], rounds: int) -> float:
    return statistics.median(wall_seconds(argv, env) for _ in range(rounds))


def in_process_load(home: Path) -> tuple[float, int, int]:
    """Seconds to load the library in this process (index warm), entries, set aside."""
    os.environ["POSE_COACH_HOME"] = str(home)
    from pose_coach.library.catalog import load_catalog

    start = time.perf_counter()
    catalog = load_catalog()
    return time.perf_counter() - start, len(catalog.entries), len(catalog.broken)


def report(name: str, seconds: float, target: float | None) -> None:
    verdict = ""
    if target is not None:
        verdict = f"  (target < {target * 1000:.0f} ms: {'OK' if seconds < target else 'OVER'})"
    print(f"  {name:<44}{seconds * 1000:9.1f} ms{verdict}")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    pose_coach = pose_coach_command()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big"
        chain = Path(tmp) / "chain"
        write_drills(big / "data" / "drills", DRILLS)
        write_chain(chain / "data" / "drills", CHAIN)
        base = {**os.environ, "NO_COLOR": "1"}
        base.pop("POSE_COACH_DRILLS", None)
        env_big = {**base, "POSE_COACH_HOME": str(big)}
        env_chain = {**base, "POSE_COACH_HOME": str(chain)}
        tab = {
            **env_big,
            "_POSE_COACH_COMPLETE": "bash_complete",
            "COMP_WORDS": "pose-coach drill user-drill-0042",
            "COMP_CWORD": "2",
        }

        print(f"{DRILLS} user drills; a chain of {CHAIN} routines; {' '.join(pose_coach)}")
        print(f"median of {rounds} runs, machine load {os.getloadavg()[0]:.1f}")
        cold = wall_seconds([*pose_coach, "list"], env_big)  # reads every file, writes index
        report("list, cold (every file parsed, index written)", cold, None)
        report(
            "list, warm", median_seconds([*pose_coach, "list"], env_big, rounds), TARGETS["list"]
        )
        report(
            "list --json, warm",
            median_seconds([*pose_coach, "list", "--json"], env_big, rounds),
            None,
        )
        done = subprocess.run(pose_coach, env=tab, capture_output=True, text=True)
        offered = len(done.stdout.splitlines())  # bash_complete: one 'type,value' per line
        report(
            f"Tab: drill user-drill-0042<Tab> ({offered} offered)",
            median_seconds(pose_coach, tab, rounds * 2),
            TARGETS["tab"],
        )
        report(
            "validate FOLDER (every file read)",
            median_seconds([*pose_coach, "validate", str(big / "data" / "drills")], env_big, 1),
            None,
        )
        seconds, entries, aside = in_process_load(big)
        report(f"load_catalog in process ({entries} entries)", seconds, None)

        wall_seconds([*pose_coach, "list"], env_chain)  # warm its index
        report(
            f"list beside a {CHAIN}-deep chain, warm",
            median_seconds([*pose_coach, "list"], env_chain, rounds),
            TARGETS["chain list"],
        )
        start = time.perf_counter()
        subprocess.run(
            [*pose_coach, "validate", str(chain / "data" / "drills" / "routines")],
            env=env_chain,
            capture_output=True,
        )
        report(f"validate the {CHAIN} chained routines", time.perf_counter() - start, None)
        shown = subprocess.run(
            [*pose_coach, "show", "r0"], env=env_chain, capture_output=True, text=True
        )
        print(f"  show r0: exit {shown.returncode}, {shown.stderr.splitlines()[0][:100]}")
        seconds, entries, aside = in_process_load(chain)
        report(f"load_catalog in process ({aside} routines refused)", seconds, None)


if __name__ == "__main__":
    main()
