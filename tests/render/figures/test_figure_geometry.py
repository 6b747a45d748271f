"""The figures' geometry, not their pixels: each shows the form its drill teaches."""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET

import pytest

from pose_coach.library.model import FIGURES
from pose_coach.render.figures.body import (
    BODY,
    GROUND,
    WINTER,
    knee_flexion,
    lean_degrees,
    segment_lengths,
)
from pose_coach.render.figures.draw import figure_png, figure_svg
from pose_coach.render.figures.scenes import EXAGGERATED, FALL_ANGLE, figure, ten_cm

LEG = BODY.leg  # ground to greater trochanter, standing: the unit of the tolerances
SVG = "{http://www.w3.org/2000/svg}"


def _bend(a, b, c) -> float:
    """The bend at ``b`` in degrees (0 = straight)."""
    return knee_flexion(a, b, c)


def test_segment_lengths_are_winters_proportions():
    h = BODY.height
    assert BODY.thigh == pytest.approx((WINTER.hip - WINTER.knee) * h)
    assert BODY.shank == pytest.approx((WINTER.knee - WINTER.ankle) * h)
    assert BODY.trunk == pytest.approx((WINTER.shoulder - WINTER.hip) * h)
    assert (WINTER.hip, WINTER.knee, WINTER.ankle, WINTER.shoulder) == (0.530, 0.285, 0.039, 0.818)
    assert (WINTER.upper_arm, WINTER.forearm, WINTER.foot) == (0.186, 0.146, 0.152)


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_the_same_body(name):
    """One parametric body: every skeleton's segments have the table's lengths."""
    expected = {
        "thigh": BODY.thigh,
        "shank": BODY.shank,
        "free_thigh": BODY.thigh,
        "free_shank": BODY.shank,
        "trunk": BODY.trunk,
        "upper_arm": BODY.upper_arm,
        "forearm": BODY.forearm,
    }
    for skeleton in figure(name).skeletons:
        assert segment_lengths(skeleton) == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_stands_on_the_ground_and_fits_its_box(name):
    fig = figure(name)
    points = [p for shape in fig.shapes for p in shape.points]
    assert all(-0.5 <= x <= fig.width + 0.5 and -0.5 <= y <= fig.height for x, y in points)
    s = fig.runner
    assert max(s.ball[1], s.free_ball[1]) == pytest.approx(
        GROUND - (9.0 if name == "heel-raise" else 0.0)
    )
    for joint in (s.head, s.shoulder, s.hip, s.knee, s.free_knee):
        assert joint[1] < GROUND


def test_pose_ankle_hip_and_shoulder_on_one_vertical_on_the_ball_of_the_foot():
    s = figure("pose").runner
    assert abs(s.ankle[0] - s.hip[0]) <= 0.03 * LEG
    assert abs(s.shoulder[0] - s.hip[0]) <= 0.03 * LEG
    assert s.ball[1] == GROUND and s.toe[1] == GROUND and s.heel[1] < GROUND
    assert abs(s.free_ankle[0] - s.hip[0]) <= 0.05 * LEG  # free ankle straight under the hip
    assert s.free_ankle[1] < GROUND - 0.4 * LEG  # raised, about knee height
    assert 10 <= _bend(s.hip, s.knee, s.ankle) <= 40  # soft knee, never locked
    assert s.free_knee[0] > s.hip[0] + 0.3 * LEG  # the figure 4: knee forward


@pytest.mark.parametrize("name", ["fall", "two-foot-fall"])
def test_fall_one_straight_line_from_the_ankle_knee_soft_angle_labelled(name):
    fig = figure(name)
    s = fig.runner
    assert _bend(s.ankle, s.hip, s.shoulder) < 1.0  # ankle, hip, shoulder in one line
    assert _bend(s.hip, s.shoulder, s.head) < 1.0  # no bend at the waist or neck
    assert _bend(s.hip, s.knee, s.ankle) >= 10  # the support knee stays soft
    assert lean_degrees(s) == pytest.approx(FALL_ANGLE, abs=0.01)
    # the drawn angle equals its label, and the label says it is larger than life
    assert fig.angle == pytest.approx(lean_degrees(s))
    texts = [shape.text for shape in fig.shapes if shape.kind == "text"]
    number = next(t for t in texts if t.endswith("°"))
    assert float(number[:-1]) == pytest.approx(fig.angle, abs=0.5)
    assert fig.exaggerated and EXAGGERATED in texts
    assert s.ball[1] == GROUND  # the foot stays planted


def test_pull_lands_under_the_hip_and_pulls_straight_up_under_it():
    s = figure("pull").runner
    # the landing (free) ankle on the hip's vertical: no overstride
    assert abs(s.free_ankle[0] - s.hip[0]) <= 0.05 * LEG
    assert s.free_ball[1] == GROUND and s.free_ball[0] - s.hip[0] <= 0.16 * LEG
    # the pulled (support) ankle straight under the hip, up near knee height
    assert abs(s.ankle[0] - s.hip[0]) <= 0.05 * LEG
    assert s.ankle[1] < GROUND - 0.4 * LEG
    assert s.free_ankle[1] > s.ankle[1]
    assert 10 <= _bend(s.hip, s.free_knee, s.free_ankle) <= 40  # lands on a soft knee
    assert s.knee[0] > s.hip[0]  # the pulled knee stays in front, not kicked back


def test_two_foot_stance_both_feet_down_stacked_over_the_ankles():
    s = figure("two-foot").runner
    assert s.ball[1] == s.free_ball[1] == GROUND
    assert abs(s.ankle[0] - s.hip[0]) <= 0.03 * LEG
    assert abs(s.shoulder[0] - s.hip[0]) <= 0.03 * LEG
    assert abs(s.free_ankle[0] - s.ankle[0]) <= 0.05 * LEG
    assert _bend(s.hip, s.knee, s.ankle) >= 5


def test_wall_fall_leans_from_the_ankles_hands_on_the_wall():
    fig = figure("wall-fall")
    s = fig.runner
    wall = fig.marks["wall"]
    assert abs(s.hand[0] - wall) <= 2.0
    assert _bend(s.ankle, s.hip, s.shoulder) < 1.0
    assert _bend(s.hip, s.knee, s.ankle) >= 5  # knees still bent
    assert lean_degrees(s) > 10
    assert all(x < wall for x, _ in (s.head, s.shoulder, s.hip, s.knee, s.toe))


def test_wall_pull_heels_ten_centimetres_off_and_the_pulled_heel_clear():
    fig = figure("wall-pull")
    s = fig.runner
    wall = fig.marks["wall"]
    assert s.heel[0] - wall == pytest.approx(ten_cm(), abs=0.01)
    assert min(s.free_heel[0], s.free_ankle[0]) > wall + 2.0
    assert abs(s.free_ankle[0] - s.hip[0]) <= 0.05 * LEG


def test_partner_fall_runner_leans_into_the_partners_hands():
    fig = figure("partner-fall")
    runner, partner = fig.skeletons
    assert partner.facing == -1 and runner.facing == 1
    assert math.dist(partner.hand, runner.shoulder) <= 3.0
    assert _bend(runner.ankle, runner.hip, runner.shoulder) < 1.0
    assert lean_degrees(runner) > 5
    assert abs(lean_degrees(partner)) < 1.0  # the partner stands upright and stable


def test_heel_raise_on_the_ball_at_the_step_edge():
    fig = figure("heel-raise")
    s = fig.runner
    assert s.ball[1] == fig.marks["step_top"]
    assert s.ball[0] >= fig.marks["edge"] > s.heel[0]  # the heel hangs off the edge


@pytest.mark.parametrize("name", FIGURES)
def test_svg_and_png_come_from_the_same_shapes(name):
    from PIL import Image

    fig = figure(name)
    svg = figure_svg(fig)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg" and root.get("data-figure") == name
    lines = [s for s in fig.shapes if s.kind == "line"]
    assert len(root.findall(f"{SVG}polyline")) == len(lines)
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{3})"', svg))
    assert colours <= {"#000", "#444", "#fff"}
    image = Image.open(io.BytesIO(figure_png(fig, height=280)))
    assert image.format == "PNG" and image.size[1] == 280
    assert abs(image.size[0] / 280 - fig.width / fig.height) < 0.02
    dark = image.histogram()[:100]
    dark = sum(dark)
    assert dark > 0.02 * image.size[0] * image.size[1]  # a drawn figure, not a blank


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_keeps_the_rules_of_its_kind(name):
    from figure_helpers import figure_problems

    assert figure_problems(name) == []
