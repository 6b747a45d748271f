"""Print how long each export takes for every built-in routine, and the lazy imports' cost.

.venv/bin/python benchmarks/export.py
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from datetime import time as clock_time
from functools import partial

from pose_coach.library.catalog import load_catalog
from pose_coach.render.export.fit import fit_bytes, plan_workout
from pose_coach.render.export.ics import Schedule, description_text, ics_bytes
from pose_coach.render.export.json import json_bytes
from pose_coach.timeline import compile_timeline


def best_ms(run, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def import_ms(module: str) -> float:
    """Cold import in a fresh interpreter, best of 3."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(3)
    ]
    return min(runs) * 1000


def main() -> None:
    catalog = load_catalog()
    plan = Schedule(clock_time(7, 0), ("MO", "WE", "FR"), weeks=6, start=date(2025, 1, 6))
    print(
        f"{'routine':<12} {'steps':>5} {'fit ms':>7} {'fit B':>6} {'ics ms':>7} {'ics B':>6}"
        f" {'json ms':>7} {'json B':>6}"
    )
    for entry_id in catalog.ids("routine"):
        entry = catalog.get(entry_id)
        timeline = compile_timeline(entry, catalog.entries)
        text = description_text(timeline, entry, catalog.entries, "pose-coach", dose_changed=False)
        fit = fit_bytes(timeline, max_steps=4096)
        ics = ics_bytes(timeline, plan, text)
        js = json_bytes(timeline)
        print(
            f"{entry_id:<12} {len(plan_workout(timeline)):>5}"
            f" {best_ms(partial(fit_bytes, timeline, max_steps=4096)):>7.1f} {len(fit):>6}"
            f" {best_ms(partial(ics_bytes, timeline, plan, text)):>7.1f} {len(ics):>6}"
            f" {best_ms(partial(json_bytes, timeline)):>7.1f} {len(js):>6}"
        )
    for module in ("fit_tool.fit_file_builder", "icalendar"):
        print(f"cold import {module}: {import_ms(module):.0f} ms")


if __name__ == "__main__":
    main()
