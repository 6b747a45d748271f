"""The practice log's schema, one version at a time, and the steps between versions.

A new file runs every step from 0, so the migrations are exercised on every install.
``PRAGMA user_version`` holds the version; ``PRAGMA application_id`` marks the file as ours.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone

APPLICATION_ID = 0x50434C47  # "PCLG" in the file header: this file is a pose-coach log
SCHEMA_VERSION = 6
RUNS_VERSION = 3  # the version that added the runs tables (store.py checks for them)
PLANS_VERSION = 4  # the version that added the plan tables (store.py checks for them)
PLAYED_AS_VERSION = 5  # the version that added sessions.played_as (store.py checks for it)
FORMS_VERSION = 6  # the version that added the form check tables (store.py checks for them)
FORM_TABLES = ("form_checks", "form_medians")
PLAN_TABLES = ("plan_enrollments", "plan_days", "checkins", "cadence_baselines")

# v1: one row per session; phases as a comma-separated list, no time per phase.
_V1 = (
    """CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY NOT NULL,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        phases TEXT NOT NULL,
        started_at TEXT NOT NULL,
        planned_seconds REAL NOT NULL,
        actual_seconds REAL NOT NULL,
        steps_done INTEGER NOT NULL,
        steps_total INTEGER NOT NULL,
        sets_done INTEGER NOT NULL,
        sets_total INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        speed REAL NOT NULL,
        app_version TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
)

# v2: an integer key, an integer start time, and seconds per drill and phase (minutes
# per phase; most practised drills, inside routines too). SQLite cannot add a primary
# key to a table, so the sessions table is rebuilt, as its documentation prescribes.
_V2 = (
    """CREATE TABLE sessions_v2 (
        id INTEGER PRIMARY KEY,
        session_id TEXT NOT NULL UNIQUE,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        phases TEXT NOT NULL,
        started_at TEXT NOT NULL,
        started_epoch INTEGER NOT NULL,
        planned_seconds REAL NOT NULL,
        actual_seconds REAL NOT NULL,
        steps_done INTEGER NOT NULL,
        steps_total INTEGER NOT NULL,
        sets_done INTEGER NOT NULL,
        sets_total INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        speed REAL NOT NULL,
        app_version TEXT NOT NULL
    )""",
    # (the rows themselves are copied by _migrate_to_2, which reads each start time)
    "DROP TABLE sessions",
    "ALTER TABLE sessions_v2 RENAME TO sessions",
    "CREATE INDEX sessions_by_epoch ON sessions (started_epoch)",
    "CREATE INDEX sessions_by_entry ON sessions (entry_id, started_epoch)",
    """CREATE TABLE session_parts (
        session INTEGER NOT NULL REFERENCES sessions (id),
        drill_id TEXT,
        drill_title TEXT,
        phase TEXT NOT NULL,
        seconds REAL NOT NULL
    )""",
    "CREATE INDEX session_parts_by_session ON session_parts (session)",
)


# v3: runs read from watch files (``pose-coach run``), one row per run: the file's own start
# time and device are its identity, so importing the same run again updates its row; and
# its splits (per km), which ``stats`` compares at matched pace.
_V3 = (
    """CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        started_epoch INTEGER NOT NULL,
        device TEXT NOT NULL,
        device_key TEXT NOT NULL,
        sport TEXT,
        source_format TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        metres REAL NOT NULL,
        moving_seconds REAL NOT NULL,
        pace_s_per_km REAL,
        cadence_spm REAL,
        stance_time_ms REAL,
        vertical_oscillation_mm REAL,
        vertical_ratio_pct REAL,
        balance_left_pct REAL,
        step_length_mm REAL,
        power_w REAL,
        imported_at TEXT NOT NULL,
        app_version TEXT NOT NULL,
        UNIQUE (device_key, started_epoch)
    )""",
    "CREATE INDEX runs_by_epoch ON runs (started_epoch)",
    """CREATE TABLE run_splits (
        run INTEGER NOT NULL REFERENCES runs (id),
        number INTEGER NOT NULL,
        metres REAL NOT NULL,
        moving_seconds REAL NOT NULL,
        pace_s_per_km REAL,
        main INTEGER NOT NULL,
        cadence_spm REAL,
        stance_time_ms REAL,
        vertical_oscillation_mm REAL,
        vertical_ratio_pct REAL,
        balance_left_pct REAL,
        step_length_mm REAL
    )""",
    "CREATE INDEX run_splits_by_run ON run_splits (run)",
)


# v4: transition plans. An enrollment is one plan followed from a start date on some
# weekdays (at most one without an end: a unique index on "not ended" says so, even with
# two processes); its days record each session done or skipped; check-ins hold the
# runner's calf/Achilles soreness (with or without a plan); cadence baselines are the
# runner's own steps per minute, counted or measured.
_V4 = (
    """CREATE TABLE plan_enrollments (
        id INTEGER PRIMARY KEY,
        plan_id TEXT NOT NULL,
        plan_title TEXT NOT NULL,
        start_date TEXT NOT NULL,
        days TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        end_reason TEXT
    )""",
    "CREATE UNIQUE INDEX plan_enrollments_one_active ON plan_enrollments ((ended_at IS NULL))"
    " WHERE ended_at IS NULL",
    """CREATE TABLE plan_days (
        id INTEGER PRIMARY KEY,
        enrollment INTEGER NOT NULL REFERENCES plan_enrollments (id),
        week INTEGER NOT NULL,
        day INTEGER NOT NULL,
        status TEXT NOT NULL,
        on_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_epoch INTEGER NOT NULL,
        session_id TEXT
    )""",
    "CREATE INDEX plan_days_by_enrollment ON plan_days (enrollment, recorded_epoch)",
    """CREATE TABLE checkins (
        id INTEGER PRIMARY KEY,
        enrollment INTEGER REFERENCES plan_enrollments (id),
        plan_id TEXT,
        week INTEGER,
        day INTEGER,
        on_date TEXT NOT NULL,
        recorded_at TEXT NOT NULL,
        recorded_epoch INTEGER NOT NULL,
        soreness INTEGER,
        sharp_pain INTEGER NOT NULL DEFAULT 0,
        cadence_spm INTEGER,
        cadence_easy INTEGER,
        note TEXT,
        session_id TEXT
    )""",
    "CREATE INDEX checkins_by_epoch ON checkins (recorded_epoch)",
    "CREATE INDEX checkins_by_enrollment ON checkins (enrollment, recorded_epoch)",
    """CREATE TABLE cadence_baselines (
        id INTEGER PRIMARY KEY,
        spm INTEGER NOT NULL,
        method TEXT NOT NULL,
        steps INTEGER,
        seconds INTEGER,
        measured_at TEXT NOT NULL,
        measured_epoch INTEGER NOT NULL,
        note TEXT
    )""",
    "CREATE INDEX cadence_baselines_by_epoch ON cadence_baselines (measured_epoch)",
)


# v5: how each session was played (``played_as``): ``live`` (speed 1 on a terminal),
# ``tryout`` (any other speed) or ``scripted`` (no terminal: a script, cron). Older rows
# never knew whether a terminal was there: a row at speed 1 becomes ``live`` (as it was
# counted before) and any other speed ``tryout``.
_V5 = (
    "ALTER TABLE sessions ADD COLUMN played_as TEXT NOT NULL DEFAULT 'live'",
    "UPDATE sessions SET played_as = 'tryout' WHERE speed != 1",
    # (no index on played_as: nearly every session is live, and stats scans the table)
)


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)
    # a constant of ours, not data: PRAGMA takes no parameters
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")


_V1_COLUMNS = (
    "session_id, entry_id, kind, title, phases, started_at, planned_seconds, actual_seconds,"
    " steps_done, steps_total, sets_done, sets_total, outcome, speed, app_version"
)
UNREADABLE_V1 = "sessions_v1_unreadable"  # v1 rows whose start time cannot be read


def _epoch(text: object) -> int | None:
    """Unix seconds of a v1 start time (ISO 8601; without an offset, UTC as SQLite read
    it), or None when it is not a time at all."""
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return int(moment.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


def _migrate_to_2(conn: sqlite3.Connection) -> list[str]:
    """v1 → v2. A row whose start time cannot be read (a hand edit, a broken clock) is
    not lost and does not stop the others: it is kept, as it was, in UNREADABLE_V1."""
    rows = conn.execute(
        f"SELECT rowid, {_V1_COLUMNS} FROM sessions ORDER BY started_at, rowid"
    ).fetchall()
    good, bad = [], []
    for row in rows:
        epoch = _epoch(row[6])
        if epoch is None:
            bad.append(row)
        else:
            good.append((*row[1:7], epoch, *row[7:]))
    conn.execute(_V2[0])  # sessions_v2
    conn.executemany(
        "INSERT INTO sessions_v2 (session_id, entry_id, kind, title, phases, started_at,"
        " started_epoch, planned_seconds, actual_seconds, steps_done, steps_total, sets_done,"
        " sets_total, outcome, speed, app_version)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        good,
    )
    notes = []
    if bad:
        conn.execute(f"CREATE TABLE {UNREADABLE_V1} AS SELECT {_V1_COLUMNS} FROM sessions WHERE 0")
        conn.executemany(
            f"INSERT INTO {UNREADABLE_V1} ({_V1_COLUMNS}) VALUES ({', '.join('?' * 15)})",
            [row[1:] for row in bad],
        )
        for row in bad[:5]:
            notes.append(
                f"session {row[1]} (row {row[0]}) has a start time that cannot be read "
                f"({row[6]!r}): it was kept aside, as it was, in the table {UNREADABLE_V1}"
            )
        if len(bad) > 5:
            notes.append(f"{len(bad) - 5} more sessions like it were kept aside there too")
    for statement in _V2[1:]:
        conn.execute(statement)
    # v1 rows knew only their phases: their played time is split evenly among them
    rows = conn.execute(
        "SELECT id, entry_id, kind, title, phases, actual_seconds FROM sessions"
    ).fetchall()
    parts = []
    for row_id, entry_id, kind, title, phases, actual in rows:
        names = [p for p in phases.split(",") if p] or ["unknown"]
        drill, drill_title = (entry_id, title) if kind == "drill" else (None, None)
        for phase in names:
            parts.append((row_id, drill, drill_title, phase, actual / len(names)))
    conn.executemany(
        "INSERT INTO session_parts (session, drill_id, drill_title, phase, seconds)"
        " VALUES (?, ?, ?, ?, ?)",
        parts,
    )
    return notes


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    for statement in _V3:
        conn.execute(statement)


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    for statement in _V4:
        conn.execute(statement)


def _migrate_to_5(conn: sqlite3.Connection) -> None:
    for statement in _V5:
        conn.execute(statement)


# v6: form checks from side-view videos (``pose-coach form``), one row per clip (its
# content's SHA-256 is its identity: the same clip analysed again updates its row), and its
# medians, one row per (feet, measure) under the measure's JSON name, so a new measure
# needs no new column.
_V6 = (
    """CREATE TABLE form_checks (
        id INTEGER PRIMARY KEY,
        analysed_at TEXT NOT NULL,
        analysed_epoch INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL UNIQUE,
        fps REAL NOT NULL,
        capture_fps REAL,
        frames INTEGER NOT NULL,
        duration_s REAL NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        person INTEGER NOT NULL,
        side TEXT NOT NULL,
        strides INTEGER NOT NULL,
        faults TEXT NOT NULL,
        app_version TEXT NOT NULL
    )""",
    "CREATE INDEX form_checks_by_epoch ON form_checks (analysed_epoch)",
    """CREATE TABLE form_medians (
        form_check INTEGER NOT NULL REFERENCES form_checks (id),
        feet TEXT NOT NULL,
        measure TEXT NOT NULL,
        value REAL NOT NULL,
        unit TEXT NOT NULL,
        strides INTEGER NOT NULL,
        confidence REAL NOT NULL
    )""",
    "CREATE INDEX form_medians_by_check ON form_medians (form_check)",
)


def _migrate_to_6(conn: sqlite3.Connection) -> None:
    for statement in _V6:
        conn.execute(statement)


# Each step may return notes: what a user should hear about the upgrade (rows kept aside).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], list[str] | None]] = {
    1: _migrate_to_1,
    2: _migrate_to_2,
    RUNS_VERSION: _migrate_to_3,
    PLANS_VERSION: _migrate_to_4,
    PLAYED_AS_VERSION: _migrate_to_5,
    FORMS_VERSION: _migrate_to_6,
}
