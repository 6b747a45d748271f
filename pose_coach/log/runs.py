"""Runs in the practice log: one row per run read by ``pose-coach run``, with its splits.

A run is identified by its device and its own start time (from the file, not from when it
was imported), so importing the same file again, or the same run re-exported, updates
the one row. Comparisons are made only between splits at a matched pace (within
``PACE_TOLERANCE`` seconds per kilometre) recorded by the same device: cadence rises with
pace, and two devices measure the same stride differently.
"""

from __future__ import annotations

import sqlite3
import statistics
from dataclasses import dataclass, field
from typing import Any

from pose_coach.log.store import PracticeLog, sqlite_error

PACE_TOLERANCE = 10.0  # seconds per kilometre either side of the pace compared at

# Measure columns, as stored (units in the names; the same names as ``run --json``).
MEASURE_COLUMNS = (
    "cadence_spm",
    "stance_time_ms",
    "vertical_oscillation_mm",
    "vertical_ratio_pct",
    "balance_left_pct",
    "step_length_mm",
)


@dataclass(frozen=True)
class StoredSplit:
    number: int
    metres: float
    moving_seconds: float
    pace_s_per_km: float | None
    main: bool  # neither warm-up, cool-down nor mostly walking
    values: dict[str, float | None] = field(default_factory=dict)  # MEASURE_COLUMNS


@dataclass(frozen=True)
class RunRecord:
    """One run as the log keeps it."""

    started_at: str  # UTC, ISO 8601, whole seconds: the file's own start time
    started_epoch: int
    device: str  # as shown: "garmin fenix5"
    device_key: str  # maker/model/serial: what "the same device" means
    sport: str | None
    source_format: str  # fit, tcx or gpx
    file_name: str
    file_sha256: str
    metres: float
    moving_seconds: float
    pace_s_per_km: float | None  # the main part's pace
    values: dict[str, float | None]  # MEASURE_COLUMNS, plus power_w: main-part medians
    imported_at: str
    app_version: str
    splits: tuple[StoredSplit, ...] = ()
    id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "started_at": self.started_at,
            "device": self.device,
            "file_name": self.file_name,
            "distance_m": round(self.metres, 1),
            "moving_seconds": round(self.moving_seconds, 1),
            "pace_s_per_km": _round(self.pace_s_per_km, 1),
            **{k: _round(v, 1) for k, v in self.values.items()},
        }


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


_RUN_COLUMNS = (
    "started_at, started_epoch, device, device_key, sport, source_format, file_name, "
    "file_sha256, metres, moving_seconds, pace_s_per_km, cadence_spm, stance_time_ms, "
    "vertical_oscillation_mm, vertical_ratio_pct, balance_left_pct, step_length_mm, power_w, "
    "imported_at, app_version"
)


def save_run(log: PracticeLog, record: RunRecord) -> tuple[int, bool]:
    """Store a run, or update it if the log has it already: (its id, whether it was new)."""
    values = [record.values.get(c) for c in MEASURE_COLUMNS] + [record.values.get("power_w")]
    row = (
        record.started_at,
        record.started_epoch,
        record.device,
        record.device_key,
        record.sport,
        record.source_format,
        record.file_name,
        record.file_sha256,
        record.metres,
        record.moving_seconds,
        record.pace_s_per_km,
        *values,
        record.imported_at,
        record.app_version,
    )
    with log.writing():
        existing = log.conn.execute(
            "SELECT id FROM runs WHERE device_key = ? AND started_epoch = ?",
            (record.device_key, record.started_epoch),
        ).fetchone()
        if existing is None:
            cursor = log.conn.execute(
                f"INSERT INTO runs ({_RUN_COLUMNS}) VALUES ({', '.join('?' * len(row))})", row
            )
            run_id, new = int(cursor.lastrowid or 0), True
        else:
            run_id, new = int(existing[0]), False
            assignments = ", ".join(f"{name.strip()} = ?" for name in _RUN_COLUMNS.split(","))
            log.conn.execute(f"UPDATE runs SET {assignments} WHERE id = ?", (*row, run_id))
            log.conn.execute("DELETE FROM run_splits WHERE run = ?", (run_id,))
        log.conn.executemany(
            "INSERT INTO run_splits (run, number, metres, moving_seconds, pace_s_per_km, main, "
            + ", ".join(MEASURE_COLUMNS)
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    run_id,
                    s.number,
                    s.metres,
                    s.moving_seconds,
                    s.pace_s_per_km,
                    int(s.main),
                    *(s.values.get(c) for c in MEASURE_COLUMNS),
                )
                for s in record.splits
            ],
        )
    return run_id, new


def _query(log: PracticeLog, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    try:
        return log.conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise sqlite_error(log.path, exc) from None


def run_count(log: PracticeLog) -> int:
    return int(_query(log, "SELECT COUNT(*) FROM runs", ())[0][0])


def runs(log: PracticeLog, *, since_epoch: int | None = None) -> list[RunRecord]:
    """Stored runs, oldest first, without their splits."""
    rows = _query(
        log,
        f"SELECT id, {_RUN_COLUMNS} FROM runs WHERE started_epoch >= ? ORDER BY started_epoch",
        (since_epoch if since_epoch is not None else -(2**62),),
    )
    return [_record(row) for row in rows]


def _record(row: tuple[Any, ...]) -> RunRecord:
    measures = dict(zip((*MEASURE_COLUMNS, "power_w"), row[12:19], strict=True))
    return RunRecord(
        id=row[0],
        started_at=row[1],
        started_epoch=row[2],
        device=row[3],
        device_key=row[4],
        sport=row[5],
        source_format=row[6],
        file_name=row[7],
        file_sha256=row[8],
        metres=row[9],
        moving_seconds=row[10],
        pace_s_per_km=row[11],
        values=measures,
        imported_at=row[19],
        app_version=row[20],
    )


@dataclass(frozen=True)
class MatchedSplit:
    """A stored main-part split, with the run it belongs to."""

    run_id: int
    started_epoch: int
    started_at: str
    pace_s_per_km: float
    values: dict[str, float | None]


def matched_splits(
    log: PracticeLog,
    *,
    device_key: str,
    pace: float,
    tolerance: float = PACE_TOLERANCE,
    before_epoch: int | None = None,
    since_epoch: int | None = None,
    exclude_run: int | None = None,
) -> list[MatchedSplit]:
    """Main-part splits of one device's runs within ``tolerance`` s/km of ``pace``."""
    rows = _query(
        log,
        "SELECT r.id, r.started_epoch, r.started_at, s.pace_s_per_km, "
        + ", ".join(f"s.{c}" for c in MEASURE_COLUMNS)
        + " FROM run_splits s JOIN runs r ON r.id = s.run"
        " WHERE r.device_key = ? AND s.main = 1 AND s.pace_s_per_km BETWEEN ? AND ?"
        " AND r.started_epoch < ? AND r.started_epoch >= ? AND r.id != ?"
        " ORDER BY r.started_epoch, s.number",
        (
            device_key,
            pace - tolerance,
            pace + tolerance,
            before_epoch if before_epoch is not None else 2**62,
            since_epoch if since_epoch is not None else -(2**62),
            exclude_run if exclude_run is not None else -1,
        ),
    )
    return [
        MatchedSplit(r[0], r[1], r[2], r[3], dict(zip(MEASURE_COLUMNS, r[4:], strict=True)))
        for r in rows
    ]


@dataclass(frozen=True)
class RunCadence:
    """A cadence baseline taken from a stored run (for plans and metronome targets)."""

    cadence_spm: float
    pace_s_per_km: float | None
    started_at: str
    device: str
    file_name: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "cadence_spm": round(self.cadence_spm, 1),
            "pace_s_per_km": _round(self.pace_s_per_km, 1),
            "started_at": self.started_at,
            "device": self.device,
            "file_name": self.file_name,
        }


def latest_run_cadence(
    log: PracticeLog, *, pace: float | None = None, tolerance: float = PACE_TOLERANCE
) -> RunCadence | None:
    """The runner's cadence from their most recent run that has one.

    With ``pace`` (s/km), the median cadence of that run's main-part kilometres within
    ``tolerance`` of it (None when the latest run with cadence has none at that pace);
    without, the run's main-part median. None when no stored run has cadence.
    """
    rows = _query(
        log,
        "SELECT id, cadence_spm, pace_s_per_km, started_at, device, file_name FROM runs"
        " WHERE cadence_spm IS NOT NULL ORDER BY started_epoch DESC, id DESC LIMIT 1",
        (),
    )
    if not rows:
        return None
    run_id, cadence, run_pace, started_at, device, file_name = rows[0]
    if pace is None:
        return RunCadence(cadence, run_pace, started_at, device, file_name)
    splits = _query(
        log,
        "SELECT cadence_spm FROM run_splits WHERE run = ? AND main = 1"
        " AND cadence_spm IS NOT NULL AND pace_s_per_km BETWEEN ? AND ?",
        (run_id, pace - tolerance, pace + tolerance),
    )
    if not splits:
        return None
    return RunCadence(statistics.median(s[0] for s in splits), pace, started_at, device, file_name)
