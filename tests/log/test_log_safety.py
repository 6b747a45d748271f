"""The practice log is never harmed, on real SQLite files: read-only first, a damaged file
never written (header bytes included), no path that is not a regular file opened, a WAL
log in a read-only folder still read, a full disk named, a v1 row that cannot migrate
kept aside and named."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from log_helpers import make_record

from pose_coach.log.schema import APPLICATION_ID, SCHEMA_VERSION, UNREADABLE_V1
from pose_coach.log.store import LogFileError, log_db_path, open_log

FAST = ("--json", "--speed", "1000")


def _log_with(records: int = 3, journal: str = "delete") -> Path:
    path = log_db_path()
    with open_log() as log:
        log.add([make_record(f"2024-03-0{n + 1}T07:00:00+00:00") for n in range(records)])
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    return path


def _page_of(path: Path, table: str) -> int:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
        return page.fetchone()[0]
    finally:
        conn.close()


def _damage(path: Path, page: int) -> bytes:
    data = bytearray(path.read_bytes())
    size = 4096
    data[(page - 1) * size : page * size] = b"\xff" * size
    path.write_bytes(bytes(data))
    return bytes(data)


@pytest.mark.parametrize("table", ["sessions", "session_parts_by_session", "sessions_by_epoch"])
def test_a_damaged_rollback_journal_log_is_never_written(cli, tmp_path, table):
    path = _log_with(journal="delete")
    assert path.read_bytes()[18:20] == b"\x01\x01"  # rollback journal, not WAL
    damaged = _damage(path, _page_of(path, table))
    export = tmp_path / "in.json"
    export.write_text(json.dumps([make_record("2024-04-01T07:00:00+00:00").to_dict()]))
    commands = [
        ("log",),
        ("log", "--json"),
        ("stats", "--json"),
        ("log", "export"),
        ("log", "import", str(export)),
        ("drill", "fall", *FAST),
    ]
    for args in commands:
        result = cli(*args)
        if table == "sessions" or args[0] in ("drill",) or args[:2] == ("log", "import"):
            # the damage is found before anything is written (read-only, then quick_check)
            assert result.exit_code == 1, (args, result.output)
            assert "damaged" in result.stderr and "move it aside" in result.stderr
        assert path.read_bytes() == damaged, args  # the header bytes included
    assert sorted(p.name for p in path.parent.iterdir()) == ["log.sqlite3"]
    assert cli("drill", "fall", *FAST).stdout == ""  # refused before playing


def test_reading_a_healthy_log_never_switches_its_journal_mode(cli):
    path = _log_with(journal="delete")
    before = path.read_bytes()
    for args in (("log",), ("stats",), ("log", "export")):
        assert cli(*args).exit_code == 0
    assert path.read_bytes() == before
    assert cli("drill", "pose", *FAST).exit_code == 0  # writing: now WAL, as designed
    assert path.read_bytes()[18:20] == b"\x02\x02"


@pytest.mark.parametrize("kind", ["devnull", "dangling", "fifo", "symlink-to-folder"])
def test_a_log_path_that_is_not_a_regular_file_is_refused_before_opening(
    kind, isolated_home, tmp_path
):
    path = log_db_path()
    path.parent.mkdir(parents=True)
    if kind == "devnull":
        path.symlink_to(os.devnull)
    elif kind == "dangling":
        path.symlink_to(tmp_path / "gone" / "log.sqlite3")
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(tmp_path)
    journal_before = os.path.exists(os.devnull + "-journal")
    env = {**os.environ, "POSE_COACH_HOME": str(isolated_home)}
    for args in (("log",), ("stats",), ("drill", "fall", *FAST), ("log", "export")):
        # a subprocess with a timeout: a FIFO opened by mistake would block forever
        done = subprocess.run(
            [sys.executable, "-m", "pose_coach", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
        assert done.returncode == 1, (args, done.stderr)
        assert done.stdout == ""
        [line] = done.stderr.splitlines()
        assert line.startswith(f"pose-coach: error: {path} is ")
        assert "not a practice log" in line
    assert os.path.exists(os.devnull + "-journal") == journal_before
    assert not (tmp_path / "gone").exists()
    assert sorted(p.name for p in path.parent.iterdir()) == ["log.sqlite3"]


def test_a_symlink_to_a_real_log_is_followed(cli, tmp_path):
    elsewhere = tmp_path / "synced" / "log.sqlite3"
    elsewhere.parent.mkdir()
    with open_log(elsewhere) as log:
        log.add([make_record()])
    log_db_path().parent.mkdir(parents=True)
    log_db_path().symlink_to(elsewhere)
    assert len(json.loads(cli("log", "--json").stdout)) == 1
    assert cli("drill", "pose", *FAST).exit_code == 0
    assert log_db_path().is_symlink()
    assert len(json.loads(cli("log", "--json").stdout)) == 2


# -- read-only folders and full disks, for real ------------------------------------------


@contextlib.contextmanager
def _mounted(folder: Path, size: str = "1m"):
    """A small tmpfs at ``folder`` (root only); skips where mounting is not allowed."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@contextlib.contextmanager
def _read_only(folder: Path):
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    done = subprocess.run(
        ["mount", "-o", "remount,ro", str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot make a folder read-only as root: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(folder)], capture_output=True)


@contextlib.contextmanager
def _data_folder(isolated_home: Path):
    """The data folder itself: a tmpfs as root (to make it read-only or full), else plain."""
    folder = isolated_home / "data"
    if os.geteuid() == 0:
        with _mounted(folder):
            yield folder
    else:
        folder.mkdir()
        yield folder


def test_a_wal_log_in_a_read_only_folder_is_read_and_says_recording_is_off(cli, isolated_home):
    with _data_folder(isolated_home) as folder:
        path = _log_with(records=2, journal="wal")
        assert path.read_bytes()[18:20] == b"\x02\x02"
        assert sorted(p.name for p in folder.iterdir()) == ["log.sqlite3"]  # no -shm now
        with _read_only(folder):
            result = cli("log", "--json")
            assert result.exit_code == 0, result.stderr
            assert len(json.loads(result.stdout)) == 2
            assert "read-only" in result.stderr and "not recorded" in result.stderr
            assert cli("stats", "--json").exit_code == 0
            played = cli("drill", "pose", *FAST)
            assert played.exit_code == 0
            assert "this session was not recorded" in played.stderr
        assert len(json.loads(cli("log", "--json").stdout)) == 2


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="needs root to mount a tmpfs")
def test_a_full_disk_is_called_a_full_disk(cli, isolated_home):
    with _data_folder(isolated_home) as folder:
        path = _log_with(records=1, journal="wal")
        filler = folder / "filler"
        with open(filler, "wb") as handle:
            try:
                while True:
                    handle.write(b"\0" * 65536)
            except OSError:
                pass
        played = cli("drill", "pose", "--plain", "--speed", "1000")
        assert played.exit_code == 0
        assert "the disk is full; this session was not recorded" in played.stderr
        assert "cannot rollback" not in played.stderr
        listing = cli("log", "--json")
        assert listing.exit_code == 0 and len(json.loads(listing.stdout)) == 1
        assert "the disk is full" in listing.stderr and "cannot rollback" not in listing.stderr
        filler.unlink()
        assert cli("drill", "pose", *FAST).exit_code == 0
        assert len(json.loads(cli("log", "--json").stdout)) == 2
        assert path.exists()


# -- a v1 log with a row that cannot migrate -----------------------------------------------

V1_SCHEMA = """
CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY NOT NULL, entry_id TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL, phases TEXT NOT NULL, started_at TEXT NOT NULL,
    planned_seconds REAL NOT NULL, actual_seconds REAL NOT NULL,
    steps_done INTEGER NOT NULL, steps_total INTEGER NOT NULL,
    sets_done INTEGER NOT NULL, sets_total INTEGER NOT NULL,
    outcome TEXT NOT NULL, speed REAL NOT NULL, app_version TEXT NOT NULL);
"""


def _v1_row(session_id: str, started_at: str) -> tuple:
    head = (session_id, "fall", "drill", "Fall", "fall", started_at, 168.0, 168.0)
    return head + (16, 16, 4, 4, "completed", 1.0, "0.0.9")


def test_a_v1_log_with_one_unreadable_date_migrates_the_rest_and_names_the_row(cli):
    path = log_db_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 1")
    rows = [
        _v1_row("a" * 32, "2024-03-04T07:00:00+00:00"),
        _v1_row("b" * 32, "last tuesday"),
        _v1_row("c" * 32, "2024-03-06 07:00:00"),  # no offset: UTC, as v1 read it
    ]
    conn.executemany(f"INSERT INTO sessions VALUES ({', '.join('?' * 15)})", rows)
    conn.commit()
    conn.close()
    result = cli("log", "--json")
    assert result.exit_code == 0, result.stderr
    assert sorted(r["session_id"] for r in json.loads(result.stdout)) == ["a" * 32, "c" * 32]
    [warning] = [line for line in result.stderr.splitlines() if "warning" in line]
    assert f"session {'b' * 32} (row 2)" in warning and "'last tuesday'" in warning
    assert UNREADABLE_V1 in warning
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        kept = conn.execute(f"SELECT session_id, started_at FROM {UNREADABLE_V1}").fetchall()
    finally:
        conn.close()
    assert kept == [("b" * 32, "last tuesday")]  # nothing lost
    again = cli("stats", "--json")
    assert again.exit_code == 0 and "warning" not in again.stderr  # said once, at the upgrade
    assert cli("drill", "pose", *FAST).exit_code == 0


def test_a_file_with_only_an_sqlite_header_is_refused():
    path = log_db_path()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84)  # a header and nothing else
    with pytest.raises(LogFileError):
        open_log()
