"""``form --json``: per-stride measures with units, medians, bands, faults, drills, what is
not measured; finite numbers only; every field documented in docs/form.md."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from report_helpers import clean, faulty

from pose_coach.video.history import form_record
from pose_coach.video.model import INFO, Measure
from pose_coach.video.report_json import render_json

DOC = Path(__file__).parents[2] / "docs" / "form.md"


def _dumps(data: dict) -> str:
    return json.dumps(data, allow_nan=False, ensure_ascii=False)


def test_per_stride_measures_with_units_and_medians_left_and_right():
    data = json.loads(_dumps(render_json(faulty(), source="clip.mp4")))
    assert data["schema"] == 1 and data["file"] == "clip.mp4"
    assert data["clip"]["rate_fps"] == 60.0 and data["clip"]["frames"] == 480
    strides = data["strides"]
    assert len(strides) >= 15 and [s["stride"] for s in strides] == list(range(1, len(strides) + 1))
    first = strides[0]["measures"]["foot_ahead_of_hip_pct_leg"]
    assert first["unit"] == "% leg" and 0 < first["confidence"] <= 1
    assert abs(first["value"] - 30) < 3
    assert all(s["end_of_stance_measured"] is False and s["toe_off_s"] is None for s in strides)
    for feet in ("both", "left", "right"):
        median = data["medians"][feet]["foot_ahead_of_hip_pct_leg"]
        assert abs(median["value"] - 30) < 2 and median["p25"] <= median["value"] <= median["p75"]
    assert (
        data["medians"]["left"]["cadence_spm"]["strides"]
        + data["medians"]["right"]["cadence_spm"]["strides"]
        == data["medians"]["both"]["cadence_spm"]["strides"]
    )
    assert data["bands"]["foot_ahead_of_hip_pct_leg"] == {
        "level": "fault",
        "low": 20,
        "high": None,
        "meaning": "ahead of the hip",
        "source": "pose-landing",
    }
    assert set(data["sources"]) >= {"pose-landing", "pose-lean", "cadence"}


def test_faults_and_prescriptions_with_commands():
    data = render_json(faulty())
    faults = {f["fault"]: f for f in data["faults"]}
    assert set(faults) == {"overstriding", "bending-at-waist", "low-cadence"}
    assert faults["overstriding"]["measure"] == "foot_ahead_of_hip_pct_leg"
    assert faults["overstriding"]["label"] == "Foot lands ahead of the hip"
    assert faults["overstriding"]["unit"] == "% leg"
    by_fault = {p["fault"]: p for p in data["prescriptions"]}
    assert by_fault["bending-at-waist"]["commands"][0] == "pose-coach drill wall-fall"
    assert len(by_fault["overstriding"]["commands"]) == len(by_fault["overstriding"]["drills"])
    keys = data["key_frames"]
    assert keys["worst"]["stride"] == faults["overstriding"]["worst_stride"]
    assert keys["median"]["landing_frame"] < keys["median"]["pose_frame"]


def test_below_120_fps_not_measured_says_why_and_at_120_stance_is_there():
    slow = render_json(faulty())
    reasons = {m["measure"]: m["reason"] for m in slow["not_measured"]}
    assert set(reasons) == {"stance_time_ms", "fall_angle_deg", "bounce_cm"}
    assert reasons["stance_time_ms"].startswith("needs 120 frames/s or more (this clip: 60)")
    assert slow["toe_offs"] == []
    assert all("stance_time_ms" not in s["measures"] for s in slow["strides"])
    fast = render_json(clean())
    assert fast["not_measured"] == []
    assert len(fast["toe_offs"]) >= 10
    timed = [s for s in fast["strides"] if "stance_time_ms" in s["measures"]]
    assert len(timed) >= len(fast["strides"]) - 2  # the last toe-off may fall past the clip
    assert fast["medians"]["both"]["stance_time_ms"]["unit"] == "ms"
    assert fast["faults"] == [] and fast["prescriptions"] == []


def test_numbers_that_are_not_finite_become_null():
    analysis = faulty()
    stride = analysis.measures.strides[0]
    broken = replace(stride, values={**stride.values, "shank_angle": Measure(math.nan, "°", 0.5)})
    strides = (broken, *analysis.measures.strides[1:])
    damaged = replace(analysis, measures=replace(analysis.measures, strides=strides))
    data = render_json(damaged)
    _dumps(data)  # allow_nan=False: raises on NaN or Infinity
    assert data["strides"][0]["measures"]["shank_angle_deg"]["value"] is None


def test_changes_since_the_previous_form_check():
    before = form_record(
        faulty(),
        file_name="monday.mp4",
        file_sha256="b" * 64,
        app_version="test",
        analysed_at=datetime(2026, 11, 30, 8, tzinfo=timezone.utc),
    )
    data = render_json(clean(), previous=before)
    assert data["previous"]["file_name"] == "monday.mp4"
    assert data["previous"]["analysed_at"] == "2026-11-30T08:00:00Z"
    change = {c["measure"]: c for c in data["changes"]}["foot_ahead_of_hip_pct_leg"]
    assert change["verdict"] == "better" and change["before"] > 25 and change["after"] < 10
    assert render_json(clean())["previous"] is None and render_json(clean())["changes"] == []


def _paths(value: object, prefix: str = "") -> set[str]:
    """Every field path of the JSON (lists as ``[]``), not going into measure-keyed maps."""
    out: set[str] = set()
    measure_maps = {"strides[].measures", "medians.both", "medians.left", "medians.right"}
    measure_maps |= {"bands", "sources", "previous.medians"}
    if isinstance(value, dict):
        for key, inner in value.items():
            path = f"{prefix}.{key}" if prefix else key
            out.add(path)
            if path not in measure_maps:
                out |= _paths(inner, path)
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        out |= _paths(value[0], prefix + "[]")
    return out


def test_every_json_field_is_documented():
    doc = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_][a-z0-9_.\[\]]*)`", doc))
    before = form_record(faulty(), file_name="a.mp4", file_sha256="c" * 64, app_version="t")
    found = _paths(render_json(faulty(), previous=before)) | _paths(render_json(clean()))
    # nested fields are documented in their parent's row: `parent` ... `child`
    missing = []
    for path in sorted(found):
        leaf = path.rsplit(".", 1)[-1].removesuffix("[]")
        children = any(d.startswith(f"{path}.") for d in documented)
        if path not in documented and not children and not {leaf, f"{leaf}[]"} & documented:
            missing.append(path)
    assert missing == []
    for info in INFO.values():
        assert f"`{info.json}`" in doc


def test_every_band_source_is_in_the_doc():
    from pose_coach.video.bands import SOURCES

    doc = DOC.read_text(encoding="utf-8")
    assert all(f"`{key}`" in doc for key in SOURCES)
