"""The practice log file: recording, concurrency, damaged or foreign files, migration, failures."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from log_helpers import make_record

from pose_coach.library.catalog import load_catalog
from pose_coach.log import schema as practice_schema
from pose_coach.log import store as practice_log
from pose_coach.log.record import SessionRecorder
from pose_coach.log.schema import APPLICATION_ID, SCHEMA_VERSION
from pose_coach.log.store import (
    LogFileError,
    LogWriteError,
    log_db_path,
    new_session_id,
    open_log,
)
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import play
from pose_coach.timeline import Dose, compile_timeline


def _timeline(entry_id: str = "fall", kind: str = "drill", lead_in: float = 3.0):
    catalog = load_catalog()
    return compile_timeline(catalog.get(entry_id, kind), catalog.entries, Dose(lead_in=lead_in))


def _rows(path: Path | None = None) -> list[dict]:
    log = open_log(path, create=False)
    if log is None:
        return []
    with log:
        return [record.to_dict() for record in log.sessions()]


# -- recording ------------------------------------------------------------------------


def test_completed_drill_is_recorded_with_every_field():
    timeline = _timeline("fall")
    recorder = SessionRecorder(timeline, speed=1.0)
    result = play(timeline, FakeClock(), [recorder.tally])
    assert recorder.save(result) is None
    [row] = _rows()
    assert row["session_id"] == recorder.session_id and len(row["session_id"]) == 32
    assert (row["id"], row["kind"], row["title"]) == ("fall", "drill", timeline.title)
    assert row["phases"] == ["fall"]
    assert row["started_at"].endswith("+00:00")
    assert row["planned_seconds"] == row["actual_seconds"] == timeline.total
    assert (row["steps_done"], row["steps_total"]) == (timeline.step_count, timeline.step_count)
    assert (row["sets_done"], row["sets_total"]) == (timeline.set_count, timeline.set_count)
    assert row["outcome"] == "completed" and row["completed"] is True
    assert row["speed"] == 1.0 and row["app_version"]
    # everything after the 3 s countdown is time in the drill
    assert row["parts"] == [
        {"drill": "fall", "title": timeline.title, "phase": "fall", "seconds": timeline.total - 3.0}
    ]


def test_quit_session_records_the_time_played_per_drill():
    timeline = _timeline("warmup", "routine", lead_in=0)
    first_drill = next(e for e in timeline.events if e.drill)
    recorder = SessionRecorder(timeline, speed=1.0)
    result = play(timeline, FakeClock(keys=[(20.0, "q")]), [recorder.tally])
    recorder.save(result)
    [row] = _rows()
    assert row["outcome"] == "quit" and row["completed"] is False
    assert row["actual_seconds"] == 20.0
    assert row["parts"] == [
        {
            "drill": first_drill.drill,
            "title": first_drill.text,
            "phase": first_drill.phase,
            "seconds": 20.0,
        }
    ]
    assert row["steps_done"] < row["steps_total"]


def test_skips_and_pauses_count_as_played_time_only():
    timeline = _timeline("fall", lead_in=0)
    recorder = SessionRecorder(timeline, speed=1.0)
    # pause 100 s at t=5, then skip the rest of the step at t=106 (1 s later in session)
    keys = [(5.0, " "), (105.0, " "), (106.0, "n"), (200.0, "q")]
    result = play(timeline, FakeClock(keys=keys), [recorder.tally])
    recorder.save(result)
    [row] = _rows()
    assert row["actual_seconds"] == pytest.approx(result.position)
    assert sum(p["seconds"] for p in row["parts"]) == pytest.approx(result.position)
    assert row["actual_seconds"] < 200.0 - 100.0 + 0.001


def test_a_session_cut_short_by_an_error_is_recorded_as_error():
    timeline = _timeline("fall", lead_in=0)
    recorder = SessionRecorder(timeline, speed=2.0)

    class Broken:
        wants_ticks = False

        def start(self, timeline):
            pass

        def event(self, event, state):
            if event.step == 2:
                raise OSError("the terminal went away")

        def finish(self, result, state):
            pass

    with pytest.raises(OSError):
        play(timeline, FakeClock(), [recorder.tally, Broken()], speed=2.0)
    assert recorder.save_failed("error") is None
    [row] = _rows()
    assert row["outcome"] == "error" and row["speed"] == 2.0
    assert row["steps_done"] == 2 and row["actual_seconds"] > 0


def _record_in_child(timeline, path: str, barrier, failures) -> None:
    try:
        recorder = SessionRecorder(timeline, speed=1.0, path=Path(path))
        result = play(timeline, FakeClock(), [recorder.tally])
        barrier.wait(timeout=30)
        message = recorder.save(result)
        if message:
            failures.put(message)
    except BaseException as error:  # report anything, never hang the parent
        failures.put(repr(error))


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method"
)
def test_twenty_processes_recording_at_once_are_all_recorded(tmp_path):
    path = tmp_path / "data" / "log.sqlite3"  # not there yet: they race to create it too
    timeline = _timeline("pose", lead_in=0)
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(20)
    failures = ctx.Queue()
    children = [
        ctx.Process(target=_record_in_child, args=(timeline, str(path), barrier, failures))
        for _ in range(20)
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(60)
    assert [child.exitcode for child in children] == [0] * 20
    problems = []
    while not failures.empty():
        problems.append(failures.get())
    assert problems == []
    rows = _rows(path)
    assert len(rows) == 20
    assert len({row["session_id"] for row in rows}) == 20
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# -- files that are not our log -----------------------------------------------------


def _folder_listing(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


def test_garbage_file_is_refused_and_left_byte_for_byte(cli, tmp_path):
    export = tmp_path / "export.json"
    export.write_text(json.dumps([make_record().to_dict()]))
    path = log_db_path()
    path.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 40
    path.write_bytes(garbage)
    with pytest.raises(LogFileError, match="not an SQLite database"):
        open_log()
    result = cli("drill", "fall", "--json", "--speed", "1000")
    assert result.exit_code == 1
    assert result.stdout == ""  # refused before the session started
    [line] = result.stderr.splitlines()
    assert line.startswith("pose-coach: error: ")
    assert str(path) in line and "move it aside" in line and "--no-log" in line
    for command in (("log",), ("stats",), ("log", "export"), ("log", "import", str(export))):
        result = cli(*command)
        assert result.exit_code == 1, command
    assert path.read_bytes() == garbage
    assert _folder_listing(path) == ["log.sqlite3"]  # no journal, WAL or shm beside it


def test_another_programs_sqlite_file_is_refused_and_untouched(cli):
    path = log_db_path()
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Nicholas')")
    conn.close()
    before = path.read_bytes()
    result = cli("drill", "fall", "--json", "--speed", "1000")
    assert result.exit_code == 1
    assert "another program's SQLite database" in result.stderr
    assert cli("stats").exit_code == 1
    assert path.read_bytes() == before


def test_damaged_log_is_refused(cli):
    path = log_db_path()
    with open_log() as log:
        log.add([make_record()])
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite the sessions table's page
    path.write_bytes(bytes(data))
    result = cli("log")
    assert result.exit_code == 1
    assert "damaged" in result.stderr and "move it aside" in result.stderr
    assert path.read_bytes() == bytes(data)


def test_log_from_a_newer_version_is_refused(cli):
    path = log_db_path()
    open_log().close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    result = cli("stats")
    assert result.exit_code == 1
    assert "newer pose-coach" in result.stderr and "upgrade" in result.stderr
    assert path.read_bytes() == before


def test_an_empty_file_becomes_a_log():
    path = log_db_path()
    path.parent.mkdir(parents=True)
    path.touch()
    with open_log() as log:
        log.add([make_record()])
    assert len(_rows()) == 1


def test_a_folder_at_the_log_path_is_refused():
    log_db_path().mkdir(parents=True)
    with pytest.raises(LogFileError, match="is a folder"):
        open_log()


def test_reading_commands_never_create_the_file(cli):
    assert cli("log").exit_code == 0
    assert cli("stats", "--json").exit_code == 0
    assert cli("log", "export", "-o", "-").exit_code == 0
    assert not log_db_path().exists()


# -- migration ----------------------------------------------------------------------

# The schema as pose-coach wrote it at version 1, spelled out here on purpose: the test
# must keep checking old files even when the code's own v1 steps are edited.
V1_SCHEMA = """
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY NOT NULL, entry_id TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL, phases TEXT NOT NULL, started_at TEXT NOT NULL,
    planned_seconds REAL NOT NULL, actual_seconds REAL NOT NULL,
    steps_done INTEGER NOT NULL, steps_total INTEGER NOT NULL,
    sets_done INTEGER NOT NULL, sets_total INTEGER NOT NULL,
    outcome TEXT NOT NULL, speed REAL NOT NULL, app_version TEXT NOT NULL);
CREATE INDEX sessions_by_start ON sessions (started_at);
"""


def _write_v1_log(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    conn.executemany(
        "INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "a" * 32,
                "fall",
                "drill",
                "Fall from the pose",
                "fall",
                "2024-03-04T07:00:00+00:00",
                168.0,
                168.0,
                16,
                16,
                4,
                4,
                "completed",
                1.0,
                "0.0.9",
            ),
            (
                "b" * 32,
                "warmup",
                "routine",
                "Pre-run warm-up",
                "pose,pull,fall",
                "2024-03-05T06:30:00+00:00",
                393.0,
                120.0,
                9,
                36,
                2,
                9,
                "quit",
                1.0,
                "0.0.9",
            ),
        ],
    )
    conn.commit()
    conn.close()


def test_a_version_1_log_is_migrated_in_place(cli):
    path = log_db_path()
    _write_v1_log(path)
    result = cli("log", "--json")
    assert result.exit_code == 0, result.stderr
    rows = {row["session_id"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {"a" * 32, "b" * 32}
    fall, warmup = rows["a" * 32], rows["b" * 32]
    assert fall["parts"] == [
        {"drill": "fall", "title": "Fall from the pose", "phase": "fall", "seconds": 168.0}
    ]
    # v1 only knew the phases of a routine: its time is split evenly among them
    assert warmup["parts"] == [
        {"drill": None, "title": None, "phase": p, "seconds": 40.0}
        for p in ("pose", "pull", "fall")
    ]
    assert warmup["outcome"] == "quit" and warmup["app_version"] == "0.0.9"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        epochs = conn.execute("SELECT started_epoch FROM sessions ORDER BY 1").fetchall()
    conn.close()
    assert epochs == [(1709535600,), (1709620200,)]
    # and new sessions go in next to the old ones
    assert cli("drill", "pose", "--json", "--speed", "1000").exit_code == 0
    assert len(_rows()) == 3


def test_a_migration_that_fails_leaves_the_old_log_as_it_was(monkeypatch):
    path = log_db_path()
    _write_v1_log(path)
    before = _v1_dump(path)

    def broken(conn):
        conn.execute("ALTER TABLE sessions ADD COLUMN started_epoch INTEGER")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setitem(practice_schema.MIGRATIONS, 2, broken)
    with pytest.raises(LogWriteError):
        open_log()
    assert _v1_dump(path) == before


def _v1_dump(path: Path) -> list:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(sessions)")]
        return [version, columns, conn.execute("SELECT * FROM sessions").fetchall()]
    finally:
        conn.close()


# -- cannot write: the session still plays --------------------------------------------


def _readonly_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, timeout=1)


def _full_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=1)
    conn.execute("PRAGMA max_page_count = 1")  # SQLite's own "database or disk is full"
    return conn


def test_readonly_log_the_session_plays_and_a_warning_says_so(cli, monkeypatch):
    open_log().close()
    with monkeypatch.context() as patch:
        patch.setattr(practice_log, "_connect", _readonly_connect)
        result = cli("drill", "fall", "--json", "--speed", "1000")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["event"] == "session_end"
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        f"pose-coach: warning: cannot use the practice log {log_db_path()}: the file or its "
        "folder is read-only; this session was not recorded"
    ]
    assert _rows() == []


def test_full_disk_the_session_plays_and_a_warning_says_so(cli, monkeypatch):
    monkeypatch.setattr(practice_log, "_connect", _full_connect)
    result = cli("drill", "fall", "--plain", "--speed", "1000")
    assert result.exit_code == 0, result.stderr
    assert "session_end" in result.stdout.splitlines()[-1]
    assert "the disk is full; this session was not recorded" in result.stderr


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="file permissions do not stop root (read-only is also tested above)",
)
def test_readonly_folder_for_real(cli):
    folder = log_db_path().parent
    folder.mkdir(parents=True)
    folder.chmod(0o555)
    try:
        result = cli("drill", "fall", "--json", "--speed", "1000")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 0
    assert "this session was not recorded" in result.stderr
    assert not log_db_path().exists()


# -- turning it off, and what gets recorded from the command line ----------------------


def test_drill_through_the_cli_records_one_row(cli):
    result = cli("drill", "fall", "--json", "--speed", "1000")
    assert result.exit_code == 0, result.stderr
    [row] = _rows()
    assert row["id"] == "fall" and row["outcome"] == "completed" and row["speed"] == 1000.0
    assert cli("routine", "warmup", "--json", "--speed", "1000").exit_code == 0
    assert [r["id"] for r in _rows()] == ["warmup", "fall"]


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (("--no-log",), {}),
        ((), {"POSE_COACH_NO_LOG": "1"}),
        ((), {"POSE_COACH_LOG": "false"}),
        (("--dry-run",), {}),
    ],
)
def test_nothing_is_recorded_when_logging_is_off(cli, args, env):
    result = cli("drill", "fall", "--json", "--speed", "1000", *args, env=env)
    assert result.exit_code == 0, result.stderr
    assert not log_db_path().exists()


def test_log_false_in_the_config_file_records_nothing(cli, isolated_home):
    config = isolated_home / "config" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("log: false\n")
    assert cli("drill", "fall", "--json", "--speed", "1000").exit_code == 0
    assert not log_db_path().exists()
    assert cli("drill", "fall", "--json", "--speed", "1000", "--log").exit_code == 0
    assert len(_rows()) == 1


def test_log_on_the_command_line_beats_the_variable(cli):
    result = cli(
        "drill", "fall", "--json", "--speed", "1000", "--log", env={"POSE_COACH_NO_LOG": "1"}
    )
    assert result.exit_code == 0
    assert len(_rows()) == 1


def test_no_log_variable_zero_means_record(cli):
    assert (
        cli("drill", "fall", "--json", "--speed", "1000", env={"POSE_COACH_NO_LOG": "0"}).exit_code
        == 0
    )
    assert len(_rows()) == 1


def test_sigterm_stops_the_session_and_it_is_recorded_as_interrupted(isolated_home):
    process = subprocess.Popen(
        [sys.executable, "-m", "pose_coach", "drill", "fall", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first = process.stdout.readline()  # session_start: it is playing, in its 3 s countdown
    assert json.loads(first)["event"] == "session_start"
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    [row] = _rows()
    assert row["outcome"] == "interrupted" and row["completed"] is False
    assert row["actual_seconds"] < 3.0 and row["steps_done"] == 0


def test_session_ids_are_uuid4_hex():
    ids = {new_session_id() for _ in range(100)}
    assert len(ids) == 100
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)
