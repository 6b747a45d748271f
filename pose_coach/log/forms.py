"""Form checks in the practice log: one row per clip read by ``pose-coach form``, with its
medians (both feet, left, right), so the next form check can say what changed.

A form check is identified by its clip's content (SHA-256): analysing the same clip again
updates its row instead of adding a second. Medians are stored one row per (feet, measure)
under the measure's JSON name (units in the name, as ``form --json`` writes them), so a
measure added later needs no new column.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from pose_coach.log.store import PracticeLog, sqlite_error

FEET_KEYS = ("both", "left", "right")  # which landings a median is over


@dataclass(frozen=True)
class FormMedian:
    """A stored median: its value in ``unit``, over ``strides`` strides."""

    value: float
    unit: str
    strides: int
    confidence: float


@dataclass(frozen=True)
class FormRecord:
    """One form check as the log keeps it."""

    analysed_at: str  # UTC, ISO 8601, whole seconds: when the analysis ran
    analysed_epoch: int
    file_name: str
    file_sha256: str
    fps: float  # the clip's own frame rate
    capture_fps: float | None  # the rate it was filmed at, when slow motion
    frames: int
    duration_s: float  # seconds of running covered
    width: int
    height: int
    person: int  # the Track.person analysed
    side: str  # the runner's side facing the camera
    strides: int
    faults: tuple[str, ...]  # fault ids found, in the report's order
    app_version: str
    # FEET_KEYS → measure JSON name → median
    medians: dict[str, dict[str, FormMedian]] = field(default_factory=dict)
    id: int | None = None

    def median(self, measure_json: str, feet: str = "both") -> float | None:
        found = self.medians.get(feet, {}).get(measure_json)
        return found.value if found else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "analysed_at": self.analysed_at,
            "file_name": self.file_name,
            "file_sha256": self.file_sha256,
            "fps": self.fps,
            "capture_fps": self.capture_fps,
            "duration_s": round(self.duration_s, 2),
            "strides": self.strides,
            "side": self.side,
            "faults": list(self.faults),
            "medians": {
                feet: {name: round(m.value, 2) for name, m in values.items()}
                for feet, values in self.medians.items()
            },
        }


_CHECK_COLUMNS = (
    "analysed_at",
    "analysed_epoch",
    "file_name",
    "file_sha256",
    "fps",
    "capture_fps",
    "frames",
    "duration_s",
    "width",
    "height",
    "person",
    "side",
    "strides",
    "faults",
    "app_version",
)


def _query(log: PracticeLog, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    try:
        return log.conn.execute(sql, params).fetchall()
    except sqlite3.Error as exc:
        raise sqlite_error(log.path, exc) from None


def save_form(log: PracticeLog, record: FormRecord) -> tuple[int, bool]:
    """Store a form check, or update it when the log has the same clip: (id, whether new)."""
    row = (
        record.analysed_at,
        record.analysed_epoch,
        record.file_name,
        record.file_sha256,
        record.fps,
        record.capture_fps,
        record.frames,
        record.duration_s,
        record.width,
        record.height,
        record.person,
        record.side,
        record.strides,
        ",".join(record.faults),
        record.app_version,
    )
    columns = ", ".join(_CHECK_COLUMNS)
    with log.writing():
        existing = log.conn.execute(
            "SELECT id FROM form_checks WHERE file_sha256 = ?", (record.file_sha256,)
        ).fetchone()
        if existing is None:
            cursor = log.conn.execute(
                f"INSERT INTO form_checks ({columns}) VALUES ({', '.join('?' * len(row))})", row
            )
            check_id, new = int(cursor.lastrowid or 0), True
        else:
            check_id, new = int(existing[0]), False
            assignments = ", ".join(f"{name} = ?" for name in _CHECK_COLUMNS)
            log.conn.execute(f"UPDATE form_checks SET {assignments} WHERE id = ?", (*row, check_id))
            log.conn.execute("DELETE FROM form_medians WHERE form_check = ?", (check_id,))
        log.conn.executemany(
            "INSERT INTO form_medians (form_check, feet, measure, value, unit, strides,"
            " confidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (check_id, feet, name, m.value, m.unit, m.strides, m.confidence)
                for feet, values in record.medians.items()
                for name, m in values.items()
            ],
        )
    return check_id, new


def _record(row: tuple[Any, ...], medians: dict[str, dict[str, FormMedian]]) -> FormRecord:
    values = dict(zip(_CHECK_COLUMNS, row[1:], strict=True))
    return FormRecord(
        id=int(row[0]),
        analysed_at=values["analysed_at"],
        analysed_epoch=int(values["analysed_epoch"]),
        file_name=values["file_name"],
        file_sha256=values["file_sha256"],
        fps=float(values["fps"]),
        capture_fps=values["capture_fps"],
        frames=int(values["frames"]),
        duration_s=float(values["duration_s"]),
        width=int(values["width"]),
        height=int(values["height"]),
        person=int(values["person"]),
        side=values["side"],
        strides=int(values["strides"]),
        faults=tuple(f for f in (values["faults"] or "").split(",") if f),
        app_version=values["app_version"],
        medians=medians,
    )


def _medians(log: PracticeLog, check_id: int) -> dict[str, dict[str, FormMedian]]:
    out: dict[str, dict[str, FormMedian]] = {}
    for feet, name, value, unit, strides, confidence in _query(
        log,
        "SELECT feet, measure, value, unit, strides, confidence FROM form_medians"
        " WHERE form_check = ? ORDER BY rowid",
        (check_id,),
    ):
        out.setdefault(feet, {})[name] = FormMedian(value, unit, strides, confidence)
    return out


def form_checks(log: PracticeLog) -> list[FormRecord]:
    """Every stored form check, oldest first, with its medians."""
    rows = _query(
        log,
        f"SELECT id, {', '.join(_CHECK_COLUMNS)} FROM form_checks ORDER BY analysed_epoch, id",
        (),
    )
    return [_record(row, _medians(log, int(row[0]))) for row in rows]


def form_count(log: PracticeLog) -> int:
    return int(_query(log, "SELECT COUNT(*) FROM form_checks", ())[0][0])


def previous_form(log: PracticeLog, *, file_sha256: str | None = None) -> FormRecord | None:
    """The newest stored form check of another clip than ``file_sha256``: the one a new
    analysis is compared with. None when there is none."""
    rows = _query(
        log,
        f"SELECT id, {', '.join(_CHECK_COLUMNS)} FROM form_checks WHERE file_sha256 != ?"
        " ORDER BY analysed_epoch DESC, id DESC LIMIT 1",
        (file_sha256 or "",),
    )
    if not rows:
        return None
    return _record(rows[0], _medians(log, int(rows[0][0])))
