"""The stick figures: valid SVG, black and white, and each shows its movement."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import pytest

from pose_coach.library.model import Phase
from pose_coach.render.sheet.figures import (
    FALL_ANGLE,
    GROUND,
    figure_caption,
    figure_label,
    figure_svg,
    lean_degrees,
    skeleton,
)

SVG = "{http://www.w3.org/2000/svg}"


def _angle_between(a, b, c) -> float:
    """The bend at ``b`` in degrees (0 = straight)."""
    v1 = (a[0] - b[0], a[1] - b[1])
    v2 = (c[0] - b[0], c[1] - b[1])
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
    return 180.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos))))


@pytest.mark.parametrize("phase", list(Phase))
def test_svg_is_valid_grey_and_labelled(phase):
    svg = figure_svg(phase)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("data-phase") == phase.value
    assert root.get("viewBox") == "0 0 100 140"
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{3})"', svg))
    assert colours <= {"#000", "#444", "#fff"}  # prints the same on a black-and-white printer
    assert "stroke-dasharray" in svg  # the guide line
    assert "marker" not in svg  # fpdf2 would drop or mis-draw markers
    # labels (the fall's angle) are text in the HTML figure; the PDF sets them itself
    assert "<text" not in figure_svg(phase, text=False)
    assert figure_caption(phase).lower().startswith(phase.value)
    assert figure_label(phase)


def test_three_different_figures():
    assert len({figure_svg(phase) for phase in Phase}) == 3


def test_pose_weight_on_the_ball_other_foot_under_the_hip():
    s = skeleton(Phase.POSE)
    assert s.ball[1] == GROUND and s.toe[1] == GROUND
    assert s.heel[1] < GROUND  # heel hovering: the weight is on the ball
    # stacked over the ankle, not the ball, as the review asks (Pose; Arendse et al.)
    assert abs(s.hip[0] - s.ankle[0]) < 2 and abs(s.shoulder[0] - s.ankle[0]) < 2
    assert abs(s.free_ankle[0] - s.hip[0]) < 5  # free foot under the hip
    assert s.free_ankle[1] < GROUND - 25  # raised well off the ground
    assert s.free_knee[0] > s.hip[0] + 10  # the figure 4: knee forward


def test_fall_straight_body_leaning_from_the_ankle_with_the_angle_marked():
    s = skeleton(Phase.FALL)
    assert lean_degrees(s) == pytest.approx(FALL_ANGLE, abs=0.5)
    # one straight line from the ankle through hip, shoulder and head, no bend at the
    # waist; the support knee soft (the review: the old figure locked it straight)
    for a, b, c in ((s.ankle, s.hip, s.shoulder), (s.hip, s.shoulder, s.head)):
        assert _angle_between(a, b, c) < 1.0
    assert _angle_between(s.hip, s.knee, s.ankle) > 10
    assert s.ball[1] == GROUND  # the foot stays planted
    svg = figure_svg(Phase.FALL)
    assert f">{FALL_ANGLE:.0f}°</text>" in svg  # the angle, labelled


def test_pull_support_foot_up_under_the_hip():
    s = skeleton(Phase.PULL)
    assert s.ball[1] < GROUND - 10 and s.heel[1] < GROUND - 20  # off the ground
    assert abs(s.ankle[0] - s.hip[0]) < 15  # under the hip, not kicked out behind
    assert s.ankle[1] < skeleton(Phase.POSE).knee[1] + 15  # pulled up to about knee height
    assert s.free_ankle[1] > s.ankle[1]  # the other foot is the one going down
    svg = figure_svg(Phase.PULL)
    assert svg.count("<polygon") >= 2  # the pull arrow and the dropping-foot arrow
