"""A kinematic model of running seen side-on, drawn as BlazePose landmarks with known answers.

The runner is built from the quantities the form check measures, so each is known
exactly: where the ankle lands against the hip, the knee bend at landing, the trunk's
lean, where the free ankle hangs at the pose moment, the cadence, the hip's bounce, the
stance time. The legs are two equal segments (thigh = shank = leg / 2) placed by inverse
kinematics between the hip and the ankle; the foot is a rigid triangle (ankle, heel,
toe) that lands flat, stays put while the hip passes over it, then rolls up about the
toe until toe-off. The hip travels at a constant speed and is lowest at mid-stance.

``frames(runner, scene)`` yields ``FramePoses`` as the landmark stage would: pixels of
the frame, y down, visibility per landmark; the scene adds the camera (a treadmill
or a panning camera keeps the runner in place, a fixed camera lets them cross), noise,
left/right label swaps, frames dropped or with the body misplaced, a bystander,
slow-motion timestamps, or a camera that faces the runner. ``truth(runner, scene)``
gives the answers: event times and each measure.

Importable by tests (``from synthetic import ...`` inside tests/video) and benchmarks
(with tests/video on sys.path).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

import numpy as np

from pose_coach.video.model import (
    BOUNCE,
    CADENCE,
    FALL_ANGLE,
    FOOT_AHEAD,
    FREE_ANKLE,
    KNEE_BEND,
    SHANK,
    STANCE,
    TRUNK_LEAN,
    WAIST_BEND,
    FramePoses,
)

ANKLE_HEIGHT = 0.08  # share of leg: the ankle above the ground, foot flat
SOLE = 0.01  # heel and toe landmarks above the ground when flat
TOE_AHEAD = 0.20  # the toe landmark ahead of the ankle, share of leg
HEEL_BEHIND = 0.06
TRUNK = 0.59  # hip to shoulder, share of leg
LEG_ROWS = {"left": (23, 25, 27, 29, 31), "right": (24, 26, 28, 30, 32)}


@dataclass(frozen=True)
class Runner:
    """The runner's form. Lengths are shares of the leg (hip to ankle, straight)."""

    cadence: float = 172.0  # steps/min
    speed: float = 2.8  # m/s
    leg: float = 0.90  # m
    overstride: float = 0.15  # the ankle ahead of the hip at landing
    overstride_right: float | None = None  # the right foot's, when it differs
    knee_bend: float = 18.0  # deg at the left foot's landing (the right's follows)
    trunk_lean: float = 6.0  # deg from the vertical, forward
    duty: float = 0.32  # stance as a share of the stride
    bounce: float = 0.08  # the hip's rise and fall per step, peak to peak
    free_behind: float = 0.10  # the free ankle behind the hip at the pose moment
    heel_rise: float = 60.0  # deg the foot rolls about the toe by toe-off
    lift: float = 0.40  # the swing ankle's highest point above its flat height
    descent: float = 1.0  # m/s: the foot's downward speed as it lands
    start: float = 0.11  # s: the left foot's first landing

    def overstride_of(self, foot: str) -> float:
        if foot == "right" and self.overstride_right is not None:
            return self.overstride_right
        return self.overstride

    @property
    def stride(self) -> float:
        return 120.0 / self.cadence  # s, two steps

    @property
    def stance(self) -> float:
        return self.duty * self.stride


WALKER = Runner(
    cadence=110,
    speed=1.3,
    overstride=0.25,
    knee_bend=5,
    trunk_lean=2,
    duty=0.62,
    bounce=0.04,
    free_behind=0.0,
    heel_rise=20,
    lift=0.12,
    descent=0.3,
)


@dataclass(frozen=True)
class Scene:
    """The camera and the detector."""

    fps: float = 60.0  # frames per second the camera filmed at
    duration: float = 6.0  # s of running
    width: int = 1920
    height: int = 1080
    px_per_m: float = 260.0
    direction: int = 1  # +1: running towards the right of the frame
    camera: str = "treadmill"  # "treadmill" (the runner stays in place) or "fixed"
    noise: float = 0.0  # px, standard deviation of the detector's jitter
    seed: int = 0
    swaps: tuple[tuple[int, int], ...] = ()  # (first frame, frames): leg labels swapped
    near: str = "left"  # the runner's side facing the camera: clearer landmarks
    bystander: str | None = None  # "standing" or "walking": a second person in frame
    facing: bool = False  # the runner comes towards the camera instead of across it
    slow_motion: float = 1.0  # container seconds per real second (8: 240 fps as 30)
    start_x: float = 0.5  # where the runner's hip starts, share of the width
    first_index: int = 0
    dropped: float = 0.0  # share of frames where the detector finds no one
    lost: float = 0.0  # share of frames where it puts the runner's body off by 0.3 leg


@dataclass(frozen=True)
class Truth:
    """The answers: event times (real seconds) and each measure, by foot."""

    landings: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    pose_times: dict[str, np.ndarray]
    values: dict[str, dict[str, float]]  # foot -> measure key -> value
    leg_px: float
    extra: dict[str, float] = field(default_factory=dict)


def _hermite(u: np.ndarray, knots: list[tuple[float, float, float]]) -> np.ndarray:
    """Piecewise cubic Hermite through (u, value, slope) knots."""
    out = np.empty_like(u)
    for (u0, p0, m0), (u1, p1, m1) in zip(knots[:-1], knots[1:], strict=True):
        inside = (u >= u0) & (u <= u1)
        h = u1 - u0
        s = (u[inside] - u0) / h
        h00 = 2 * s**3 - 3 * s**2 + 1
        h10 = s**3 - 2 * s**2 + s
        h01 = -2 * s**3 + 3 * s**2
        h11 = s**3 - s**2
        out[inside] = h00 * p0 + h10 * h * m0 + h01 * p1 + h11 * h * m1
    return out


def _rotate(vx: float, vz: float, beta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(vx, vz) turned clockwise by beta (x forward, z up): the heel rises for beta > 0."""
    c, s = np.cos(beta), np.sin(beta)
    return vx * c + vz * s, -vx * s + vz * c


class _Model:
    """World positions (metres; x forward, z up) of one runner at real times."""

    def __init__(self, r: Runner) -> None:
        self.r = r
        L = r.leg
        self.L = L
        T, Ts = r.stride, r.stance
        self.T, self.Ts = T, Ts
        self.Th = 0.6 * Ts  # heel-off: the foot starts to roll about the toe
        self.ha = ANKLE_HEIGHT * L
        a0 = r.overstride * L
        d_land = L * math.cos(math.radians(r.knee_bend) / 2)
        if d_land <= a0:
            raise ValueError("overstride longer than the leg at that knee bend")
        # the hip above the ankle at landing: from the knee bend, lowered where the leg
        # would otherwise be too long later in the stride (the knee bend comes out larger)
        self.h_land = math.sqrt(d_land**2 - a0**2)
        B = r.bounce * L
        self.B = B
        self.h_top = self.h_land + B / 2 * (1 + math.cos(2 * math.pi * Ts / T))
        self.offset = {"left": r.start, "right": r.start + T / 2}
        t = r.start + np.linspace(0, T, 400)
        for _ in range(30):
            self.h_top = self.h_land + B / 2 * (1 + math.cos(2 * math.pi * Ts / T))
            hx, hz = self.hip(t)
            longest = 0.0
            for foot in ("left", "right"):
                ax, az, _beta = self.ankle(foot, t)
                longest = max(longest, float(np.hypot(ax, az - hz).max()))
            if longest <= 0.985 * L:
                break
            self.h_land -= longest - 0.985 * L + 1e-4

    def hip(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = self.r
        t_low = r.start + self.Ts / 2
        z = self.ha + self.h_top - self.B / 2 * (1 + np.cos(2 * np.pi * (t - t_low) / (self.T / 2)))
        return r.speed * t, z

    def _stance_ankle(self, u: np.ndarray, a0: float) -> tuple[np.ndarray, np.ndarray]:
        """The stance ankle: x relative to the hip, z above the ground."""
        L, v = self.L, self.r.speed
        beta = (
            np.radians(self.r.heel_rise) * np.clip((u - self.Th) / (self.Ts - self.Th), 0, 1) ** 2
        )
        # the toe stays where it landed: TOE_AHEAD ahead of the ankle, SOLE above ground
        dx, dz = _rotate(-TOE_AHEAD * L, self.ha - SOLE * L, beta)
        x = a0 + TOE_AHEAD * L + dx - v * u  # relative to the hip
        z = SOLE * L + dz
        return x, z

    def ankle(self, foot: str, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ankle x relative to the hip, ankle z, foot angle (rad), over times t."""
        r, L, T, Ts = self.r, self.L, self.T, self.Ts
        a0 = r.overstride_of(foot) * L
        u = np.mod(t - self.offset[foot], T)
        x = np.empty_like(u)
        z = np.empty_like(u)
        beta = np.empty_like(u)
        stance = u <= Ts
        x[stance], z[stance] = self._stance_ankle(u[stance], a0)
        beta[stance] = (
            np.radians(r.heel_rise) * np.clip((u[stance] - self.Th) / (Ts - self.Th), 0, 1) ** 2
        )
        # swing: from toe-off, past the hip at the other foot's pose moment, forward, land
        eps = 1e-4
        x0, z0 = (float(a[0]) for a in self._stance_ankle(np.array([Ts]), a0))
        x0e, z0e = (float(a[0]) for a in self._stance_ankle(np.array([Ts - eps]), a0))
        vx0, vz0 = (x0 - x0e) / eps, (z0 - z0e) / eps
        other = "left" if foot == "right" else "right"
        u_pose = T / 2 + r.overstride_of(other) * L / r.speed
        u_peak = T - 0.06
        xk = [(Ts, x0, vx0)]
        if Ts + 0.03 < u_pose < u_peak - 0.03:
            xk.append((u_pose, -r.free_behind * L, (a0 + 0.03 * L - x0) / (u_peak - Ts)))
        xk += [(u_peak, a0 + 0.03 * L, 0.0), (T, a0, -r.speed)]
        sw = ~stance
        x[sw] = _hermite(u[sw], xk)
        u_mid = (Ts + T) / 2
        zk = [(Ts, z0, vz0), (u_mid, self.ha + r.lift * L, 0.0), (T, self.ha, -r.descent)]
        z[sw] = _hermite(u[sw], zk)
        s = (u[sw] - Ts) / (T - Ts)
        beta[sw] = np.radians(r.heel_rise) * (1 - s) ** 2
        return x, z, beta

    def body(self, t: np.ndarray, direction: int) -> np.ndarray:
        """(N, 33, 2) world positions (x forward along travel, z up), all landmarks."""
        L, r = self.L, self.r
        n = len(t)
        out = np.zeros((n, 33, 2))
        hx, hz = self.hip(t)
        lean = math.radians(r.trunk_lean)
        sx, sz = hx + TRUNK * L * math.sin(lean), hz + TRUNK * L * math.cos(lean)
        for side in ("left", "right"):
            hip_i, knee_i, ankle_i, heel_i, toe_i = LEG_ROWS[side]
            ax, az, beta = self.ankle(side, t)
            ax = ax + hx
            out[:, hip_i] = np.stack([hx, hz], axis=1)
            out[:, ankle_i] = np.stack([ax, az], axis=1)
            dx, dz = ax - hx, az - hz
            d = np.hypot(dx, dz)
            if np.any(d > L * 0.9995):
                raise ValueError(f"the {side} leg would be longer than it is: {d.max() / L:.3f}")
            ux, uz = dx / d, dz / d
            off = np.sqrt(np.maximum((L / 2) ** 2 - (d / 2) ** 2, 0))
            out[:, knee_i] = np.stack([hx + dx / 2 - uz * off, hz + dz / 2 + ux * off], axis=1)
            tx, tz = _rotate(TOE_AHEAD * L, -(self.ha - SOLE * L), beta)
            out[:, toe_i] = np.stack([ax + tx, az + tz], axis=1)
            bx, bz = _rotate(-HEEL_BEHIND * L, -(self.ha - SOLE * L), beta)
            out[:, heel_i] = np.stack([ax + bx, az + bz], axis=1)
            # arms swing against the legs: this side's arm forward when the other leg is
            shoulder_i, elbow_i, wrist_i = {"left": (11, 13, 15), "right": (12, 14, 16)}[side]
            phase = 2 * np.pi * (t - self.offset[side]) / self.T
            swing = np.radians(35) * np.cos(phase)  # back at this foot's landing
            ex = sx - 0.30 * L * np.sin(swing)
            ez = sz - 0.30 * L * np.cos(swing)
            out[:, shoulder_i] = np.stack([sx, sz], axis=1)
            out[:, elbow_i] = np.stack([ex, ez], axis=1)
            wx = ex + 0.28 * L * np.cos(swing)
            wz = ez - 0.28 * L * np.sin(swing) + 0.05 * L
            out[:, wrist_i] = np.stack([wx, wz], axis=1)
            for k, i in enumerate({"left": (17, 19, 21), "right": (18, 20, 22)}[side]):
                out[:, i] = np.stack([wx + 0.04 * L, wz - 0.01 * L * k], axis=1)
        head_x = sx + 0.08 * L * math.sin(lean)
        head_z = sz + 0.22 * L
        for i in range(11):  # face: nose ahead, ears behind
            ahead = 0.10 * L if i in (0, 9, 10) or 1 <= i <= 6 else -0.02 * L
            up = 0.03 * L if 1 <= i <= 8 else -0.02 * L * (i >= 9)
            out[:, i] = np.stack([head_x + ahead, head_z + up], axis=1)
        return out


def _landing_times(model: _Model, foot: str, duration: float) -> np.ndarray:
    first = model.offset[foot]
    return np.arange(first, duration, model.T)


def truth(runner: Runner, scene: Scene) -> Truth:
    """The known answers for the runner in this scene."""
    m = _Model(runner)
    L = runner.leg
    values: dict[str, dict[str, float]] = {}
    landings, toe_offs, poses = {}, {}, {}
    for foot in ("left", "right"):
        a0 = runner.overstride_of(foot) * L
        d = math.hypot(a0, m.h_land)
        kappa = 2 * math.degrees(math.acos(min(d / L, 1.0)))
        phi = math.degrees(math.atan2(a0, m.h_land))
        t_to = runner.stance
        hx, hz = m.hip(np.array([m.offset[foot] + t_to]))
        toe_rel_x = a0 + TOE_AHEAD * L - runner.speed * t_to
        fall = math.degrees(math.atan2(-toe_rel_x, float(hz[0]) - SOLE * L))
        values[foot] = {
            FOOT_AHEAD: 100 * runner.overstride_of(foot),
            KNEE_BEND: kappa,
            SHANK: phi - kappa / 2,
            TRUNK_LEAN: runner.trunk_lean,
            WAIST_BEND: runner.trunk_lean,  # the support leg is vertical at the pose moment
            FREE_ANKLE: 100 * runner.free_behind,
            CADENCE: runner.cadence,
            BOUNCE: 100 * runner.bounce,
            STANCE: 1000 * runner.stance,
            FALL_ANGLE: fall,
        }
        land = _landing_times(m, foot, scene.duration)
        landings[foot] = land
        toe_offs[foot] = land + runner.stance
        poses[foot] = land + a0 / runner.speed
    return Truth(landings, toe_offs, poses, values, L * scene.px_per_m)


def _image(world: np.ndarray, scene: Scene, cam_x: np.ndarray, ground_y: float) -> np.ndarray:
    """World (x along travel, z up) → pixels (x right, y down)."""
    s = scene.px_per_m
    px = scene.width * scene.start_x + scene.direction * (world[..., 0] - cam_x[:, None]) * s
    py = ground_y - world[..., 1] * s
    return np.stack([px, py], axis=-1)


def _visibility(n: int, near: str, rng: np.random.Generator) -> np.ndarray:
    vis = np.full((n, 33), 0.95)
    far = "right" if near == "left" else "left"
    far_rows = list(LEG_ROWS[far]) + (
        [12, 14, 16, 18, 20, 22] if far == "right" else [11, 13, 15, 17, 19, 21]
    )
    vis[:, far_rows] = 0.70
    vis += rng.normal(0, 0.02, vis.shape)
    return np.clip(vis, 0, 1)


def _facing(world: np.ndarray, scene: Scene, t: np.ndarray, runner: Runner) -> np.ndarray:
    """The runner coming towards the camera: left and right apart across the frame, the
    legs' fore-aft motion lost in depth, the body growing as it comes closer."""
    L = runner.leg
    lateral = np.zeros(33)
    for i in range(33):
        name_side = -1 if i in (1, 2, 3, 7, 9) or (i >= 11 and i % 2 == 1) else 1
        if i == 0:
            name_side = 0
        width = 0.25 * L if i >= 23 else 0.50 * L if 11 <= i < 23 else 0.08 * L
        lateral[i] = name_side * width / 2
    distance = 12.0 - runner.speed * t  # m from the camera
    scale = scene.px_per_m * 4.0 / np.maximum(distance, 2.0)
    px = scene.width / 2 + lateral[None, :] * scale[:, None]
    py = scene.height * 0.75 - (world[..., 1] - 0.0) * scale[:, None]
    return np.stack([px, py], axis=-1)


def frames(runner: Runner, scene: Scene) -> Iterator[FramePoses]:
    """The clip's FramePoses, one per frame, as the landmark stage yields them."""
    rng = np.random.default_rng(scene.seed)
    n = int(round(scene.duration * scene.fps))
    t = np.arange(n) / scene.fps
    model = _Model(runner)
    world = model.body(t, scene.direction)
    ground_y = scene.height * 0.85
    if scene.camera == "treadmill":
        cam_x = runner.speed * t
    else:
        cam_x = np.zeros(n)
    if scene.facing:
        xy = _facing(world, scene, t, runner)
    else:
        xy = _image(world, scene, cam_x, ground_y)
    vis = _visibility(n, scene.near, rng)
    if scene.noise:
        xy = xy + rng.normal(0, scene.noise, xy.shape)
    for first, count in scene.swaps:
        rows = slice(first, first + count)
        left, right = list(LEG_ROWS["left"]), list(LEG_ROWS["right"])
        xy[rows, left + right] = xy[rows, right + left]
        vis[rows, left + right] = vis[rows, right + left]
    other = None
    if scene.bystander is not None:
        other = _bystander(scene, t, ground_y, rng)
    dropped = rng.random(n) < scene.dropped
    lost = rng.random(n) < scene.lost
    leg_px = runner.leg * scene.px_per_m
    for k in range(n):
        person = np.concatenate([xy[k], vis[k][:, None]], axis=1)
        if lost[k]:
            angle = rng.uniform(0, 2 * np.pi)
            person[:, :2] += 0.3 * leg_px * np.array([np.cos(angle), np.sin(angle)])
        people = [] if dropped[k] else [person]
        if other is not None and other[k] is not None and not dropped[k]:
            people.append(other[k])
            if k % 2:
                people.reverse()  # the detector's order means nothing
        yield FramePoses(
            index=scene.first_index + k,
            t=float(t[k] * scene.slow_motion),
            people=tuple(people),
            width=scene.width,
            height=scene.height,
        )


def _bystander(
    scene: Scene, t: np.ndarray, ground_y: float, rng: np.random.Generator
) -> list[np.ndarray | None]:
    """A second person, a little farther off: standing still, or walking across."""
    walker = replace(WALKER, leg=0.85, start=0.3)
    m = _Model(walker)
    world = m.body(t, 1)
    s = scene.px_per_m * 0.8
    out: list[np.ndarray | None] = []
    for k, tk in enumerate(t):
        w = world[k].copy()
        if scene.bystander == "standing":
            w[:, 0] -= w[23, 0]
            # feet together, a little sway
            for rows in LEG_ROWS.values():
                w[list(rows), 0] = w[23, 0] + np.array([0, 0.03, 0.0, -0.05, 0.15])
                w[list(rows), 1] = np.array([0.85, 0.45, 0.07, 0.01, 0.01])
            x0 = scene.width * 0.2 + 3 * math.sin(tk)
        else:  # walking across the frame the other way, from its right edge
            x0 = scene.width * 0.95
            w[:, 0] = -w[:, 0]
        px = x0 + w[:, 0] * s
        py = ground_y - 20 - w[:, 1] * s
        if px.max() < 0 or px.min() > scene.width:
            out.append(None)
            continue
        vis = np.clip(np.full(33, 0.9) + rng.normal(0, 0.02, 33), 0, 1)
        person = np.stack([px, py, vis], axis=1)
        if scene.noise:
            person[:, :2] += rng.normal(0, scene.noise, (33, 2))
        out.append(person)
    return out
