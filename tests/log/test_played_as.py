"""How a session was played (``played_as``): recorded, migrated, exported and imported."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from log_helpers import make_record

from pose_coach.library.catalog import load_catalog
from pose_coach.log.record import SessionRecorder
from pose_coach.log.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from pose_coach.log.store import log_db_path, open_log, played_as
from pose_coach.log.transfer import export_csv, export_json, parse_import
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import play
from pose_coach.timeline import compile_session


def _timeline(entry_id: str = "pose"):
    catalog = load_catalog()
    return compile_session(catalog.get(entry_id), catalog.entries)


def _rows() -> list[dict]:
    log = open_log(create=False)
    assert log is not None
    with log:
        return [record.to_dict() for record in log.sessions(newest_first=False)]


def test_the_kind_follows_speed_and_terminal():
    assert played_as(1.0, on_terminal=True) == "live"
    assert played_as(10.0, on_terminal=True) == "tryout"
    assert played_as(0.5, on_terminal=True) == "tryout"
    assert played_as(1.0, on_terminal=False) == "scripted"
    assert played_as(10.0, on_terminal=False) == "scripted"


def test_the_recorder_writes_the_kind():
    for speed, on_terminal in ((1.0, True), (2.0, True), (1.0, False)):
        timeline = _timeline()
        recorder = SessionRecorder(timeline, speed=speed, on_terminal=on_terminal)
        result = play(timeline, FakeClock(), [recorder.tally], speed)
        assert recorder.save(result) is None
    assert [row["played_as"] for row in _rows()] == ["live", "tryout", "scripted"]


def test_a_session_with_no_terminal_is_scripted(cli):
    # CliRunner: neither stdin nor stdout is a terminal, as under cron
    assert cli("drill", "pose", "--json", "--speed", "1000").exit_code == 0
    [row] = json.loads(cli("log", "--json").stdout)
    assert row["played_as"] == "scripted"


def _write_v4_log(path: Path, speeds: list[float]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version in range(1, 5):
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version}")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    for n, speed in enumerate(speeds):
        conn.execute(
            "INSERT INTO sessions (session_id, entry_id, kind, title, phases, started_at,"
            " started_epoch, planned_seconds, actual_seconds, steps_done, steps_total,"
            " sets_done, sets_total, outcome, speed, app_version)"
            " VALUES (?, 'fall', 'drill', 'Fall', 'fall', ?, ?, 120, 120, 4, 4, 2, 2,"
            " 'completed', ?, '0.4.0')",
            (f"{n + 1:032x}", f"2024-03-0{n + 1}T07:00:00+00:00", 1709276400 + n * 86400, speed),
        )
    conn.close()


def test_a_version_4_log_gains_the_kind_from_its_speed(cli):
    path = log_db_path()
    _write_v4_log(path, [1.0, 10.0, 1.0])
    result = cli("log", "--json")
    assert result.exit_code == 0, result.stderr
    kinds = {row["session_id"][-1]: row["played_as"] for row in json.loads(result.stdout)}
    assert kinds == {"1": "live", "2": "tryout", "3": "live"}
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_the_kind_goes_through_export_and_import():
    records = [
        make_record("2024-03-04T07:00:00+00:00", played_as="scripted"),
        make_record("2024-03-05T07:00:00+00:00", speed=10.0),
    ]
    for text in (export_json(records), export_csv(records)):
        back = parse_import(text, "f")
        assert [r.played_as for r in back] == ["scripted", "tryout"]


def test_an_export_without_the_kind_is_read_as_the_upgrade_reads_old_rows():
    rows = [make_record(speed=speed).to_dict() for speed in (1.0, 4.0)]
    for row in rows:
        del row["played_as"]
    assert [r.played_as for r in parse_import(json.dumps(rows), "f")] == ["live", "tryout"]


def test_an_unknown_kind_is_refused_with_its_row():
    row = make_record().to_dict() | {"played_as": "cron"}
    try:
        parse_import(json.dumps([row]), "f.json")
    except Exception as error:  # noqa: BLE001
        assert "item[0]: played_as: expected one of live, tryout, scripted, got 'cron'" in str(
            error
        )
    else:
        raise AssertionError("not refused")
