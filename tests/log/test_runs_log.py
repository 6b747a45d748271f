"""Runs in the practice log: the migration that adds them, one row per run, matched-pace
queries, the cadence baseline a plan can take, and the runs part of ``stats``."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime, timedelta, timezone

import pytest

from pose_coach.log import schema
from pose_coach.log.runs import (
    RunRecord,
    StoredSplit,
    latest_run_cadence,
    matched_splits,
    run_count,
    runs,
    save_run,
)
from pose_coach.log.schema import APPLICATION_ID, RUNS_VERSION, SCHEMA_VERSION
from pose_coach.log.stats import compute_stats
from pose_coach.log.store import LogFileError, log_db_path, open_log

MONDAY = datetime(2024, 3, 4, 7, 0, tzinfo=timezone.utc)


def make_run(
    started: datetime = MONDAY,
    *,
    device_key: str = "garmin/fenix5/1",
    pace: float = 300.0,
    cadence: float = 170.0,
    stance: float = 250.0,
    kilometres: int = 5,
    name: str = "run.fit",
) -> RunRecord:
    values = {"cadence_spm": cadence, "stance_time_ms": stance}
    return RunRecord(
        started_at=started.isoformat(timespec="seconds"),
        started_epoch=int(started.timestamp()),
        device="garmin fenix5",
        device_key=device_key,
        sport="running",
        source_format="fit",
        file_name=name,
        file_sha256="0" * 64,
        metres=kilometres * 1000.0,
        moving_seconds=kilometres * pace,
        pace_s_per_km=pace,
        values=values,
        imported_at=MONDAY.isoformat(timespec="seconds"),
        app_version="test",
        splits=tuple(
            StoredSplit(n, 1000.0, pace, pace + (n % 2) * 4, n > 1, values)
            for n in range(1, kilometres + 1)
        ),
    )


def test_a_new_log_has_the_runs_tables():
    with open_log() as log:
        tables = {r[0] for r in log.conn.execute("SELECT name FROM sqlite_master")}
        assert {"runs", "run_splits"} <= tables
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_an_older_log_gains_the_runs_tables_and_keeps_its_sessions():
    path = log_db_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version in range(1, RUNS_VERSION):  # the log as the version before runs left it
        schema.MIGRATIONS[version](conn)
    conn.execute(f"PRAGMA user_version = {RUNS_VERSION - 1}")
    conn.execute(
        "INSERT INTO sessions (session_id, entry_id, kind, title, phases, started_at,"
        " started_epoch, planned_seconds, actual_seconds, steps_done, steps_total, sets_done,"
        " sets_total, outcome, speed, app_version) VALUES"
        " ('a', 'fall', 'drill', 'Fall', 'fall', '2024-03-04T07:00:00+00:00', 1709535600,"
        " 60, 60, 4, 4, 1, 1, 'completed', 1, 'old')"
    )
    conn.close()
    with open_log() as log:
        assert len(log.sessions()) == 1
        assert run_count(log) == 0
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_log_claiming_the_runs_version_without_its_tables_is_not_ours():
    path = log_db_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version in range(1, RUNS_VERSION):
        schema.MIGRATIONS[version](conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {RUNS_VERSION}")
    conn.close()
    with pytest.raises(LogFileError, match="tables are missing"):
        open_log()


def test_the_same_run_twice_is_one_row_with_its_latest_analysis():
    with open_log() as log:
        first_id, new = save_run(log, make_run(cadence=170))
        again_id, again_new = save_run(log, make_run(cadence=168, kilometres=3))
        assert (new, again_new) == (True, False) and first_id == again_id
        assert run_count(log) == 1
        assert runs(log)[0].values["cadence_spm"] == 168
        count = log.conn.execute("SELECT COUNT(*) FROM run_splits").fetchone()[0]
        assert count == 3  # the splits were replaced, not added to
        save_run(log, make_run(device_key="coros/pace2/9"))  # same start, another watch
        assert run_count(log) == 2


def test_matched_splits_hold_pace_and_device():
    with open_log() as log:
        save_run(log, make_run(MONDAY, pace=300))
        save_run(log, make_run(MONDAY + timedelta(days=1), pace=330))
        save_run(log, make_run(MONDAY + timedelta(days=2), pace=300, device_key="other"))
        splits = matched_splits(log, device_key="garmin/fenix5/1", pace=305)
        assert {s.pace_s_per_km for s in splits} == {300, 304}  # within 10 s, km 1 is not main
        assert len({s.run_id for s in splits}) == 1
        before = matched_splits(
            log, device_key="garmin/fenix5/1", pace=300, before_epoch=int(MONDAY.timestamp())
        )
        assert before == []


def test_latest_run_cadence_is_what_a_plan_takes():
    with open_log() as log:
        assert latest_run_cadence(log) is None
        save_run(log, make_run(MONDAY, cadence=166, name="old.fit"))
        save_run(log, make_run(MONDAY + timedelta(days=3), cadence=172, name="new.fit"))
        latest = latest_run_cadence(log)
        assert latest is not None and latest.cadence_spm == 172 and latest.file_name == "new.fit"
        assert latest_run_cadence(log, pace=302).cadence_spm == 172
        assert latest_run_cadence(log, pace=400) is None
        assert latest.to_dict()["started_at"] == "2024-03-07T07:00:00+00:00"


def test_stats_show_cadence_and_contact_per_week_at_matched_pace(cli):
    with open_log() as log:
        save_run(log, make_run(MONDAY, cadence=166, stance=262))
        save_run(log, make_run(MONDAY + timedelta(days=2), cadence=168, stance=258))
        save_run(log, make_run(MONDAY + timedelta(days=7), cadence=171, stance=250))
        save_run(log, make_run(MONDAY + timedelta(days=8), pace=390, cadence=150))  # a jog
        stats = compute_stats(log, 2, now=MONDAY + timedelta(days=9), tz=timezone.utc)
    trend = stats.runs
    assert trend is not None and trend.pace_s_per_km == pytest.approx(302, abs=3)
    weeks = [(w.start, w.runs, w.cadence_spm, w.stance_time_ms) for w in trend.weeks]
    assert weeks == [
        (date(2024, 3, 4), 2, 167.0, 260.0),
        (date(2024, 3, 11), 1, 171.0, 250.0),  # the 6:30/km jog is not in it
    ]
    data = stats.to_dict()
    assert data["runs"]["weeks"][1]["cadence_spm"] == 171.0


def test_stats_command_prints_the_runs_part(cli):
    now = datetime.now(timezone.utc)
    with open_log() as log:
        save_run(log, make_run(now - timedelta(days=7), cadence=166))
        save_run(log, make_run(now, cadence=170))
    result = cli("stats", "--weeks", "2")
    assert result.exit_code == 0, result.stderr
    assert "Runs on garmin fenix5 at 5:0" in result.stdout
    assert "cadence 166 → 170 spm" in result.stdout
    data = json.loads(cli("stats", "--json", "--weeks", "2", "--pace", "5:00").stdout)
    assert data["runs"]["pace_s_per_km"] == 300.0
    assert [w["cadence_spm"] for w in data["runs"]["weeks"]] == [166.0, 170.0]


def test_stats_without_runs_has_no_runs_part(cli):
    data = json.loads(cli("stats", "--json").stdout)
    assert "runs" not in data


@pytest.mark.parametrize("pace", ["fast", "5:75", "0:30", "45"])
def test_a_bad_pace_is_a_usage_error(cli, pace):
    result = cli("stats", "--pace", pace)
    assert result.exit_code == 2
    assert "expected a pace per km like 5:30" in result.stderr
