"""The named figures: the one body (``body.py``) posed for each drill kind, with props.

A ``Figure`` is plain data: the skeletons (for tests of the geometry), and the shapes to
draw (polylines, circles, filled polygons, text) in figure units. ``draw.py`` turns the
same shapes into SVG, PDF drawing calls and PNG pixels, so the three never disagree.

Black strokes on white, dashed guides and one grey (the far leg, the partner): the
figures survive black-and-white printing and photocopies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache

from pose_coach.library.model import FIGURES
from pose_coach.render.figures.body import (
    BODY,
    GROUND,
    Body,
    Foot,
    Point,
    Skeleton,
    distance,
    foot_on_ball,
    hanging_foot,
    knee_between,
    lean_degrees,
    rotate,
    upper_body,
)

BOX_HEIGHT = 140.0
STROKE = 4.2  # limbs and trunk
GUIDE = 1.1  # dashed guide lines
BLACK, GREY, WHITE = "#000", "#444", "#fff"
FALL_ANGLE = 15.0  # degrees drawn; a running lean is far smaller (see EXAGGERATED)
# The lean of a running fall is "as little as possible" (CrossFit Endurance transcript)
# and "barely visible" (the leaning-hops drill); 15° is what a fall reaches in about a
# second before the pull, drawn so it reads on paper, and labelled as exaggerated.
EXAGGERATED = "exaggerated for clarity"
SUPPORT_KNEE = 25.0  # degrees of flexion of a soft support knee


def ten_cm(body: Body = BODY) -> float:
    """10 cm in figure units, for a runner 1.75 m tall (the wall pull's heel gap)."""
    return body.height * 10 / 175


@dataclass(frozen=True)
class Shape:
    kind: str  # 'line', 'circle', 'polygon' or 'text'
    points: tuple[Point, ...]
    width: float = STROKE
    colour: str = BLACK
    dash: tuple[float, float] | None = None
    radius: float = 0.0
    fill: str | None = None  # circles: the fill colour
    text: str = ""
    size: float = 0.0  # text: font size in figure units
    anchor: str = "start"  # text: 'start', 'middle' or 'end'
    bold: bool = False


@dataclass(frozen=True)
class Figure:
    """One drawing, its data and the words that go with it."""

    name: str
    width: float
    shapes: tuple[Shape, ...]
    skeletons: tuple[Skeleton, ...]
    caption: str  # one line: what the figure shows (a sheet's text form of the drawing)
    label: str  # a few words under a small figure
    angle: float | None = None  # the lean drawn (degrees), where one is marked
    angle_label: str | None = None  # the text written on the drawing for it
    exaggerated: bool = False
    marks: dict[str, float] = field(default_factory=dict)  # props: wall x, step edge, ...

    height: float = BOX_HEIGHT

    @property
    def runner(self) -> Skeleton:
        return self.skeletons[0]


class _Pen:
    """Collects shapes in drawing order."""

    def __init__(self) -> None:
        self.shapes: list[Shape] = []

    def line(self, *points: Point, width: float = STROKE, colour: str = BLACK, dash=None) -> None:
        self.shapes.append(Shape("line", tuple(points), width, colour, dash))

    def circle(self, centre: Point, r: float, fill: str = WHITE, width: float = STROKE) -> None:
        self.shapes.append(Shape("circle", (centre,), width, BLACK, radius=r, fill=fill))

    def polygon(self, *points: Point) -> None:
        self.shapes.append(Shape("polygon", tuple(points), 0.0, BLACK))

    def text(self, at: Point, text: str, size: float, anchor: str = "start", bold=False) -> None:
        self.shapes.append(Shape("text", (at,), text=text, size=size, anchor=anchor, bold=bold))

    def arrow(self, start: Point, end: Point, width: float = 1.8, head: float = 5.0) -> None:
        """A straight arrow with a filled triangular head."""
        (sx, sy), (ex, ey) = start, end
        length = math.hypot(ex - sx, ey - sy)
        ux, uy = (ex - sx) / length, (ey - sy) / length
        base = (ex - ux * head, ey - uy * head)
        self.line(start, base, width=width)
        half = head * 0.55
        self.polygon(
            end,
            (base[0] - uy * half, base[1] + ux * half),
            (base[0] + uy * half, base[1] - ux * half),
        )

    def arc(self, centre: Point, r: float, start_deg: float, end_deg: float, width: float) -> None:
        """An arc as a polyline (every backend draws it the same), angles from straight up,
        clockwise."""
        n = max(int(abs(end_deg - start_deg) / 2) + 2, 3)
        points = []
        for i in range(n):
            a = math.radians(start_deg + (end_deg - start_deg) * i / (n - 1))
            points.append((centre[0] + r * math.sin(a), centre[1] - r * math.cos(a)))
        self.line(*points, width=width)

    def ground(self, left: float, right: float, y: float = GROUND) -> None:
        self.line((left, y + 2.2), (right, y + 2.2), width=1.6)
        for x in range(int(left) + 4, int(right), 8):  # hatching reads as "ground" in any print
            self.line((x, y + 3.2), (x - 4, y + 7), width=0.8)

    def fulcrum(self, x: float, y: float = GROUND) -> None:
        """A wedge under the ball of the foot: where the weight rests."""
        self.polygon((x, y + 0.5), (x - 5.0, y + 8.0), (x + 5.0, y + 8.0))

    def runner(self, s: Skeleton, far_leg: bool = True, colour: str = BLACK) -> None:
        """The far leg first (grey), so the near one is drawn over it where they cross."""
        if far_leg:
            self.line(s.hip, s.free_knee, s.free_ankle, width=STROKE, colour=GREY)
            self.line(
                s.free_heel, s.free_ankle, s.free_ball, s.free_toe, width=STROKE - 0.8, colour=GREY
            )
        self.line(s.shoulder, s.hip, colour=colour)
        self.line(s.hip, s.knee, s.ankle, colour=colour)
        self.line(s.heel, s.ankle, s.ball, s.toe, width=STROKE - 0.8, colour=colour)
        self.line(s.shoulder, s.elbow, s.hand, width=STROKE - 0.6, colour=colour)
        r = BODY.head_radius
        k = r / distance(s.head, s.shoulder)
        neck_top = (
            s.head[0] + (s.shoulder[0] - s.head[0]) * k,
            s.head[1] + (s.shoulder[1] - s.head[1]) * k,
        )
        self.line(s.shoulder, neck_top, colour=colour)
        self.shapes.append(Shape("circle", (s.head,), STROKE - 0.8, colour, radius=r, fill=WHITE))

    def lean_marks(self, pivot: Point, lean: float, reach: float) -> tuple[str, Point]:
        """The vertical from the pivot, the body line, the arc between them and its label."""
        self.line(pivot, (pivot[0], pivot[1] - reach), width=GUIDE, dash=(3, 2.5))
        top = rotate((pivot[0], pivot[1] - reach), pivot, lean)
        self.line(pivot, top, width=GUIDE, dash=(1, 2))
        r = reach * 0.78
        self.arc(pivot, r, 0.0, lean, width=1.6)
        for a in (0.0, lean):
            end = (
                pivot[0] + r * math.sin(math.radians(a)),
                pivot[1] - r * math.cos(math.radians(a)),
            )
            self.circle(end, 1.3, fill=BLACK, width=0)
        text = f"{lean:.0f}°"
        at = (pivot[0] - 2.0, pivot[1] - r + 3.0)  # left of the vertical, level with the arc
        return text, at


# -- bodies -------------------------------------------------------------------------------


def _skeleton(
    hip: Point,
    near: Foot,
    near_knee: Point,
    far: Foot,
    far_knee: Point,
    lean: float,
    arm: tuple[float, float] = (-20, 100),
    facing: int = 1,
    body: Body = BODY,
) -> Skeleton:
    shoulder, head, elbow, hand = upper_body(hip, lean, body, facing, arm)
    return Skeleton(
        head=head,
        shoulder=shoulder,
        hip=hip,
        elbow=elbow,
        hand=hand,
        knee=near_knee,
        ankle=near.ankle,
        heel=near.heel,
        ball=near.ball,
        toe=near.toe,
        free_knee=far_knee,
        free_ankle=far.ankle,
        free_heel=far.heel,
        free_ball=far.ball,
        free_toe=far.toe,
        facing=facing,
    )


def running_pose(ball_x: float = 50.0, body: Body = BODY) -> Skeleton:
    """On the ball of one foot, heel just off the ground, knee soft; ankle, hip and shoulder
    on one vertical; the other ankle straight under the hip at about knee height."""
    foot = foot_on_ball((ball_x, GROUND), heel_lift=12.0, body=body)
    hip = (foot.ankle[0], foot.ankle[1] - body.hip_to_ankle(SUPPORT_KNEE))
    knee = knee_between(hip, foot.ankle, body)
    free_ankle = (hip[0], knee[1] + 2.0)
    free_knee = knee_between(hip, free_ankle, body)
    free = hanging_foot(free_ankle, drop=55.0, body=body)
    return _skeleton(hip, foot, knee, free, free_knee, lean=0.0, body=body)


def _leaned(s: Skeleton, degrees: float, pivots: tuple[Point, ...]) -> Skeleton:
    """Everything above the ankle(s) turned forward ``degrees`` about the near ankle; the
    feet stay planted (a two-foot stance keeps both ankles: ``pivots``)."""
    pivot = s.ankle

    def turn(p: Point) -> Point:
        return rotate(p, pivot, degrees, s.facing)

    hip = turn(s.hip)
    far_ankle = s.free_ankle if s.free_ankle in pivots else turn(s.free_ankle)
    free: list[Point] = [s.free_heel, far_ankle, s.free_ball, s.free_toe]
    if s.free_ankle in pivots:
        free_knee = knee_between(hip, far_ankle, BODY, facing=s.facing)
    else:
        free_knee = turn(s.free_knee)
        free = [turn(p) for p in (s.free_heel, s.free_ankle, s.free_ball, s.free_toe)]
    return Skeleton(
        head=turn(s.head),
        shoulder=turn(s.shoulder),
        hip=hip,
        elbow=turn(s.elbow),
        hand=turn(s.hand),
        knee=turn(s.knee),
        ankle=s.ankle,
        heel=s.heel,
        ball=s.ball,
        toe=s.toe,
        free_knee=free_knee,
        free_ankle=free[1],
        free_heel=free[0],
        free_ball=free[2],
        free_toe=free[3],
        facing=s.facing,
    )


def two_foot_stance(
    ball_x: float = 50.0,
    heel_lift: float = 5.0,
    knee: float = 15.0,
    facing: int = 1,
    arm: tuple[float, float] = (-8, 30),
    body: Body = BODY,
) -> Skeleton:
    """Both feet on the ground under the hips, weight on the balls, knees soft; ankle, hip
    and shoulder on one vertical. The far foot is drawn a little ahead of the near one,
    so both legs show."""
    near = foot_on_ball((ball_x, GROUND), heel_lift, body, facing)
    far = foot_on_ball((ball_x + facing * 2.5, GROUND), heel_lift, body, facing)
    hip = (near.ankle[0], near.ankle[1] - body.hip_to_ankle(knee))
    return _skeleton(
        hip,
        near,
        knee_between(hip, near.ankle, body, facing=facing),
        far,
        knee_between(hip, far.ankle, body, facing=facing),
        lean=0.0,
        arm=arm,
        facing=facing,
        body=body,
    )


def pull_moment(hip_x: float = 50.0, body: Body = BODY) -> Skeleton:
    """The pull: the support foot pulled straight up under the hip, the other foot landing
    on its ball under the hip, knee soft; the body still tipped a little forward."""
    land = foot_on_ball((0.0, GROUND), heel_lift=18.0, body=body)
    shift = hip_x - land.ankle[0]
    land = Foot(*[(p[0] + shift, p[1]) for p in (land.heel, land.ankle, land.ball, land.toe)])
    hip = (land.ankle[0], land.ankle[1] - body.hip_to_ankle(20.0))
    land_knee = knee_between(hip, land.ankle, body)
    pulled_ankle = (hip[0] - 0.6, land_knee[1] - 1.5)  # straight under the hip, knee height
    pulled_knee = knee_between(hip, pulled_ankle, body)
    pulled = hanging_foot(pulled_ankle, drop=48.0, body=body)
    return _skeleton(hip, pulled, pulled_knee, land, land_knee, lean=6.0, body=body)


# -- figures ------------------------------------------------------------------------------


def _pose() -> Figure:
    s = running_pose()
    pen = _Pen()
    pen.ground(8, 92)
    pen.line((s.ankle[0], GROUND), (s.ankle[0], 8), width=GUIDE, dash=(3, 2.5))
    pen.runner(s)
    pen.fulcrum(s.ball[0])
    return Figure(
        "pose",
        100,
        tuple(pen.shapes),
        (s,),
        "Pose: on the ball of one foot, knee soft; ankle, hip and shoulder on one vertical "
        "line; the other foot pulled up under the hip.",
        "ankle, hip, shoulder stacked",
    )


def _fall() -> Figure:
    base = running_pose(ball_x=42.0)
    s = _leaned(base, FALL_ANGLE, ())
    pen = _Pen()
    pen.ground(8, 92)
    text, at = pen.lean_marks(s.ankle, lean_degrees(s), reach=distance(s.ankle, s.shoulder) + 12)
    pen.runner(s)
    pen.text(at, text, 9.0, anchor="end", bold=True)
    pen.text((4, 10), EXAGGERATED, 6.5)
    head = s.head
    pen.arrow((head[0] + 11, head[1] - 4), (head[0] + 23, head[1] + 3))
    return Figure(
        "fall",
        100,
        tuple(pen.shapes),
        (s,),
        f"Fall: one straight line from the ankle through hip and shoulder, tipping forward; "
        f"the support knee stays soft; the {FALL_ANGLE:.0f}° marked is {EXAGGERATED}.",
        "lean from the ankle",
        angle=lean_degrees(s),
        angle_label=text,
        exaggerated=True,
    )


def _pull() -> Figure:
    s = pull_moment()
    pen = _Pen()
    pen.ground(8, 92)
    pen.line((s.hip[0], GROUND), (s.hip[0], s.hip[1] - 8), width=GUIDE, dash=(3, 2.5))
    pen.runner(s)
    x = s.heel[0] - 6.0
    pen.arrow((x, GROUND - 3.0), (x, s.ankle[1] - 4.0), width=2.4, head=7.0)  # the pull
    x = s.free_toe[0] + 6.0
    pen.arrow((x, s.free_ankle[1] - 16.0), (x, GROUND - 2.0), width=1.2, head=4.5)  # landing
    return Figure(
        "pull",
        100,
        tuple(pen.shapes),
        (s,),
        "Pull: the support foot is pulled straight up under the hip while the other foot "
        "lands on its ball under the hip, knee soft.",
        "foot up under the hip",
    )


def _two_foot() -> Figure:
    s = two_foot_stance()
    pen = _Pen()
    pen.ground(8, 92)
    pen.line((s.ankle[0], GROUND), (s.ankle[0], 8), width=GUIDE, dash=(3, 2.5))
    pen.runner(s)
    pen.fulcrum(s.ball[0])
    return Figure(
        "two-foot",
        100,
        tuple(pen.shapes),
        (s,),
        "Two-foot stance: feet under the hips, weight on the balls of the feet, knees soft; "
        "ankle, hip and shoulder on one vertical line.",
        "weight on the balls",
    )


def _two_foot_fall() -> Figure:
    base = two_foot_stance(ball_x=40.0)
    s = _leaned(base, FALL_ANGLE, (base.ankle, base.free_ankle))
    pen = _Pen()
    pen.ground(8, 92)
    text, at = pen.lean_marks(s.ankle, lean_degrees(s), reach=distance(s.ankle, s.shoulder) + 12)
    pen.runner(s)
    pen.text(at, text, 9.0, anchor="end", bold=True)
    pen.text((4, 10), EXAGGERATED, 6.5)
    return Figure(
        "two-foot-fall",
        100,
        tuple(pen.shapes),
        (s,),
        f"Fall from two feet: the straight body tips forward from the ankles, knees soft; "
        f"the {FALL_ANGLE:.0f}° marked is {EXAGGERATED}.",
        "tip from the ankles",
        angle=lean_degrees(s),
        angle_label=text,
        exaggerated=True,
    )


WALL_LEAN = 18.0  # the supported lean into a wall, hands at arm's length


def _wall_fall() -> Figure:
    base = two_foot_stance(ball_x=28.0, arm=(90, 90))
    s = _leaned(base, WALL_LEAN, (base.ankle, base.free_ankle))
    # arms straight out to the wall at shoulder height
    reach = BODY.upper_arm + BODY.forearm
    elbow = (s.shoulder[0] + BODY.upper_arm, s.shoulder[1])
    hand = (s.shoulder[0] + reach, s.shoulder[1])
    s = replace(s, elbow=elbow, hand=hand)
    wall = hand[0] + 1.5
    pen = _Pen()
    pen.ground(6, wall)
    _wall(pen, wall, facing_left=True)
    pen.runner(s)
    return Figure(
        "wall-fall",
        wall + 10,
        tuple(pen.shapes),
        (s,),
        "Wall fall: leaning into a wall from the ankles, body straight, knees soft, hands on "
        "the wall at arm's length.",
        "lean into the wall",
        angle=lean_degrees(s),
        marks={"wall": wall},
    )


def _wall(pen: _Pen, x: float, facing_left: bool, top: float = 8.0) -> None:
    """A wall face at ``x``; its hatching on the side away from the runner."""
    side = 1 if facing_left else -1
    pen.line((x, GROUND + 2.2), (x, top), width=2.4)
    for y in range(int(top) + 4, int(GROUND), 8):
        pen.line((x, y), (x + side * 5, y - 4), width=0.8)


def _wall_pull() -> Figure:
    s = running_pose(ball_x=36.0)
    wall = s.heel[0] - ten_cm()
    pen = _Pen()
    pen.ground(wall, 92)
    _wall(pen, wall, facing_left=False)
    pen.line((s.ankle[0], GROUND), (s.ankle[0], 8), width=GUIDE, dash=(3, 2.5))
    pen.runner(s)
    # the gap between heel and wall, marked
    y = GROUND - 14
    pen.line((wall, y), (s.heel[0], y), width=0.9)
    pen.text(((wall + s.heel[0]) / 2, y - 2), "10 cm", 5.5, anchor="middle")
    return Figure(
        "wall-pull",
        100,
        tuple(pen.shapes),
        (s,),
        "Wall pull: back to a wall, heels about 10 cm from it, the foot pulled straight up "
        "under the hip so the heel never touches the wall.",
        "heel clear of the wall",
        marks={"wall": wall},
    )


def _partner_fall() -> Figure:
    base = two_foot_stance(ball_x=30.0, arm=(-15, 60))
    runner = _leaned(base, 12.0, (base.ankle, base.free_ankle))
    # the partner faces the runner (to the left), upright and stable, hands on the
    # runner's shoulders, the shoulders about 80 % of an arm's length apart
    reach = BODY.upper_arm + BODY.forearm
    target = (runner.shoulder[0] + 2.5, runner.shoulder[1] + 1.0)
    partner_x = target[0] + 0.8 * reach  # the partner's shoulder, hip and ankle
    partner = two_foot_stance(
        ball_x=partner_x - BODY.ankle_to_ball, facing=-1, heel_lift=0.0, knee=10.0
    )
    partner = _with_arm_to(partner, target)
    pen = _Pen()
    width = partner.toe[0] + 14 if partner.toe[0] > partner.heel[0] else partner.heel[0] + 14
    pen.ground(6, width - 4)
    pen.runner(partner, far_leg=False, colour=GREY)
    pen.runner(runner)
    return Figure(
        "partner-fall",
        width,
        tuple(pen.shapes),
        (runner, partner),
        "Partner fall: the runner leans from the ankles into the partner's hands on the "
        "shoulders; the partner steps aside on the agreed call.",
        "lean into the partner",
        angle=lean_degrees(runner),
    )


def _with_arm_to(s: Skeleton, target: Point) -> Skeleton:
    """The same skeleton with its (near) arm reaching ``target``, elbow down."""
    u, f = BODY.upper_arm, BODY.forearm
    d = distance(s.shoulder, target)
    if d >= u + f:
        raise ValueError("partner out of reach")
    a = (u * u - f * f + d * d) / (2 * d)
    h = math.sqrt(max(u * u - a * a, 0.0))
    ux, uy = (target[0] - s.shoulder[0]) / d, (target[1] - s.shoulder[1]) / d
    px, py = -uy, ux  # the side below the line for an arm reaching sideways
    if py < 0:
        px, py = -px, -py
    elbow = (s.shoulder[0] + a * ux + h * px, s.shoulder[1] + a * uy + h * py)
    return replace(s, elbow=elbow, hand=target)


STEP_HEIGHT = 9.0  # about 13 cm for a 1.75 m runner


def _heel_raise() -> Figure:
    ball_x = 46.0
    edge = ball_x - 1.5  # the ball of the foot on the step's edge, the heel off it
    top = GROUND - STEP_HEIGHT
    body = BODY
    foot = foot_on_ball((ball_x, top), heel_lift=14.0, body=body)
    hip = (foot.ankle[0], foot.ankle[1] - body.hip_to_ankle(5.0))
    knee = knee_between(hip, foot.ankle, body)
    free_ankle = (hip[0] - 4.0, knee[1] + 8.0)  # the other foot lifted off, behind
    free_knee = knee_between(hip, free_ankle, body)
    free = hanging_foot(free_ankle, drop=35.0, body=body)
    s = _skeleton(hip, foot, knee, free, free_knee, lean=0.0, arm=(-5, 20), body=body)
    pen = _Pen()
    pen.ground(8, 92)
    # the step: a block from its edge forward, under the ball and the toes
    pen.line((edge, GROUND + 2.2), (edge, top), (92, top), width=2.0)
    for y in range(int(top) + 4, int(GROUND), 6):
        pen.line((edge, y), (edge + 4, y - 3), width=0.8)
    # the lowered heel, dashed: the drop below the step's edge
    low = foot_on_ball((ball_x, top), heel_lift=-18.0, body=body)
    pen.line(low.heel, low.ankle, low.ball, width=1.4, dash=(2.5, 2))
    x = foot.heel[0] - 5.0
    pen.arrow((x, low.heel[1] - 1), (x, foot.heel[1] - 5), width=1.2, head=4.0)
    pen.arrow((x, foot.heel[1] - 3), (x, low.heel[1] + 3), width=1.2, head=4.0)
    pen.runner(s)
    return Figure(
        "heel-raise",
        100,
        tuple(pen.shapes),
        (s,),
        "Heel raise: on the ball of one foot at a step's edge, the heel rising and lowering "
        "slowly below the step.",
        "rise, lower slowly",
        marks={"edge": edge, "step_top": top},
    )


_BUILDERS = {
    "pose": _pose,
    "fall": _fall,
    "pull": _pull,
    "two-foot": _two_foot,
    "two-foot-fall": _two_foot_fall,
    "wall-fall": _wall_fall,
    "wall-pull": _wall_pull,
    "partner-fall": _partner_fall,
    "heel-raise": _heel_raise,
}
assert tuple(_BUILDERS) == FIGURES, "library/model.py FIGURES and the builders must agree"


@cache
def figure(name: str) -> Figure:
    """The named figure (``library.model.FIGURES``); ValueError for another name."""
    try:
        build = _BUILDERS[name]
    except KeyError:
        raise ValueError(f"no figure {name!r}; figures: {', '.join(FIGURES)}") from None
    return build()
