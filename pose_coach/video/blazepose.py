"""BlazePose's two networks run directly on LiteRT: the person detector and the landmark model.

The model file (a MediaPipe ``.task``, a zip) holds both networks. They are run here the
way MediaPipe's pose graphs run them, step for step, without the rest of the graph:

- **Detector** (224×224, the frame letterboxed, values -1..1): SSD boxes over 2254 fixed
  anchors, scores through a sigmoid, weighted non-maximum suppression. Each person comes
  with two key points: the middle of the hips and a point on the circle around the body.
- **Region of interest**: a square centred on the hips, twice the hips-to-circle distance
  across, scaled by 1.25, turned so that the body stands upright in it.
- **Landmark model** (256×256 crop of that square, values 0..1): 39 points (BlazePose's
  33 and six for the region), visibility through a sigmoid, a presence score, and a
  64×64 heat map that refines each point to the weighted centre of its 7×7 neighbourhood.
- **Tracking**: the next frame's square comes from this frame's CENTRE_POINT and
  CIRCLE_POINT, as the first came from the detector's two key points; the detector is
  needed only to find someone new.

What is left out is MediaPipe's one-euro smoothing of the points (it lags the feet by a
few frames, and the tracks stage smooths without lag) and its rule of running the
detector on every frame whenever fewer people are tracked than asked for (half the cost
of each frame, for a bystander who is already being followed).
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import numpy as np

DETECTOR_FILE = "pose_detector.tflite"
LANDMARKS_FILE = "pose_landmarks_detector.tflite"
DETECTOR_SIZE = 224
LANDMARK_SIZE = 256
N_POINTS = 39  # BlazePose's 33 landmarks, then the two the square is drawn from, then 4 more
CENTRE_POINT = 33  # the hips' middle
CIRCLE_POINT = 34  # a point on the circle around the body
DETECTION_SCORE = 0.5  # MediaPipe's min_pose_detection_confidence
SUPPRESSION_IOU = 0.3  # boxes overlapping more are one person (MediaPipe's NMS)
ROI_SCALE = 1.25  # the square around the body, as MediaPipe draws it
SNAP_PX = 4.0  # px of the (scaled) frame: the grid the squares are placed on
SNAP_RAD = 0.05  # radians (about 3°): the grid of their turn
HEATMAP_KERNEL = 7
HEATMAP_CONFIDENCE = 0.5  # a point is refined only where its heat map is this sure


@dataclass(frozen=True)
class Region:
    """A square around one body in the frame's pixels: centre, side, turn (radians)."""

    x: float
    y: float
    side: float
    rotation: float

    @classmethod
    def from_points(cls, centre: np.ndarray, circle: np.ndarray) -> Region:
        """The square through MediaPipe's alignment points: ``centre`` the hips' middle,
        ``circle`` a point on the circle around the body (straight above when upright)."""
        dx, dy = float(circle[0] - centre[0]), float(circle[1] - centre[1])
        rotation = math.pi / 2 - math.atan2(-dy, dx)
        rotation = (rotation + math.pi) % (2 * math.pi) - math.pi
        side = 2 * math.hypot(dx, dy) * ROI_SCALE
        return cls(float(centre[0]), float(centre[1]), side, rotation).snapped()

    def snapped(self) -> Region:
        """The square moved onto a coarse grid (SNAP_PX, SNAP_RAD). Each frame's square
        comes from the last frame's points, so a difference of a fraction of a pixel
        would otherwise carry on for good: the same clip read from its start and read
        from a chunk's start would give slightly different points all along. On the grid
        both land on the same squares within a few frames, and the points match."""
        return Region(
            round(self.x / SNAP_PX) * SNAP_PX,
            round(self.y / SNAP_PX) * SNAP_PX,
            max(SNAP_PX, round(self.side / (2 * SNAP_PX)) * 2 * SNAP_PX),
            round(self.rotation / SNAP_RAD) * SNAP_RAD,
        )


def _anchors() -> np.ndarray:
    """The detector's 2254 anchor centres (MediaPipe's SSD anchors for the pose detector:
    five layers, strides 8, 16, 32, 32, 32, two anchors a layer at each cell, fixed size);
    layers of one stride share their cells."""
    strides = (8, 16, 32, 32, 32)
    centres: list[tuple[float, float]] = []
    layer = 0
    while layer < len(strides):
        same = layer
        while same < len(strides) and strides[same] == strides[layer]:
            same += 1
        per_cell = 2 * (same - layer)
        cells = math.ceil(DETECTOR_SIZE / strides[layer])
        for row in range(cells):
            for col in range(cells):
                centres.extend([((col + 0.5) / cells, (row + 0.5) / cells)] * per_cell)
        layer = same
    return np.array(centres, dtype=np.float32)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -80.0, 80.0)))


def _iou(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    x0 = np.maximum(box[0], boxes[:, 0])
    y0 = np.maximum(box[1], boxes[:, 1])
    x1 = np.minimum(box[2], boxes[:, 2])
    y1 = np.minimum(box[3], boxes[:, 3])
    inter = np.clip(x1 - x0, 0, None) * np.clip(y1 - y0, 0, None)
    area = (box[2] - box[0]) * (box[3] - box[1])
    areas = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    return inter / np.maximum(area + areas - inter, 1e-9)


class PoseNetworks:
    """The two networks of one model file, on one core by default: parallelism comes
    from running one of these per chunk of the clip, and a chunk left alone takes every
    core with ``use_threads``."""

    def __init__(self, task: bytes, threads: int = 1) -> None:
        with zipfile.ZipFile(BytesIO(task)) as archive:
            self._detector_file = archive.read(DETECTOR_FILE)
            self._landmarks_file = archive.read(LANDMARKS_FILE)
        self.threads = 0
        self.use_threads(threads)
        self._anchors = _anchors()

    def use_threads(self, threads: int) -> None:
        """Run both networks on ``threads`` cores from now on. XNNPACK splits each layer's
        work between them without changing the sums: the outputs are the same, bit for
        bit, on 1 core or 2 (tests/video/test_blazepose.py), in about half the time."""
        from ai_edge_litert.interpreter import Interpreter

        threads = max(1, threads)
        if threads == self.threads:
            return
        self._detector: Any = Interpreter(model_content=self._detector_file, num_threads=threads)
        self._detector.allocate_tensors()
        self._landmarks: Any = Interpreter(model_content=self._landmarks_file, num_threads=threads)
        self._landmarks.allocate_tensors()
        self._detector_in = self._detector.get_input_details()[0]["index"]
        out = {d["name"]: d["index"] for d in self._detector.get_output_details()}
        self._boxes, self._scores = out["Identity"], out["Identity_1"]
        self._landmarks_in = self._landmarks.get_input_details()[0]["index"]
        out = {d["name"]: d["index"] for d in self._landmarks.get_output_details()}
        self._points, self._presence, self._heatmap = (
            out["Identity"],
            out["Identity_1"],
            out["Identity_3"],
        )
        self.threads = threads

    def people(self, image: np.ndarray, most: int) -> list[Region]:
        """The squares around up to ``most`` people the detector finds in an RGB image,
        surest first, in the image's pixels."""
        import cv2

        height, width = image.shape[:2]
        scale = DETECTOR_SIZE / max(width, height)
        w, h = max(1, round(width * scale)), max(1, round(height * scale))
        left, top = (DETECTOR_SIZE - w) // 2, (DETECTOR_SIZE - h) // 2
        # black around the letterboxed frame (-1), as MediaPipe pads; bilinear as its warp
        canvas = np.full((1, DETECTOR_SIZE, DETECTOR_SIZE, 3), -1.0, dtype=np.float32)
        small = cv2.resize(image, (w, h), interpolation=cv2.INTER_LINEAR)
        canvas[0, top : top + h, left : left + w] = small * (1 / 127.5) - 1.0
        self._detector.set_tensor(self._detector_in, canvas)
        self._detector.invoke()
        scores = _sigmoid(self._detector.get_tensor(self._scores)[0, :, 0])
        keep = np.nonzero(scores > DETECTION_SCORE)[0]
        if not len(keep):
            return []
        raw = self._detector.get_tensor(self._boxes)[0, keep]
        anchors = self._anchors[keep]
        # anchor units → detector pixels → image pixels (the letterbox taken off)
        centre = (raw[:, 0:2] + anchors * DETECTOR_SIZE - (left, top)) / scale
        half = raw[:, 2:4] / scale / 2
        boxes = np.concatenate([centre - half, centre + half], axis=1)
        points = (raw[:, 4:8].reshape(-1, 2, 2) + anchors[:, None] * DETECTOR_SIZE) / scale
        points -= np.array([left, top]) / scale
        found: list[Region] = []
        order = np.argsort(-scores[keep])
        sure = scores[keep]
        while len(order) and len(found) < most:
            overlap = _iou(boxes[order[0]], boxes[order])
            group = order[overlap > SUPPRESSION_IOU]
            weights = sure[group][:, None, None]
            merged = (points[group] * weights).sum(axis=0) / weights.sum()
            found.append(Region.from_points(merged[0], merged[1]))
            order = order[overlap <= SUPPRESSION_IOU]
        return found

    def landmarks(self, image: np.ndarray, region: Region) -> tuple[float, np.ndarray]:
        """The body in one square: its presence score (0..1) and 39 rows of x, y (the
        image's pixels) and visibility (0..1)."""
        import cv2

        cos, sin = math.cos(region.rotation), math.sin(region.rotation)
        half = region.side / 2
        corners = np.array([[-half, -half], [half, -half], [-half, half]])
        turned = corners @ np.array([[cos, sin], [-sin, cos]])  # each row turned by R
        source = (turned + (region.x, region.y)).astype(np.float32)
        target = np.array([[0, 0], [LANDMARK_SIZE, 0], [0, LANDMARK_SIZE]], dtype=np.float32)
        matrix = cv2.getAffineTransform(source, target)
        crop = cv2.warpAffine(
            image,
            matrix,
            (LANDMARK_SIZE, LANDMARK_SIZE),
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_CONSTANT,
        )
        tensor = crop[None].astype(np.float32)
        tensor *= 1 / 255.0
        self._landmarks.set_tensor(self._landmarks_in, tensor)
        self._landmarks.invoke()
        raw = self._landmarks.get_tensor(self._points)[0].reshape(N_POINTS, 5)
        # the network ends in its own sigmoid here (MediaPipe reads it as it is)
        presence = float(self._landmarks.get_tensor(self._presence)[0, 0])
        nx = raw[:, 0] / LANDMARK_SIZE
        ny = raw[:, 1] / LANDMARK_SIZE
        _refine(nx, ny, self._landmarks.tensor(self._heatmap)()[0])
        u, v = (nx - 0.5) * region.side, (ny - 0.5) * region.side
        rows = np.empty((N_POINTS, 3), dtype=float)
        rows[:, 0] = cos * u - sin * v + region.x
        rows[:, 1] = sin * u + cos * v + region.y
        rows[:, 2] = _sigmoid(raw[:, 3])
        return presence, rows


def _refine(nx: np.ndarray, ny: np.ndarray, heatmap: np.ndarray) -> None:
    """Each point moved, in place, to the heat map's weighted centre in the 7×7 cells
    around it, where the map is sure enough (MediaPipe's heat-map refinement; cells
    beyond the map's edge count as zero)."""
    rows, cols, count = heatmap.shape
    reach = (HEATMAP_KERNEL - 1) // 2
    col = (nx * cols).astype(int)  # truncated toward zero, as MediaPipe casts
    row = (ny * rows).astype(int)
    inside = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
    if not inside.any():
        return
    k = np.nonzero(inside)[0]
    offsets = np.arange(-reach, reach + 1)
    r = row[k, None] + offsets  # (n, 7)
    c = col[k, None] + offsets
    r_ok = (r >= 0) & (r < rows)
    c_ok = (c >= 0) & (c < cols)
    rr = np.clip(r, 0, rows - 1)[:, :, None]
    cc = np.clip(c, 0, cols - 1)[:, None, :]
    values = heatmap[rr, cc, k[:, None, None]]
    sure = _sigmoid(values) * (r_ok[:, :, None] & c_ok[:, None, :])
    total = sure.sum(axis=(1, 2))
    refine = (total > 0) & (sure.max(axis=(1, 2)) >= HEATMAP_CONFIDENCE)
    if not refine.any():
        return
    total = np.where(total > 0, total, 1.0)
    x = (sure.sum(axis=1) * c).sum(axis=1) / cols / total
    y = (sure.sum(axis=2) * r).sum(axis=1) / rows / total
    nx[k[refine]] = x[refine]
    ny[k[refine]] = y[refine]
