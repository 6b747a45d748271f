"""One parametric body for every figure: segment lengths from standard proportions.

Every stick figure pose-coach draws (cue sheets in HTML and PDF, PNG files) is this one
body with different joint angles, so a thigh is the same length in the pose, the fall
and the pull, and a figure can only show what a body can do.

Segment lengths are fractions of standing height H, from the segment-length diagram of
Drillis & Contini as given by Winter (D. A. Winter, *Biomechanics and Motor Control of
Human Movement*, 4th ed., Wiley 2009, ch. 4 "Anthropometry", Fig. 4.1; after R. Drillis
and R. Contini, *Body Segment Parameters*, Report 1166-03, New York University, 1966):
heights of the ankle 0.039 H, knee 0.285 H, hip (greater trochanter) 0.530 H, shoulder
0.818 H, chin 0.870 H; head 0.130 H; upper arm 0.186 H, forearm 0.146 H; foot length
0.152 H. Where the foot's joints sit along its length the table is silent: the ankle
0.25 and the ball 0.72 of the foot length from the heel are drawing choices.

Coordinates are figure units with SVG's axes: x to the right (the runner faces +x), y
down, the ground at ``GROUND``. Angles are degrees from straight down, positive forward.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Point = tuple[float, float]

GROUND = 132.0
HEIGHT = 118.0  # standing height H in figure units (the head's top 14 units from the top)


@dataclass(frozen=True)
class Proportions:
    """Segment lengths as fractions of standing height (Winter 2009, Fig. 4.1)."""

    ankle: float = 0.039
    knee: float = 0.285
    hip: float = 0.530
    shoulder: float = 0.818
    chin: float = 0.870
    head: float = 0.130
    upper_arm: float = 0.186
    forearm: float = 0.146
    foot: float = 0.152
    heel_to_ankle: float = 0.25  # of the foot's length: a drawing choice
    heel_to_ball: float = 0.72  # of the foot's length: a drawing choice


WINTER = Proportions()


@dataclass(frozen=True)
class Body:
    """A body of standing height ``height``: every segment length of every figure."""

    height: float = HEIGHT
    p: Proportions = WINTER

    @property
    def ankle_height(self) -> float:
        return self.p.ankle * self.height

    @property
    def shank(self) -> float:
        return (self.p.knee - self.p.ankle) * self.height

    @property
    def thigh(self) -> float:
        return (self.p.hip - self.p.knee) * self.height

    @property
    def leg(self) -> float:
        """Leg length: the hip's height standing straight (ground to greater trochanter)."""
        return self.p.hip * self.height

    @property
    def trunk(self) -> float:
        return (self.p.shoulder - self.p.hip) * self.height

    @property
    def neck(self) -> float:
        return (self.p.chin - self.p.shoulder) * self.height

    @property
    def head_radius(self) -> float:
        return self.p.head * self.height / 2

    @property
    def upper_arm(self) -> float:
        return self.p.upper_arm * self.height

    @property
    def forearm(self) -> float:
        return self.p.forearm * self.height

    @property
    def foot(self) -> float:
        return self.p.foot * self.height

    @property
    def ankle_to_ball(self) -> float:
        """Along the sole, from under the ankle to the ball of the foot."""
        return (self.p.heel_to_ball - self.p.heel_to_ankle) * self.foot

    @property
    def heel_to_ankle(self) -> float:
        return self.p.heel_to_ankle * self.foot

    @property
    def ball_to_toe(self) -> float:
        return (1 - self.p.heel_to_ball) * self.foot

    def hip_to_ankle(self, knee_flexion: float) -> float:
        """Straight-line hip-to-ankle distance with the knee bent ``knee_flexion`` degrees."""
        t, s = self.thigh, self.shank
        return math.sqrt(t * t + s * s + 2 * t * s * math.cos(math.radians(knee_flexion)))


BODY = Body()


@dataclass(frozen=True)
class Skeleton:
    """Joint positions of one side-view runner. The near leg (``knee`` … ``toe``) is the
    support leg; ``free_*`` is the other one. In the pull the near leg is the one being
    pulled up and the free leg the one landing."""

    head: Point  # centre of the head
    shoulder: Point
    hip: Point
    elbow: Point
    hand: Point
    knee: Point
    ankle: Point
    heel: Point
    ball: Point
    toe: Point
    free_knee: Point
    free_ankle: Point
    free_heel: Point
    free_ball: Point
    free_toe: Point
    facing: int = 1  # +1 faces right, -1 faces left (the partner)


def along(start: Point, degrees: float, length: float, facing: int = 1) -> Point:
    """The end of a segment from ``start``, ``degrees`` forward of straight down."""
    a = math.radians(degrees)
    return (start[0] + facing * length * math.sin(a), start[1] + length * math.cos(a))


def angle_of(start: Point, end: Point, facing: int = 1) -> float:
    """The angle of the segment ``start``→``end``, degrees forward of straight down."""
    return math.degrees(math.atan2(facing * (end[0] - start[0]), end[1] - start[1]))


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def knee_between(
    hip: Point, ankle: Point, body: Body = BODY, forward: int = 1, facing: int = 1
) -> Point:
    """The knee of a leg from ``hip`` to ``ankle`` (thigh and shank of ``body``), bent so it
    points forward (``forward=1``) as knees do. The ankle must be within reach."""
    t, s = body.thigh, body.shank
    d = distance(hip, ankle)
    if d > t + s + 1e-6:
        raise ValueError(f"ankle out of reach: {d:.2f} > {t + s:.2f}")
    d = min(d, t + s)
    # distance along hip→ankle to the foot of the knee's perpendicular, and its height
    a = (t * t - s * s + d * d) / (2 * d)
    h = math.sqrt(max(t * t - a * a, 0.0))
    ux, uy = (ankle[0] - hip[0]) / d, (ankle[1] - hip[1]) / d
    px, py = uy, -ux  # perpendicular; for a leg hanging down it points to -x
    if px * facing * forward < 0:
        px, py = -px, -py
    return (hip[0] + a * ux + h * px, hip[1] + a * uy + h * py)


def knee_flexion(hip: Point, knee: Point, ankle: Point) -> float:
    """How far the knee is bent, in degrees (0 = straight)."""
    v1 = (hip[0] - knee[0], hip[1] - knee[1])
    v2 = (ankle[0] - knee[0], ankle[1] - knee[1])
    cos = (v1[0] * v2[0] + v1[1] * v2[1]) / (math.hypot(*v1) * math.hypot(*v2))
    return 180.0 - math.degrees(math.acos(max(-1.0, min(1.0, cos))))


def rotate(point: Point, centre: Point, degrees: float, facing: int = 1) -> Point:
    """Rotate forward (clockwise on screen for a runner facing right) about ``centre``."""
    a = math.radians(degrees * facing)
    x, y = point[0] - centre[0], point[1] - centre[1]
    return (
        centre[0] + x * math.cos(a) - y * math.sin(a),
        centre[1] + x * math.sin(a) + y * math.cos(a),
    )


@dataclass(frozen=True)
class Foot:
    heel: Point
    ankle: Point
    ball: Point
    toe: Point


def foot_on_ball(ball: Point, heel_lift: float, body: Body = BODY, facing: int = 1) -> Foot:
    """A foot resting on its ball, the heel raised ``heel_lift`` degrees; the toes stay flat
    on the ground (they bend at the ball)."""
    a = math.radians(heel_lift)
    ux, uy = facing * math.cos(a), math.sin(a)  # along the sole, heel → ball
    nx, ny = facing * math.sin(a), -math.cos(a)  # up from the sole
    back = body.ankle_to_ball
    ankle = (
        ball[0] - back * ux + body.ankle_height * nx,
        ball[1] - back * uy + body.ankle_height * ny,
    )
    heel = (ball[0] - (back + body.heel_to_ankle) * ux, ball[1] - (back + body.heel_to_ankle) * uy)
    toe = (ball[0] + facing * body.ball_to_toe, ball[1])
    return Foot(heel, ankle, ball, toe)


def hanging_foot(ankle: Point, drop: float, body: Body = BODY, facing: int = 1) -> Foot:
    """A relaxed foot in the air: the sole pointing ``drop`` degrees below the horizontal,
    toes forward and down."""
    a = math.radians(drop)
    ux, uy = facing * math.cos(a), math.sin(a)  # along the sole, heel → toe
    nx, ny = facing * math.sin(a), -math.cos(a)
    sole = (ankle[0] - body.ankle_height * nx, ankle[1] - body.ankle_height * ny)
    heel = (sole[0] - body.heel_to_ankle * ux, sole[1] - body.heel_to_ankle * uy)
    ball = (sole[0] + body.ankle_to_ball * ux, sole[1] + body.ankle_to_ball * uy)
    toe = (ball[0] + body.ball_to_toe * ux, ball[1] + body.ball_to_toe * uy)
    return Foot(heel, ankle, ball, toe)


def upper_body(
    hip: Point,
    lean: float,
    body: Body = BODY,
    facing: int = 1,
    arm: tuple[float, float] = (-20, 100),
) -> tuple[Point, Point, Point, Point]:
    """(shoulder, head centre, elbow, hand) for a straight trunk leaning ``lean`` degrees
    forward from the hip's vertical; ``arm``: the upper arm's and forearm's angles from
    straight down, relative to the trunk (a runner's arm: back a little, elbow bent)."""
    up = 180.0 - lean  # the trunk points up: 180° from straight down, tipped forward
    shoulder = along(hip, up, body.trunk, facing)
    head = along(shoulder, up, body.neck + body.head_radius, facing)
    elbow = along(shoulder, arm[0] + lean, body.upper_arm, facing)
    hand = along(elbow, arm[1] + lean, body.forearm, facing)
    return shoulder, head, elbow, hand


def lean_degrees(s: Skeleton) -> float:
    """The angle of the ankle-to-shoulder line to the vertical (forward is positive)."""
    return s.facing * math.degrees(
        math.atan2(s.shoulder[0] - s.ankle[0], s.ankle[1] - s.shoulder[1])
    )


def segment_lengths(s: Skeleton) -> dict[str, float]:
    """The drawn length of each segment, to check every figure is the same body."""
    return {
        "thigh": distance(s.hip, s.knee),
        "shank": distance(s.knee, s.ankle),
        "free_thigh": distance(s.hip, s.free_knee),
        "free_shank": distance(s.free_knee, s.free_ankle),
        "trunk": distance(s.hip, s.shoulder),
        "upper_arm": distance(s.shoulder, s.elbow),
        "forearm": distance(s.elbow, s.hand),
    }
