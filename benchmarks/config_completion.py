"""Print median wall times of what the config file and completion add to a command.

Interleaved round by round, in a private POSE_COACH_HOME: `pose-coach --help` with and
without a config file (it must not read it), `drill --help` with one (it does: option
defaults come from it), `config show`, and one Tab completion of a drill id (each Tab
is one process start).

    .venv/bin/python benchmarks/config_completion.py [ROUNDS]
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup import pose_coach_command, wall_seconds  # noqa: E402

CONFIG = "lead_in: 5\nspeed: 2\nvoice: false\ncadence: 180\nplayer: aplay -q\n"


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    pose_coach = pose_coach_command()
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as bare:
        config = Path(home) / "config" / "config.yaml"
        config.parent.mkdir(parents=True)
        config.write_text(CONFIG, encoding="utf-8")
        base = {**os.environ, "NO_COLOR": "1"}
        with_config = {**base, "POSE_COACH_HOME": home}
        no_config = {**base, "POSE_COACH_HOME": bare}
        tab = {
            **with_config,
            "_POSE_COACH_COMPLETE": "bash_complete",
            "COMP_WORDS": "pose-coach drill p",
            "COMP_CWORD": "2",
        }
        runs = {
            'python -c "import click"': ([sys.executable, "-c", "import click"], base),
            "pose-coach --help (no config file)": ([*pose_coach, "--help"], no_config),
            "pose-coach --help (config file)": ([*pose_coach, "--help"], with_config),
            "pose-coach drill --help (config)": ([*pose_coach, "drill", "--help"], with_config),
            "pose-coach config show": ([*pose_coach, "config", "show"], with_config),
            "Tab: pose-coach drill p<Tab>": (pose_coach, tab),
        }
        for argv, env in runs.values():  # warm the OS file cache
            wall_seconds(argv, env)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(rounds):
            for name, (argv, env) in runs.items():
                times[name].append(wall_seconds(argv, env))
    print(f"median of {rounds} runs each, {' '.join(pose_coach)}")
    for name, values in times.items():
        print(f"  {name:<40} {statistics.median(values) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
