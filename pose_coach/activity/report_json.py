"""``pose-coach run --json``: the report as one JSON object, units in the field names.

Field by field in docs/run.md. Times are seconds, distances metres, paces seconds per
kilometre; a measure the file does not hold is ``null``, and listed in ``missing``.
"""

from __future__ import annotations

from typing import Any

from pose_coach.activity.analysis import RunReport
from pose_coach.activity.bands import SOURCES as BAND_SOURCES
from pose_coach.activity.clean import Segment
from pose_coach.activity.faults import EVIDENCE
from pose_coach.activity.measures import Split
from pose_coach.activity.model import INFO, MEASURES

SCHEMA = 1  # bumped when a field changes meaning or goes away; new fields keep it


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def _values(values: dict[str, float | None]) -> dict[str, float | None]:
    return {INFO[k].json: _r(values.get(k), 2 if k == "vertical_ratio" else 1) for k in MEASURES}


def _segment(segment: Segment | None, start: float) -> dict[str, float] | None:
    if segment is None:
        return None
    return {
        "start_s": round(segment.start - start, 1),
        "seconds": round(segment.seconds, 1),
        "distance_m": round(segment.metres, 1),
    }


def _split(split: Split, start: float) -> dict[str, Any]:
    return {
        "number": split.index,
        "kind": split.kind,
        "start_s": round(split.start - start, 1),
        "distance_m": round(split.metres, 1),
        "moving_seconds": round(split.moving_seconds, 1),
        "running_seconds": round(split.running_seconds, 1),
        "walk_seconds": round(split.walk_seconds, 1),
        "pace_s_per_km": _r(split.pace),
        "parts": list(split.parts),
        **_values(split.values),
    }


def report_dict(report: RunReport) -> dict[str, Any]:
    run, summary = report.run, report.summary
    start = run.track.time[0]
    damage = report.decoded.damage
    used = {key for f in report.findings for key in f.evidence} | {
        b.source for b in report.bands.values()
    }
    sources = {**EVIDENCE, **BAND_SOURCES}
    return {
        "schema": SCHEMA,
        "file": report.source.shown,
        "sha256": report.source.fingerprint,
        "format": report.decoded.format,
        "sport": report.sport,
        "started_at": report.started_at.isoformat(timespec="seconds"),
        "device": {"name": report.device.name, "key": report.device.key},
        "damage": (
            None
            if damage is None
            else {
                "reason": damage.reason,
                "read_bytes": damage.read_bytes,
                "total_bytes": damage.total_bytes,
            }
        ),
        "notes": list(report.notes),
        "summary": {
            "distance_m": round(summary.metres, 1),
            "elapsed_seconds": round(summary.elapsed_seconds, 1),
            "moving_seconds": round(summary.moving_seconds, 1),
            "running_seconds": round(summary.running_seconds, 1),
            "walk_seconds": round(summary.walk_seconds, 1),
            "stopped_seconds": round(summary.stop_seconds, 1),
            "whole": {"pace_s_per_km": _r(summary.whole_pace), **_values(summary.whole)},
            "main": {
                "distance_m": round(summary.main_metres, 1),
                "moving_seconds": round(summary.main_seconds, 1),
                "pace_s_per_km": _r(summary.pace),
                **_values(summary.values),
            },
            "bands": {INFO[k].json: band.to_dict() for k, band in report.bands.items()},
        },
        "parts": {
            "warm_up": _segment(run.warm_up, start),
            "cool_down": _segment(run.cool_down, start),
            "walk_breaks": [_segment(s, start) for s in run.walk_breaks],
            "stops": [_segment(s, start) for s in run.stops],
        },
        "by": report.by,
        "splits": [_split(s, start) for s in report.splits],
        "measured": [INFO[k].json for k in report.measured],
        "derived": [INFO[k].json for k in MEASURES if k in run.derived],
        "missing": [{"measure": INFO[k].json, "needs": INFO[k].needs} for k in report.missing],
        "baseline": report.baseline.to_dict() if report.baseline else None,
        "findings": [f.to_dict() for f in report.findings],
        "drills": [p.to_dict() for p in report.prescriptions],
        "log": {
            "stored": report.log.stored,
            "new": report.log.new,
            "runs_on_device": report.log.runs_on_device,
            "problem": report.log.problem,
        },
        "sources": {key: text for key, text in sources.items() if key in used},
    }
