"""The runs part of ``stats``: cadence and ground contact time per week, at matched pace.

Only kilometres run at one pace (within ``PACE_TOLERANCE`` s/km) by one device are
compared, so a week of easy jogs does not read as "your cadence dropped". The device is
the one of the latest run; the pace is the median pace of its kilometres in the weeks
shown, unless the runner names one (``stats --pace 5:30``).
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pose_coach.log.runs import PACE_TOLERANCE, MatchedSplit, matched_splits
from pose_coach.log.store import PracticeLog, sqlite_error


@dataclass(frozen=True)
class RunWeek:
    start: date  # the Monday
    runs: int  # runs with a kilometre at the matched pace
    kilometres: int
    cadence_spm: float | None
    stance_time_ms: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.start.isoformat(),
            "runs": self.runs,
            "kilometres": self.kilometres,
            "cadence_spm": _round(self.cadence_spm),
            "stance_time_ms": _round(self.stance_time_ms),
        }


@dataclass(frozen=True)
class RunTrend:
    device: str
    device_key: str
    pace_s_per_km: float
    tolerance: float
    runs: int  # all the device's runs in the weeks shown
    weeks: list[RunWeek]  # oldest first, as the practice weeks

    def to_dict(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "pace_s_per_km": round(self.pace_s_per_km, 1),
            "tolerance_s_per_km": self.tolerance,
            "runs": self.runs,
            "weeks": [week.to_dict() for week in self.weeks],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def run_trend(
    log: PracticeLog,
    mondays: list[date],
    day_of: Callable[[int], date],  # Unix seconds → local date (LocalDays.day_of)
    midnight: Callable[[date], int],  # local date → Unix seconds (LocalDays.midnight)
    *,
    pace: float | None = None,
    tolerance: float = PACE_TOLERANCE,
) -> RunTrend | None:
    """The trend over the weeks starting on ``mondays``; None when the log has no run."""
    since = midnight(mondays[0])
    try:
        latest = log.conn.execute(
            "SELECT device, device_key FROM runs ORDER BY started_epoch DESC, id DESC LIMIT 1"
        ).fetchone()
        if latest is None:
            return None
        device, key = latest
        runs = log.conn.execute(
            "SELECT COUNT(*) FROM runs WHERE device_key = ? AND started_epoch >= ?", (key, since)
        ).fetchone()[0]
        if pace is None:
            paces = [
                row[0]
                for row in log.conn.execute(
                    "SELECT s.pace_s_per_km FROM run_splits s JOIN runs r ON r.id = s.run"
                    " WHERE r.device_key = ? AND r.started_epoch >= ? AND s.main = 1"
                    " AND s.pace_s_per_km IS NOT NULL",
                    (key, since),
                )
            ]
            if not paces:
                return RunTrend(device, key, 0.0, tolerance, runs, _empty(mondays))
            pace = float(statistics.median(paces))
    except sqlite3.Error as exc:
        raise sqlite_error(log.path, exc) from None
    splits = matched_splits(log, device_key=key, pace=pace, tolerance=tolerance, since_epoch=since)
    by_week: dict[date, list[MatchedSplit]] = {}
    for split in splits:
        day = day_of(split.started_epoch)
        monday = day - timedelta(days=day.weekday())
        by_week.setdefault(monday, []).append(split)
    weeks = []
    for monday in mondays:
        chosen = by_week.get(monday, [])
        weeks.append(
            RunWeek(
                start=monday,
                runs=len({s.run_id for s in chosen}),
                kilometres=len(chosen),
                cadence_spm=_median(s.values.get("cadence_spm") for s in chosen),
                stance_time_ms=_median(s.values.get("stance_time_ms") for s in chosen),
            )
        )
    return RunTrend(device, key, pace, tolerance, runs, weeks)


def _median(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return float(statistics.median(known)) if known else None


def _empty(mondays: list[date]) -> list[RunWeek]:
    return [RunWeek(m, 0, 0, None, None) for m in mondays]
