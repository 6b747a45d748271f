"""Print median wall times of `pose-coach --help`, `pose-coach list` and a bare click import.

All commands run in the same session, interleaved round by round so a busy machine
slows each of them alike; the ratios are what matter. Target: `--help` at most 1.5× the
bare `python -c "import click"`.

    .venv/bin/python benchmarks/startup.py [ROUNDS]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_HELP_RATIO = 1.5


def pose_coach_command() -> list[str]:
    """The installed entry point beside this interpreter, else ``python -m pose_coach``."""
    script = Path(sys.executable).with_name("pose-coach")
    if script.exists():
        return [str(script)]
    found = shutil.which("pose-coach")
    return [found] if found else [sys.executable, "-m", "pose_coach"]


def wall_seconds(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    pose_coach = pose_coach_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        'python -c "import click"': [sys.executable, "-c", "import click"],
        "pose-coach --help": [*pose_coach, "--help"],
        "pose-coach list": [*pose_coach, "list"],
    }
    with tempfile.TemporaryDirectory() as home:
        # a private, empty user library, and no colour: the numbers of a clean install
        env = {**os.environ, "POSE_COACH_HOME": home, "NO_COLOR": "1"}
        env.pop("POSE_COACH_DRILLS", None)
        for argv in commands.values():  # warm the OS file cache first
            wall_seconds(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(rounds):
            for name, argv in commands.items():
                times[name].append(wall_seconds(argv, env))
    median = {name: statistics.median(values) for name, values in times.items()}
    click_time = median['python -c "import click"']
    print(f"median of {rounds} runs each, {' '.join(pose_coach)}")
    print(f"{'command':<28}{'median ms':>10}{'× click':>9}")
    for name, seconds in median.items():
        print(f"{name:<28}{seconds * 1000:>10.1f}{seconds / click_time:>9.2f}")
    ratio = median["pose-coach --help"] / click_time
    verdict = "OK" if ratio <= TARGET_HELP_RATIO else "OVER TARGET"
    print(f"--help / import click = {ratio:.2f} (target ≤ {TARGET_HELP_RATIO}): {verdict}")


if __name__ == "__main__":
    main()
