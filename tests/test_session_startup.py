"""What `pose-coach drill ID` loads before it plays: the first frame should come quickly.

Run as a fresh process each time (imports are per process). The first run builds the
library index; from the second on, YAML is not needed, and with no practice log yet
neither is SQLite (the runner's cadence looks for a baseline there).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = (
    "import sys\n"
    "from pose_coach.cli import cli\n"
    "try:\n"
    "    cli(sys.argv[1:], prog_name='pose-coach')\n"
    "except SystemExit as exit:\n"
    "    assert not exit.code, exit.code\n"
    "names = ('yaml', 'sqlite3', 'pose_coach.library.loader', 'pose_coach.log.store')\n"
    "print(__import__('json').dumps([n for n in names if n in sys.modules]), file=sys.stderr)\n"
)


def loaded(*args: str) -> list[str]:
    """The modules of interest a session command imported, in a process of its own."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stderr.splitlines()[-1])


@pytest.mark.parametrize("kind,entry_id", [("drill", "fall"), ("routine", "warmup")])
def test_with_the_index_built_a_session_imports_neither_yaml_nor_sqlite(
    isolated_home, kind, entry_id
):
    args = (kind, entry_id, "--json", "--dry-run")
    first = loaded(*args)
    assert "yaml" in first and "pose_coach.library.loader" in first  # the index is built
    assert "sqlite3" not in first  # no practice log yet: nothing to read a cadence from
    assert loaded(*args) == []


def test_a_practice_log_is_read_for_the_runner_cadence(isolated_home, cli):
    assert cli("cadence", "test", "--spm", "172").exit_code == 0
    assert (isolated_home / "data" / "log.sqlite3").exists()
    assert "sqlite3" in loaded("drill", "pull", "--json", "--dry-run")
    planned = cli("drill", "pull", "--json", "--dry-run")
    assert json.loads(planned.stdout.splitlines()[0])["runner_cadence"] == 172
