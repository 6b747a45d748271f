"""The form check in text: medians left and right with units and bands, what is not
measured and why, the faults with ready-to-run drill commands, what changed."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import datetime, timezone

from report_helpers import clean, faulty, faulty_without_library

from pose_coach.library.catalog import load_catalog
from pose_coach.video.history import changes, form_record
from pose_coach.video.report_text import NO_FAULTS, print_report, render_text


def _row(text: str, label: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(f"  {label}  "))
    return line[len(label) + 2 :].split()


def test_medians_left_and_right_with_units_and_bands():
    text = render_text(faulty(), source="clip.mp4")
    assert text.startswith("Form check · clip.mp4 · 8.0 s at 60 frames/s · 1920×1080 · ")
    assert re.search(r"  all  left  right  unit +conf  band", text)
    assert _row(text, "foot ahead")[:4] == ["30", "30", "30", "%"]
    assert _row(text, "foot ahead")[6:9] == ["fault", "ahead", "of"]
    assert "[pose-landing]" in text
    assert _row(text, "cadence")[3:4] == ["spm"]
    assert _row(text, "waist bend")[3:6] == ["°", _row(text, "waist bend")[4], "fault"]
    assert _row(text, "knee bend")[3] == "°" and _row(text, "knee bend")[5] == "good"


def test_left_and_right_apart():
    from synthetic import Runner, Scene, frames

    from pose_coach.video.analysis import analyse_poses
    from pose_coach.video.model import FormOptions

    lopsided = analyse_poses(
        frames(Runner(overstride=0.05, overstride_right=0.25), Scene()), FormOptions(fps=60.0)
    )
    cells = _row(render_text(lopsided), "foot ahead")
    left, right = int(cells[1]), int(cells[2])
    assert abs(left - 5) <= 2 and abs(right - 25) <= 2


def test_below_120_fps_stance_time_is_not_measured_and_the_report_says_why():
    text = render_text(faulty())
    section = text.split("Not measured on this clip\n")[1].split("\n\n")[0]
    assert (
        "Stance (ground contact) time (ms): needs 120 frames/s or more (this clip: 60)" in section
    )
    assert "Fall angle at toe-off (°): needs 120 frames/s" in section
    assert "Vertical bounce of the hip (cm): needs the runner's height" in section
    assert "  stance  " not in text


def test_at_120_fps_with_a_height_everything_is_measured():
    text = render_text(clean())
    assert "Not measured" not in text
    assert _row(text, "stance")[3] == "ms" and abs(int(_row(text, "stance")[0]) - 211) <= 25
    assert _row(text, "bounce cm")[3] == "cm"
    assert NO_FAULTS in text


def test_faults_come_with_ready_to_run_drill_commands():
    analysis = faulty()
    text = render_text(analysis)
    faults = text.split("What the video shows\n")[1]
    assert "• Foot ahead of the hip at landing: 30 % leg" in faults
    assert "• Bending at the waist" in faults and "• Cadence" in faults
    entries = load_catalog().entries
    commands = [c for p in analysis.prescriptions for c in p.commands]
    assert len(commands) >= 6
    for command in commands:
        assert f"      {command}   " in faults
        drill = command.split()[2]
        assert drill in entries  # the command names a drill the library has
    assert "pose-coach drill wall-fall" in faults
    assert re.search(r"pose-coach drill \S+ --cadence 16\d", faults)


def test_without_the_library_the_faults_point_at_the_fault_index():
    text = render_text(faulty_without_library())
    assert "Drills for it: pose-coach faults overstriding" in text


def test_what_changed_since_the_previous_form_check():
    before = form_record(
        faulty(),
        file_name="monday.mp4",
        file_sha256="a" * 64,
        app_version="test",
        analysed_at=datetime(2026, 11, 30, 8, tzinfo=timezone.utc),
    )
    text = render_text(clean(), previous=before)
    section = text.split("Since the previous form check (2026-11-30, monday.mp4)\n")[1]
    assert "  foot ahead 30 → 7 % leg (-23, better)" in section
    assert "  cadence 157 → 182 spm (+25, better)" in section
    found = {c.measure: c for c in changes(clean(), before)}
    assert found["trunk_lean"].verdict is None  # context only: no band to move
    assert "stance_time" not in found  # not measured the first time
    assert "No earlier form check" in render_text(clean())
    assert "form check" not in render_text(clean(), compare=False).split("\n", 1)[1]


def test_text_from_files_is_never_markup_nor_control_characters():
    analysis = faulty()
    text = render_text(analysis, source="run\x1b[31m.mp4")
    assert "\x1b" not in text and "run\\x1b[31m.mp4" in text
    out = io.StringIO()
    print_report(analysis, styled=True, color=True, stream=out, source="[bold]clip[/bold].mp4")
    assert "[bold]clip[/bold].mp4" in out.getvalue()
    plain = io.StringIO()
    print_report(analysis, styled=False, stream=plain)
    assert plain.getvalue() == render_text(analysis)


def test_notes_are_shown():
    analysis = replace(faulty(), notes=("2 people in the clip; person 1 is analysed",))
    assert "\n  2 people in the clip; person 1 is analysed\n" in render_text(analysis)
