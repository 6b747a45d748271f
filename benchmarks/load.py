"""Generate 1,000 drill files, time `pose-coach validate DIR`, print the time per file.

Target: the 1,000 files validated in under 2 s (the whole command, start-up included).
Also prints the in-process cost of one `load_file`, to tell parsing from start-up.

    .venv/bin/python benchmarks/load.py [FILES]
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
from startup import pose_coach_command  # noqa: E402

TARGET_SECONDS = 2.0
PHASES = ("pose", "fall", "pull")


def drill_text(n: int) -> str:
    """A drill the size of a built-in one: six steps, checkpoints, faults, safety."""
    steps = "".join(
        f"  - cue: Step {i} of drill {n}, lean from the ankles\n"
        f"    seconds: {5 + i}\n"
        f"    say: Say the longer form of step {i} out loud.\n"
        + ("    checkpoint: true\n" if i % 2 else "")
        + ("    side: both\n" if i == 3 else "")
        for i in range(6)
    )
    return (
        f"title: Generated drill {n}\n"
        f"phase: {PHASES[n % 3]}\n"
        "summary: >\n  A generated drill for the load benchmark. It is as long as a\n"
        "  built-in drill's summary, over two lines.\n"
        "level: beginner\nequipment: [wall]\nsets: 3\nrest: 0:20\n"
        f"steps:\n{steps}"
        "checkpoints:\n  - Body straight\n  - Heels light\n  - Eyes forward\n"
        "faults:\n  - fault: Bending at the waist\n    fix: Lean from the ankles\n"
        "  - fault: Pushing off\n    fix: Pull the foot up instead\n"
        "safety:\n  - Stop if anything hurts.\n"
    )


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "drills"
        folder.mkdir()
        for n in range(count):
            (folder / f"drill-{n:04d}.yaml").write_text(drill_text(n), encoding="utf-8")
        env = {**os.environ, "POSE_COACH_HOME": str(Path(tmp) / "home"), "NO_COLOR": "1"}
        env.pop("POSE_COACH_DRILLS", None)
        argv = [*pose_coach_command(), "validate", str(folder)]
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            done = subprocess.run(argv, env=env, capture_output=True, text=True)
            runs.append(time.perf_counter() - start)
            if done.returncode != 0:
                sys.exit(f"validate failed:\n{done.stderr[:2000]}")
        total = statistics.median(runs)

        from pose_coach.library.loader import load_file

        files = sorted(folder.glob("*.yaml"))
        start = time.perf_counter()
        for path in files:
            load_file(path)
        in_process = time.perf_counter() - start

    verdict = "OK" if total < TARGET_SECONDS else "OVER TARGET"
    print(f"{count} drill files, median of {len(runs)} runs of `pose-coach validate DIR`")
    print(f"  whole command     {total:7.3f} s  (target < {TARGET_SECONDS} s: {verdict})")
    print(f"  per file          {total / count * 1000:7.3f} ms")
    print(f"  load_file alone   {in_process / count * 1000:7.3f} ms per file (in process)")


if __name__ == "__main__":
    main()
