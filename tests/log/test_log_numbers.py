"""Numbers in and out of the practice log: imported integers within SQLite's range, a
speed in its range, no nested-JSON crash; `stats`, `log` and exports never print NaN or
Infinity, even from a bad row already in the file."""

from __future__ import annotations

import json
import sqlite3

import pytest
from log_helpers import make_record

from pose_coach.log.store import log_db_path, open_log

# -- imports ----------------------------------------------------------------------------


def _export(tmp_path, **change):
    row = make_record().to_dict()
    row.update(change)
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "pose-coach-log", "version": 1, "sessions": [row]}))
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps_done": 2**70}, "steps_done: expected a whole number up to 1000000"),
        ({"sets_total": 10**30}, "sets_total: expected a whole number up to 1000000"),
        ({"speed": 1e-300}, "speed: expected a speed between 0.1 and 1000, got 1e-300"),
        ({"speed": 1e300}, "speed: expected a speed between 0.1 and 1000"),
    ],
)
def test_imported_numbers_out_of_range_are_refused(cli, tmp_path, change, message):
    result = cli("log", "import", str(_export(tmp_path, **change)))
    assert result.exit_code == 1
    assert message in result.stderr and "nothing was imported" in result.stderr
    assert not log_db_path().exists()


def test_deeply_nested_json_is_refused_in_one_line(cli, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    result = cli("log", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"pose-coach: error: {path}: JSON nested too deeply to be a log export; "
        "nothing was imported\n"
    )


# -- JSON never holds NaN or Infinity -----------------------------------------------------


def _strict(text: str):
    def refuse(name):
        raise AssertionError(f"{name} in JSON output")

    return json.loads(text, parse_constant=refuse)


def test_stats_and_log_json_hold_no_infinity_even_from_a_bad_row(cli):
    with open_log() as log:
        log.add([make_record("2024-03-04T07:00:00+00:00")])
    # a row written by an older version that took any positive speed (or by hand)
    conn = sqlite3.connect(log_db_path())
    conn.execute("UPDATE sessions SET speed = 1e-300, actual_seconds = 9e999")
    conn.commit()
    conn.close()
    for args in (("stats", "--json"), ("log", "--json"), ("log", "export")):
        result = cli(*args)
        assert result.exit_code == 0, result.stderr
        _strict(result.stdout)
