"""How long a cue sheet takes: the PDF of the largest built-in routine in a fresh process.

    .venv/bin/python benchmarks/sheet.py

The target (issue 7) is under 0.5 s for ``pose-coach sheet ROUTINE -o x.pdf`` including
Python's start and every import. The machine may be busy with other work, so besides
wall time the script prints the CPU time of the child process (user + system), which
is what the code itself costs; both are the best of several runs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pose_coach.describe import entry_seconds
from pose_coach.library.catalog import load_catalog
from pose_coach.library.model import ItemKind, Routine

RUNS = 7


def largest_routine() -> Routine:
    """The built-in routine with the most drills (then the longest)."""
    library = load_catalog().entries
    routines = [e for e in library.values() if isinstance(e, Routine) and e.source == "builtin"]

    def size(routine: Routine) -> tuple[int, float]:
        drills = sum(1 for item in routine.items if item.kind is ItemKind.DRILL)
        return drills, entry_seconds(routine, library)

    return max(routines, key=size)


def run_child(args: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(args: list[str]) -> tuple[float, float]:
    runs = [run_child(args) for _ in range(RUNS)]
    return min(w for w, _ in runs), min(c for _, c in runs)


def main() -> None:
    routine = largest_routine()
    exe = [sys.executable, "-m", "pose_coach"]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "sheet.pdf"
        print(
            f"largest built-in routine: {routine.id} "
            f"({sum(1 for i in routine.items if i.kind is ItemKind.DRILL)} drills), "
            f"best of {RUNS} runs, in a fresh process each time"
        )
        print(f"{'command':<44} {'wall ms':>8} {'cpu ms':>8}")
        rows = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("pose-coach --help", exe + ["--help"]),
            (f"pose-coach sheet {routine.id}  (text)", exe + ["sheet", routine.id]),
            (
                f"pose-coach sheet {routine.id} -o x.html",
                exe + ["sheet", routine.id, "-o", str(out.with_suffix(".html"))],
            ),
            (
                f"pose-coach sheet {routine.id} -o x.pdf",
                exe + ["sheet", routine.id, "-o", str(out)],
            ),
            (
                "  same, --notes --paper letter",
                exe + ["sheet", routine.id, "-o", str(out), "--notes", "--paper", "letter"],
            ),
        ]
        for label, args in rows:
            wall, cpu = best(args)
            print(f"{label:<44} {wall * 1000:8.0f} {cpu * 1000:8.0f}")
        size = os.path.getsize(out)
        print(f"PDF size: {size / 1024:.0f} KiB")
        code = "import time; t = time.perf_counter(); import fpdf; print(time.perf_counter() - t)"
        imports = [
            float(
                subprocess.run(
                    [sys.executable, "-c", code], capture_output=True, text=True, check=True
                ).stdout
            )
            for _ in range(3)
        ]
        print(f"import fpdf alone: {min(imports) * 1000:.0f} ms (only the PDF writer pays it)")


if __name__ == "__main__":
    main()
