"""blazepose.py and the Landmarker: BlazePose's networks run as MediaPipe runs them.

- The pieces with known answers: the detector's anchors, the square around a body, the
  heat-map refinement (against a plain loop written from MediaPipe's description).
- The whole engine against MediaPipe's own PoseLandmarker on the real clip: the same
  points, to within a few pixels, for the walker.
- The landmarker's schedule, on scripted networks: who is looked at in which frame, when
  the detector runs, what is handed on.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest
from clip_files import WALK, needs_stack, needs_walk

pytestmark = needs_stack


def test_the_detector_has_mediapipes_2254_anchors():
    from pose_coach.video.blazepose import _anchors

    anchors = _anchors()
    assert anchors.shape == (2254, 2)
    # stride 8: 28×28 cells, two anchors each, row by row
    assert np.allclose(anchors[0], anchors[1]) and np.allclose(anchors[0], (0.5 / 28, 0.5 / 28))
    assert np.allclose(anchors[2], (1.5 / 28, 0.5 / 28))
    # stride 16 starts after 1568; the three stride-32 layers share 7×7 cells, six anchors
    assert np.allclose(anchors[1568], (0.5 / 14, 0.5 / 14))
    assert np.allclose(anchors[1960:1966], (0.5 / 7, 0.5 / 7))
    assert np.allclose(anchors[-1], (6.5 / 7, 6.5 / 7))


def test_the_square_stands_the_body_upright():
    from pose_coach.video.blazepose import ROI_SCALE, SNAP_PX, Region

    hips = np.array([320.0, 240.0])
    upright = Region.from_points(hips, hips + (0.0, -100.0))  # the circle point above
    assert upright.rotation == 0.0
    assert upright.side == pytest.approx(2 * 100 * ROI_SCALE, abs=2 * SNAP_PX)
    assert (upright.x, upright.y) == (320.0, 240.0)
    lying = Region.from_points(hips, hips + (100.0, 0.0))  # head to the right
    assert lying.rotation == pytest.approx(math.pi / 2, abs=0.05)
    # on the grid: a quarter pixel off gives the same square
    assert Region.from_points(hips + 0.25, hips + (0.25, -99.8)) == upright


def _refine_plainly(nx, ny, heatmap, kernel=7, sure=0.5):
    """MediaPipe's RefineLandmarksFromHeatmapCalculator, one point at a time."""
    rows, cols, count = heatmap.shape
    nx, ny = nx.copy(), ny.copy()
    reach = (kernel - 1) // 2
    for k in range(count):
        col, row = int(nx[k] * cols), int(ny[k] * rows)
        if not (0 <= col < cols and 0 <= row < rows):
            continue
        total = best = wx = wy = 0.0
        for r in range(max(0, row - reach), min(rows, row + reach + 1)):
            for c in range(max(0, col - reach), min(cols, col + reach + 1)):
                value = 1 / (1 + math.exp(-heatmap[r, c, k]))
                total += value
                best = max(best, value)
                wx += c * value
                wy += r * value
        if best >= sure and total > 0:
            nx[k], ny[k] = wx / cols / total, wy / rows / total
    return nx, ny


def test_heat_map_refinement_matches_mediapipes_rule():
    from pose_coach.video.blazepose import _refine

    rng = np.random.default_rng(7)
    for _ in range(30):
        heatmap = rng.normal(-1, 3, (64, 64, 39)).astype(np.float32)
        # points inside, on the edges and off the map (left as they are)
        nx = rng.uniform(-0.05, 1.05, 39).astype(np.float32)
        ny = rng.uniform(-0.05, 1.05, 39).astype(np.float32)
        nx[:3], ny[:3] = (0.0, 0.999, -0.001), (0.5, 0.0, 0.5)
        want_x, want_y = _refine_plainly(nx, ny, heatmap)
        _refine(nx, ny, heatmap)
        assert np.allclose(nx, want_x, atol=1e-5) and np.allclose(ny, want_y, atol=1e-5)


def test_a_blank_frame_holds_no_one():
    from pose_coach.video.blazepose import PoseNetworks
    from pose_coach.video.landmarks import model_bytes

    networks = PoseNetworks(model_bytes())
    assert networks.people(np.zeros((360, 640, 3), np.uint8), 4) == []


def test_two_cores_give_the_points_of_one_bit_for_bit():
    """A chunk left alone switches its networks to every core (chunks.py): that must not
    change a single number, or the landmarks would depend on which chunk ended first."""
    from pose_coach.video.blazepose import PoseNetworks, Region
    from pose_coach.video.landmarks import model_bytes

    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, (360, 640, 3), dtype=np.uint8)
    image[100:300, 280:360] = (200, 120, 90)  # something body-sized to look at
    region = Region.from_points(np.array([320.0, 200.0]), np.array([320.0, 90.0]))
    networks = PoseNetworks(model_bytes())
    assert networks.threads == 1
    one = networks.landmarks(image, region)
    one_people = networks.people(image, 4)
    networks.use_threads(2)
    assert networks.threads == 2
    two = networks.landmarks(image, region)
    assert one[0] == two[0] and np.array_equal(one[1], two[1])
    assert networks.people(image, 4) == one_people


def _walker(people: tuple[np.ndarray, ...], height: int) -> np.ndarray | None:
    low = [p for p in people if p[[23, 24], 1].mean() > 0.55 * height]
    return low[0] if low else None


@needs_walk
def test_the_points_are_mediapipes_own_on_the_real_clip():
    """Our engine and MediaPipe's PoseLandmarker (VIDEO mode, several people), on the same
    frames of the walk: the walker's points agree to within a tenth of her torso, the
    hips to within a twentieth (the two follow her in slightly different squares)."""
    mediapipe = pytest.importorskip("mediapipe", reason="MediaPipe is the reference here")
    from mediapipe.tasks.python import BaseOptions, vision

    from pose_coach.video.decode import FrameStream
    from pose_coach.video.landmarks import Landmarker, model_bytes

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_buffer=model_bytes()),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=4,
    )
    errors, hips = [], []
    with (
        FrameStream(WALK) as stream,
        Landmarker() as ours,
        vision.PoseLandmarker.create_from_options(options) as theirs,
    ):
        for frame in stream:
            if frame.index >= 150:
                break
            mine = _walker(ours.detect(frame).people, frame.height)
            image = mediapipe.Image(image_format=mediapipe.ImageFormat.SRGB, data=frame.image)
            result = theirs.detect_for_video(image, round(frame.t * 1000))
            found = tuple(
                np.array([(p.x * frame.width, p.y * frame.height) for p in pose])
                for pose in result.pose_landmarks
            )
            ref = _walker(found, frame.height)
            if frame.index < 80 or mine is None or ref is None:
                continue
            torso = np.hypot(*(ref[[11, 12]].mean(axis=0) - ref[[23, 24]].mean(axis=0)))
            errors.append(np.median(np.hypot(*(mine[:, :2] - ref).T)) / torso)
            hips.append(
                np.hypot(*(mine[[23, 24], :2].mean(axis=0) - ref[[23, 24]].mean(axis=0))) / torso
            )
    assert len(errors) >= 50
    assert np.median(errors) < 0.1, np.median(errors)
    assert np.median(hips) < 0.05, np.median(hips)


class _Scripted:
    """Networks that see the people of a script: each at a known place in each frame.
    ``people(image)`` finds those listed for detection; ``landmarks`` fits the person
    nearest the square, or no one (presence 0) when none is near."""

    def __init__(self, script, detectable=None) -> None:
        self.script = script  # frame index → list of (x, y) hips, in the image's pixels
        self.detectable = detectable or (lambda i, who: True)
        self.frame = 0
        self.calls: list[tuple[int, str, int | None]] = []

    def people(self, image, most):
        from pose_coach.video.blazepose import Region

        out = []
        for who, (x, y) in enumerate(self.script(self.frame)):
            if self.detectable(self.frame, who):
                out.append(Region.from_points(np.array([x, y]), np.array([x, y - 60.0])))
        self.calls.append((self.frame, "detect", None))
        return out[:most]

    def landmarks(self, image, region):
        near = [
            (math.hypot(x - region.x, y - region.y), who, (x, y))
            for who, (x, y) in enumerate(self.script(self.frame))
        ]
        near = [n for n in near if n[0] < region.side / 3]
        if not near:
            self.calls.append((self.frame, "look", None))
            return 0.0, np.zeros((39, 3))
        _, who, (x, y) = min(near)
        self.calls.append((self.frame, "look", who))
        rows = np.zeros((39, 3))
        rows[:, 2] = 0.9
        rows[:, 0] = x + np.linspace(-10, 10, 39)
        rows[:, 1] = y + np.linspace(-50, 50, 39)
        rows[[11, 12], :2] = (x, y - 40)  # shoulders
        rows[[23, 24], :2] = (x, y)  # hips
        rows[[27, 28], :2] = (x - 8, y + 45), (x + 8, y + 45)  # ankles
        rows[33, :2], rows[34, :2] = (x, y), (x, y - 60)
        return 1.0, rows


def _landmarker(monkeypatch, networks):
    from pose_coach.video import blazepose
    from pose_coach.video.landmarks import Landmarker

    monkeypatch.setattr(blazepose, "PoseNetworks", lambda task, threads=1: networks)
    return Landmarker()


def _frames(n, fps=60.0):
    from pose_coach.video.decode import Frame

    image = np.zeros((360, 640, 3), np.uint8)
    return [Frame(i, i / fps, image, 640, 360) for i in range(n)]


def test_a_runner_is_looked_at_every_frame_and_a_bystander_now_and_then(monkeypatch):
    from pose_coach.video.landmarks import SCOUT_S, STILL_LOOK_S

    # she runs across at 4 px a frame (60 frames/s); he stands
    def script(i):
        return [(100.0 + 4 * i, 250.0), (500.0, 150.0)]

    networks = _Scripted(script)
    landmarker = _landmarker(monkeypatch, networks)
    handed = []
    for frame in _frames(120):
        networks.frame = frame.index
        handed.append(landmarker.detect(frame))
    looks = [(f, who) for f, kind, who in networks.calls if kind == "look"]
    runner = {f for f, who in looks if who == 0}
    bystander = sorted(f for f, who in looks if who == 1)
    assert runner == set(range(120))
    # he is still: after the first 0.4 s, looked at every STILL_LOOK_S (6 frames)
    later = [f for f in bystander if f >= 30]
    assert later and all(b - a == round(STILL_LOOK_S * 60) for a, b in pairwise(later))
    # the detector: the first frame, then every SCOUT_S, someone moving being followed
    detections = [f for f, kind, _ in networks.calls if kind == "detect"]
    assert detections[0] == 0
    assert all(b - a == round(SCOUT_S * 60) for a, b in pairwise(detections))
    # handed on: the people looked at, in the frame's pixels
    assert all(len(fp.people) == 1 + (fp.index in bystander) for fp in handed)
    assert handed[50].people[0][23, 0] == pytest.approx(100 + 4 * 50)


def test_no_one_in_view_the_detector_looks_often_and_finds_the_runner(monkeypatch):
    from pose_coach.video.landmarks import SEEK_S

    def script(i):
        return [(100.0 + 4 * i, 250.0)] if i >= 40 else []

    networks = _Scripted(script)
    landmarker = _landmarker(monkeypatch, networks)
    found_at = None
    for frame in _frames(60):
        networks.frame = frame.index
        if landmarker.detect(frame).people and found_at is None:
            found_at = frame.index
    detections = [f for f, kind, _ in networks.calls if kind == "detect"]
    before = [f for f in detections if f < 40]
    assert all(b - a <= math.ceil(SEEK_S * 60) for a, b in pairwise(before))
    assert found_at is not None and found_at - 40 <= math.ceil(SEEK_S * 60)


def test_where_the_model_finds_no_one_the_detector_is_not_followed_for_a_while(monkeypatch):
    from pose_coach.video.landmarks import REJECT_S

    # the detector keeps finding a shape at (300, 200); the landmark model sees no one
    networks = _Scripted(lambda i: [(300.0, 200.0)])
    networks.landmarks_real = networks.landmarks
    networks.landmarks = lambda image, region: (
        networks.calls.append((networks.frame, "look", None)) or (0.0, np.zeros((39, 3)))
    )
    landmarker = _landmarker(monkeypatch, networks)
    for frame in _frames(120):
        networks.frame = frame.index
        assert landmarker.detect(frame).people == ()
    looks = [f for f, kind, _ in networks.calls if kind == "look"]
    assert len(looks) >= 2
    assert all(b - a >= REJECT_S * 60 for a, b in pairwise(looks))


def test_a_body_half_out_of_the_picture_is_not_handed_on(monkeypatch):
    # she walks out at the left: hips 20 px from the edge, torso 40 px
    networks = _Scripted(lambda i: [(200.0 - 6 * i, 250.0)])
    landmarker = _landmarker(monkeypatch, networks)
    handed = {}
    for frame in _frames(40):
        networks.frame = frame.index
        handed[frame.index] = landmarker.detect(frame).people
    assert handed[0] and handed[20]  # hips at 200 and 80
    assert not handed[31] and not handed[33]  # hips at 14 and 2
