"""Geometry rules every figure must keep, by kind: shared by the figure tests and the
library test that checks each built-in drill's own figure."""

from __future__ import annotations

from pose_coach.render.figures.body import BODY, GROUND, knee_flexion, lean_degrees
from pose_coach.render.figures.scenes import figure

LEG = BODY.leg


def figure_problems(name: str) -> list[str]:
    """What is wrong with a figure's geometry for its kind (empty: nothing)."""
    fig = figure(name)
    s = fig.runner
    problems = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            problems.append(f"{name}: {what}")

    if name in ("pose", "wall-pull"):
        check(abs(s.ankle[0] - s.hip[0]) <= 0.03 * LEG, "ankle not under the hip")
        check(abs(s.shoulder[0] - s.hip[0]) <= 0.03 * LEG, "shoulder not over the hip")
        check(abs(s.free_ankle[0] - s.hip[0]) <= 0.05 * LEG, "free ankle not under the hip")
        check(s.ball[1] == GROUND and s.heel[1] < GROUND, "not on the ball of the foot")
    if name in ("fall", "two-foot-fall", "wall-fall", "partner-fall"):
        check(knee_flexion(s.ankle, s.hip, s.shoulder) < 1.0, "ankle-hip-shoulder not straight")
        check(knee_flexion(s.hip, s.knee, s.ankle) >= 5, "support knee locked")
        check(lean_degrees(s) > 5, "no lean from the ankles")
    if fig.angle_label is not None:
        check(float(fig.angle_label.rstrip("°")) == round(fig.angle or 0), "angle label wrong")
    if name == "pull":
        check(abs(s.free_ankle[0] - s.hip[0]) <= 0.05 * LEG, "landing ahead of the hip")
        check(abs(s.ankle[0] - s.hip[0]) <= 0.05 * LEG, "pulled ankle not under the hip")
    if name == "two-foot":
        check(s.ball[1] == s.free_ball[1] == GROUND, "not both feet down")
        check(abs(s.ankle[0] - s.hip[0]) <= 0.03 * LEG, "ankle not under the hip")
    return problems
