"""Stick figures of the three Pose Method movements, drawn as SVG by our own code.

One SVG per phase serves both sheets: the HTML sheet inlines it and the PDF sheet hands
the same bytes to fpdf2, which draws SVG as vectors. The figures are black strokes on
white with dashed guide lines, so they survive black-and-white printing and photocopies.

The runner faces right. Coordinates are in a 100 × 140 box with the ground at y = 132;
SVG's y axis points down, so a forward lean is a clockwise rotation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from pose_coach.library.model import Phase

Point = tuple[float, float]

WIDTH, HEIGHT = 100, 140
GROUND = 132.0
BODY = 4.2  # stroke width of limbs and torso
GUIDE = 1.1  # stroke width of guide lines (dashed verticals, angle arc)
HEAD_R = 8.0

# One line each, shown under the figure and used as the text form of the diagram.
CAPTIONS = {
    Phase.POSE: "Pose: weight on the ball of the foot, other foot raised under the hip; "
    "shoulder, hip and ball of the foot in one vertical line.",
    Phase.FALL: "Fall: the straight body leans forward from the ankles; "
    "the angle to the vertical is marked.",
    Phase.PULL: "Pull: the support foot is pulled straight up under the hip "
    "while the other foot drops.",
}
# A few words for under a small figure, where the full caption does not fit.
LABELS = {
    Phase.POSE: "on the ball of the foot",
    Phase.FALL: "lean from the ankles",
    Phase.PULL: "foot up under the hip",
}
FALL_ANGLE = 15  # degrees; more than a runner's lean, so it reads at thumbnail size


@dataclass(frozen=True)
class Skeleton:
    """Joint positions of one side-view runner."""

    head: Point
    shoulder: Point
    hip: Point
    elbow: Point
    hand: Point
    knee: Point  # support (near) leg
    ankle: Point
    heel: Point
    ball: Point
    toe: Point
    free_knee: Point  # the other leg
    free_ankle: Point
    free_ball: Point


def _knee(hip: Point, ankle: Point, forward: float = 1.0, thigh: float = 30.0) -> Point:
    """The knee of a leg from ``hip`` to ``ankle`` (two equal segments), bent forward."""
    (hx, hy), (ax, ay) = hip, ankle
    dx, dy = ax - hx, ay - hy
    dist = math.hypot(dx, dy)
    half = dist / 2
    offset = math.sqrt(max(thigh * thigh - half * half, 0.0))
    # the perpendicular that points forward (+x) for a leg hanging down
    px, py = dy / dist, -dx / dist
    if px * forward < 0:
        px, py = -px, -py
    return (hx + dx / 2 + px * offset, hy + dy / 2 + py * offset)


def _along(start: Point, degrees: float, length: float) -> Point:
    """The end of a segment hanging from ``start``, turned ``degrees`` forward of straight down."""
    a = math.radians(degrees)
    return (start[0] + length * math.sin(a), start[1] + length * math.cos(a))


def _standing_pose() -> Skeleton:
    """The running pose: on the ball of one foot, the other ankle hanging under the hip."""
    ball = (58.0, GROUND)
    ankle = (50.0, GROUND - 8.5)
    hip = (57.5, 66.0)
    shoulder = (58.0, 28.0)
    free_ankle = (56.0, 101.0)
    return Skeleton(
        head=(59.0, 28.0 - 6 - HEAD_R),
        shoulder=shoulder,
        hip=hip,
        elbow=(50.0, 45.0),
        hand=(63.0, 56.0),
        knee=_knee(hip, ankle),
        ankle=ankle,
        heel=(45.5, GROUND - 4.0),  # hovering: the weight is on the ball
        ball=ball,
        toe=(62.5, GROUND),
        free_knee=_knee(hip, free_ankle),
        free_ankle=free_ankle,
        free_ball=(61.0, 109.0),
    )


def _rotate(point: Point, centre: Point, degrees: float) -> Point:
    """Rotate clockwise on screen (a forward lean for a runner facing right)."""
    a = math.radians(degrees)
    x, y = point[0] - centre[0], point[1] - centre[1]
    cos, sin = math.cos(a), math.sin(a)
    return (centre[0] + x * cos - y * sin, centre[1] + x * sin + y * cos)


def _leaning(standing: Skeleton, degrees: float, shift: float = 0.0) -> Skeleton:
    """The fall: one straight line from the ankle through knee, hip, shoulder and head,
    tipped ``degrees`` forward; the foot stays planted, the free leg and the arm keep
    their shape relative to the body. ``shift`` moves the figure sideways in the frame."""
    a = math.radians(degrees)
    ux, uy = math.sin(a), -math.cos(a)  # up the body line

    def up(distance: float) -> Point:
        return (ankle[0] + ux * distance, ankle[1] + uy * distance)

    def turned(point: Point, old: Point, new: Point) -> Point:
        moved = _rotate(point, old, degrees)
        return (moved[0] - old[0] + new[0], moved[1] - old[1] + new[1])

    ankle = (standing.ankle[0] + shift, standing.ankle[1])
    hip = up(60.0)
    shoulder = up(60.0 + 38.0)
    return Skeleton(
        head=up(60.0 + 38.0 + 6.0 + HEAD_R),
        shoulder=shoulder,
        hip=hip,
        elbow=turned(standing.elbow, standing.shoulder, shoulder),
        hand=turned(standing.hand, standing.shoulder, shoulder),
        knee=up(30.0),
        ankle=ankle,
        heel=(standing.heel[0] + shift, standing.heel[1]),
        ball=(standing.ball[0] + shift, standing.ball[1]),
        toe=(standing.toe[0] + shift, standing.toe[1]),
        free_knee=turned(standing.free_knee, standing.hip, hip),
        free_ankle=turned(standing.free_ankle, standing.hip, hip),
        free_ball=turned(standing.free_ball, standing.hip, hip),
    )


class _Svg:
    """A tiny SVG writer: only the elements fpdf2's SVG renderer draws faithfully."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def line(
        self, *points: Point, width: float = BODY, dash: str | None = None, colour: str = "#000"
    ) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        self.parts.append(
            f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="{width}"'
            f' stroke-linecap="round" stroke-linejoin="round"{extra}/>'
        )

    def circle(self, centre: Point, r: float, *, fill: str = "#fff", width: float = BODY) -> None:
        self.parts.append(
            f'<circle cx="{centre[0]:.1f}" cy="{centre[1]:.1f}" r="{r}" fill="{fill}"'
            f' stroke="#000" stroke-width="{width}"/>'
        )

    def polygon(self, *points: Point) -> None:
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        self.parts.append(f'<polygon points="{coords}" fill="#000" stroke="none"/>')

    def path(self, d: str, width: float = GUIDE) -> None:
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="#000" stroke-width="{width}"'
            f' stroke-linecap="round"/>'
        )

    def arrow(self, start: Point, end: Point, width: float = 1.8, head: float = 5.0) -> None:
        """A straight arrow; the head is a filled triangle (no SVG markers: fpdf2 skips them)."""
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

    def text(self) -> str:
        return "".join(self.parts)


def _draw_runner(svg: _Svg, s: Skeleton, *, free_leg: bool = True) -> None:
    # the far (free) leg first, so the near leg is drawn over it where they cross
    if free_leg:
        svg.line(s.hip, s.free_knee, s.free_ankle, s.free_ball, colour="#444")
    svg.line(s.shoulder, s.hip)
    svg.line(s.hip, s.knee, s.ankle)
    svg.line(s.heel, s.ankle, s.ball, s.toe, width=BODY - 0.8)
    svg.line(s.shoulder, s.elbow, s.hand, width=BODY - 0.6)
    neck_top = (
        s.head[0] + (s.shoulder[0] - s.head[0]) * (HEAD_R / _dist(s.head, s.shoulder)),
        s.head[1] + (s.shoulder[1] - s.head[1]) * (HEAD_R / _dist(s.head, s.shoulder)),
    )
    svg.line(s.shoulder, neck_top)
    svg.circle(s.head, HEAD_R, width=BODY - 0.8)


def _dist(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _ground(svg: _Svg) -> None:
    svg.line((8, GROUND + 2.2), (92, GROUND + 2.2), width=1.6)
    # hatching under the line reads as "ground" in any print; one path keeps the PDF fast
    hatch = " ".join(f"M {x} {GROUND + 3.2} L {x - 4} {GROUND + 7}" for x in range(12, 92, 8))
    svg.path(hatch, width=0.8)


def _pull_skeleton() -> Skeleton:
    lean = 9.0
    base = _standing_pose()
    hip = _rotate(base.hip, base.ankle, lean)

    def tipped(point: Point) -> Point:
        return _rotate(point, base.ankle, lean)

    # the support foot has left the ground and rises straight up under the hip: the knee
    # stays low and in front, the shin folds back (thigh 34° forward, shin 64° back)
    knee = _along(hip, 34.0, 30.0)
    ankle = _along(knee, -64.0, 30.0)
    ball = (ankle[0] + 2.5, ankle[1] + 10.0)  # the foot hangs relaxed, toes down
    # the other leg drops, almost straight, to land under the body
    land_ankle = (hip[0] + 6.0, GROUND - 13.0)
    return Skeleton(
        head=tipped(base.head),
        shoulder=tipped(base.shoulder),
        hip=hip,
        elbow=tipped(base.elbow),
        hand=tipped(base.hand),
        knee=knee,
        ankle=ankle,
        heel=(ankle[0] - 3.0, ankle[1] - 2.0),
        ball=ball,
        toe=(ball[0] - 0.5, ball[1] + 3.5),
        free_knee=_knee(hip, land_ankle),
        free_ankle=land_ankle,
        free_ball=(land_ankle[0] + 7.5, land_ankle[1] + 5.5),
    )


def skeleton(phase: Phase | str) -> Skeleton:
    """The joints of the runner drawn for ``phase`` (tests check the shapes with these)."""
    phase = Phase(phase)
    if phase is Phase.POSE:
        return _standing_pose()
    if phase is Phase.FALL:
        return _leaning(_standing_pose(), FALL_ANGLE, shift=-5.0)
    return _pull_skeleton()


def lean_degrees(s: Skeleton) -> float:
    """The angle of the ankle-to-shoulder line to the vertical (forward is positive)."""
    return math.degrees(math.atan2(s.shoulder[0] - s.ankle[0], s.ankle[1] - s.shoulder[1]))


def _pose(svg: _Svg) -> None:
    s = skeleton(Phase.POSE)
    svg.line((s.ball[0], GROUND), (s.ball[0], 6), width=GUIDE, dash="3 2.5")
    _draw_runner(svg, s)
    # the weight: a fulcrum under the ball of the foot, apex where the weight rests
    bx = s.ball[0]
    svg.polygon((bx, GROUND + 0.5), (bx - 5.0, GROUND + 8.0), (bx + 5.0, GROUND + 8.0))


def _fall(svg: _Svg) -> None:
    s = skeleton(Phase.FALL)
    # the guides start at the ankle, where the lean comes from; the marked angle is the
    # one the drawn body really makes (ankle to shoulder), not the turn applied above
    pivot = s.ankle
    lean = lean_degrees(s)
    svg.line(pivot, (pivot[0], 8), width=GUIDE, dash="3 2.5")
    reach = _dist(pivot, s.shoulder) + 10
    svg.line(pivot, _rotate((pivot[0], pivot[1] - reach), pivot, lean), width=GUIDE, dash="1 2")
    _draw_runner(svg, s)
    # the angle between the vertical and the body line, high up where it is widest
    r = 80.0
    start = (pivot[0], pivot[1] - r)
    end = _rotate(start, pivot, lean)
    svg.path(
        f"M {start[0]:.1f} {start[1]:.1f} A {r} {r} 0 0 1 {end[0]:.1f} {end[1]:.1f}", width=1.6
    )
    for p in (start, end):
        svg.circle(p, 1.3, fill="#000", width=0)
    # which way it goes: an arrow ahead of the head
    head = s.head
    svg.arrow((head[0] + 11, head[1] - 5), (head[0] + 23, head[1] + 3))


def _pull(svg: _Svg) -> None:
    s = skeleton(Phase.PULL)
    # where the support foot was: a dashed ghost leg on the ground
    ghost_ankle = (s.ankle[0], GROUND - 8.5)
    svg.line(
        s.hip,
        _knee(s.hip, ghost_ankle),
        ghost_ankle,
        (ghost_ankle[0] + 8.5, GROUND),
        width=1.5,
        dash="2.5 2",
    )
    _draw_runner(svg, s)
    # the pull: a bold arrow from the ground straight up, just behind the heel
    x = s.ankle[0] - 8.0
    svg.arrow((x, GROUND - 3.0), (x, s.hip[1] + 10.0), width=2.4, head=7.0)
    # the free foot dropping to the ground
    x = s.free_ankle[0] + 15.0
    svg.arrow((x, s.free_ankle[1] - 18.0), (x, GROUND - 2.0), width=1.2, head=4.5)


_DRAW = {Phase.POSE: _pose, Phase.FALL: _fall, Phase.PULL: _pull}


@cache
def figure_svg(phase: Phase | str) -> str:
    """The stick figure of ``phase`` as a standalone SVG document (no XML declaration).

    ``width`` and ``height`` are the viewBox size: fpdf2 needs them to place the drawing,
    and the HTML sheet sizes the figure with CSS.
    """
    phase = Phase(phase)
    svg = _Svg()
    _ground(svg)
    _DRAW[phase](svg)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{phase.value}"'
        f' data-phase="{phase.value}">{svg.text()}</svg>'
    )


def figure_caption(phase: Phase | str) -> str:
    return CAPTIONS[Phase(phase)]


def figure_label(phase: Phase | str) -> str:
    return LABELS[Phase(phase)]
