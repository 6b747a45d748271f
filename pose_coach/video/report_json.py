"""``pose-coach form --json``: the form check as one JSON object, units in the field names.

Field by field in docs/form.md. Times are seconds of the running (slow motion undone),
frames are decode-order frame numbers (0 first), lengths against the body are per cent
of the runner's leg, angles degrees. Only finite numbers: a value that cannot be a
number is ``null``; a measure the clip cannot give is absent from the strides and
listed, with why, in ``not_measured``.
"""

from __future__ import annotations

from typing import Any

from pose_coach.library.faults import FAULTS
from pose_coach.log.forms import FormRecord
from pose_coach.numbers import finite
from pose_coach.video.bands import SOURCES
from pose_coach.video.history import Change, changes
from pose_coach.video.model import INFO, Contact, FormAnalysis, StrideMeasures, Summary
from pose_coach.video.report_text import missing_measures, used_sources

SCHEMA = 1  # bumped when a field changes meaning or goes away; new fields keep it


def _r(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _contact(c: Contact) -> dict[str, Any]:
    return {"foot": c.foot, "frame": c.index, "t_s": round(c.t, 4)}


def _stride(s: StrideMeasures) -> dict[str, Any]:
    return {
        "stride": s.number,
        "foot": s.foot,
        "landing_frame": s.landing.index,
        "landing_s": round(s.landing.t, 4),
        "pose_frame": s.pose_index,
        "end_of_stance_frame": s.end_index,
        "end_of_stance_measured": s.end_measured,
        "toe_off_s": _r(s.toe_off.t, 4) if s.toe_off else None,
        "next_landing_s": round(s.next_landing.t, 4),
        "measures": {
            INFO[k].json: {
                "value": _r(m.value, 2),
                "unit": m.unit,
                "confidence": round(m.confidence, 3),
            }
            for k, m in s.values.items()
        },
    }


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "value": round(s.value, 2),
        "unit": s.unit,
        "confidence": round(s.confidence, 3),
        "strides": s.strides,
        "p25": round(s.low, 2),
        "p75": round(s.high, 2),
    }


def _medians(summaries: dict[str, Summary]) -> dict[str, Any]:
    return {INFO[k].json: _summary(s) for k, s in summaries.items()}


def render_json(
    analysis: FormAnalysis,
    *,
    source: str | None = None,
    previous: FormRecord | None = None,
) -> dict[str, Any]:
    """The report as a dict ready for ``json.dumps`` (finite numbers only)."""
    o, m, runner = analysis.options, analysis.measures, analysis.runner
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "file": source,
        "clip": {
            "frames": analysis.frames,
            "duration_s": round(analysis.duration, 3),
            "width_px": analysis.width,
            "height_px": analysis.height,
            "fps": o.fps,
            "capture_fps": o.capture_fps,
            "rate_fps": m.rate,
        },
        "runner": {
            "person": runner.person,
            "people": analysis.people,
            "side": analysis.side,
            "direction": "right" if runner.direction > 0 else "left",
            "leg_length_px": round(runner.leg_length, 1),
            "swaps_undone": runner.swaps,
            "height_cm": o.height_cm,
        },
        "landings": [_contact(c) for c in analysis.landings],
        "toe_offs": [_contact(c) for c in analysis.toe_offs],
        "strides": [_stride(s) for s in m.strides],
        "medians": {
            "both": _medians(dict(m.both)),
            "left": _medians(dict(m.left)),
            "right": _medians(dict(m.right)),
        },
        "cadence_all_steps": _summary(m.cadence) if m.cadence else None,
        "bands": {INFO[k].json: band.to_dict() for k, band in analysis.bands.items()},
        "not_measured": [
            {"measure": INFO[k].json, "unit": INFO[k].unit, "reason": why}
            for k, why in missing_measures(analysis).items()
        ],
        "faults": [
            {**f.to_dict(), "value": round(f.value, 2), "label": _label(analysis, f.fault)}
            for f in analysis.faults
        ],
        "prescriptions": [p.to_dict() for p in analysis.prescriptions],
        "key_frames": {"median": analysis.median.to_dict(), "worst": analysis.worst.to_dict()},
        "notes": list(analysis.notes),
        "walking": analysis.walking,
        "previous": previous.to_dict() if previous else None,
        "changes": [_change(c) for c in changes(analysis, previous)],
        "sources": {key: SOURCES[key] for key in used_sources(analysis)},
    }
    result = finite(data)
    assert isinstance(result, dict)
    return result


def _label(analysis: FormAnalysis, fault: str) -> str:
    for p in analysis.prescriptions:
        if p.fault == fault:
            return p.label
    return FAULTS.get(fault, fault)


def _change(change: Change) -> dict[str, Any]:
    digits = INFO[change.measure].digits + 1
    return {
        **change.to_dict(),
        "before": round(change.before, digits),
        "after": round(change.after, digits),
        "change": round(change.delta, digits),
    }
