"""What the form check reads and hands on: poses per frame, tracks, gait events, measures.

Units are fixed here, once, for every stage after the landmarks:

- time: seconds of the running itself. A slow-motion clip's container timestamps are
  stretched; they are scaled by ``FormOptions.time_scale`` (fps / capture_fps) before
  any stage uses them, so ``Track.t`` and ``Contact.t`` are real seconds.
- positions: pixels of the upright frame (rotation metadata applied), x to the right,
  y down, origin at the top-left corner.
- lengths against the body: per cent of the runner's leg length (hip to knee plus knee
  to ankle, in pixels, from the same clip), so they do not depend on the distance to
  the camera.
- angles: degrees. A segment's angle is measured from the vertical, positive when its
  upper end is ahead of its lower end in the direction of travel (a forward lean).
- cadence: steps per minute, both feet; stance time: milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    from pose_coach.library.model import Entry

# MediaPipe BlazePose's 33 landmarks, in its order: FramePoses rows follow it.
LANDMARKS = (
    "nose",
    "left_eye_inner",
    "left_eye",
    "left_eye_outer",
    "right_eye_inner",
    "right_eye",
    "right_eye_outer",
    "left_ear",
    "right_ear",
    "mouth_left",
    "mouth_right",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_pinky",
    "right_pinky",
    "left_index",
    "right_index",
    "left_thumb",
    "right_thumb",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
    "left_heel",
    "right_heel",
    "left_foot_index",
    "right_foot_index",
)
N_LANDMARKS = len(LANDMARKS)
NOSE = 0
SHOULDER = {"left": 11, "right": 12}
ELBOW = {"left": 13, "right": 14}
WRIST = {"left": 15, "right": 16}
HIP = {"left": 23, "right": 24}
KNEE = {"left": 25, "right": 26}
ANKLE = {"left": 27, "right": 28}
HEEL = {"left": 29, "right": 30}
TOE = {"left": 31, "right": 32}  # "foot_index": the tip of the foot

LEFT, RIGHT = "left", "right"
FEET = (LEFT, RIGHT)

# The lines of the skeleton a report draws, as landmark index pairs.
SKELETON = (
    (11, 12),
    (11, 13),
    (13, 15),
    (12, 14),
    (14, 16),
    (11, 23),
    (12, 24),
    (23, 24),
    (23, 25),
    (25, 27),
    (27, 29),
    (29, 31),
    (27, 31),
    (24, 26),
    (26, 28),
    (28, 30),
    (30, 32),
    (28, 32),
)

# At this many frames per second (of the running, after --capture-fps) and above, toe-off
# is timed well enough for stance time and the fall angle at toe-off. At 60 frames/s
# contact times came out 50-100 ms off against hand labels.
TOE_OFF_FPS = 120.0


@dataclass(frozen=True, eq=False)
class FramePoses:
    """The people the landmark stage found in one decoded frame.

    ``people``: one array per person, shape (33, 3), float: x and y in pixels of the
    upright frame (y down), then visibility 0..1, rows in BlazePose's landmark order
    (``LANDMARKS``). The order of people within a frame means nothing; tracks.py links
    them over time.
    """

    index: int  # frame number in decode order, the first frame 0
    t: float  # seconds, from the container's timestamps (presentation time)
    people: tuple[np.ndarray, ...]
    width: int  # px of the upright frame
    height: int


@dataclass(frozen=True)
class FormOptions:
    """How to read a clip. ``fps`` is the clip's own frame rate (its timestamps); a
    slow-motion clip also needs ``capture_fps``, the rate the camera really filmed at."""

    fps: float
    capture_fps: float | None = None  # None: the clip plays in real time
    person: int | None = None  # a Track.person number; None: the runner is chosen
    side: str | None = None  # "left"/"right": the runner's side facing the camera
    height_cm: float | None = None  # the runner's height: bounce also in cm
    min_strides: int = 4  # fewer complete strides than this is an error
    # loads the drill library when a fault needs drills (the command passes the catalog)
    entries: Callable[[], Mapping[str, Entry]] | None = None

    @property
    def rate(self) -> float:
        """Frames per second of the running: what timing accuracy depends on."""
        return self.capture_fps or self.fps

    @property
    def time_scale(self) -> float:
        """Container seconds × this = seconds of the running (1 unless slow motion)."""
        return self.fps / self.rate if self.rate else 1.0


@dataclass(frozen=True, eq=False)
class Track:
    """One person over time, cleaned: identity kept across frames, left/right swaps
    undone, gaps shorter than a few frames filled, smoothed without shifting timing.

    Arrays run over the frames where the person was seen (N of them), in time order.
    Landmarks never seen or filled stay NaN in ``xy`` with visibility 0.
    """

    person: int  # 1, 2, ...: people numbered in the order they first appear (--person N)
    index: np.ndarray  # (N,) int: FramePoses.index of each row
    t: np.ndarray  # (N,) float: seconds of the running (time-scaled), first frame of clip 0
    xy: np.ndarray  # (N, 33, 2) float px, smoothed
    vis: np.ndarray  # (N, 33) float 0..1 (as detected; 0 where filled)
    direction: int  # +1: running towards +x (right of frame); -1: towards the left
    leg_length: float  # px: median hip-knee plus median knee-ankle, both legs
    swaps: int = 0  # frames whose left and right legs were found swapped and undone
    travel: float = 0.0  # the score that chose the runner: leg lengths of motion along x

    def row_of(self, frame_index: int) -> int:
        """The row of ``frame_index`` in the arrays (the nearest seen frame)."""
        import numpy as np

        row = int(np.searchsorted(self.index, frame_index))
        if row >= len(self.index):
            return len(self.index) - 1
        if row > 0 and frame_index - self.index[row - 1] < self.index[row] - frame_index:
            return row - 1
        return row


@dataclass(frozen=True)
class Contact:
    """A gait event of one foot: a landing (first frame with the foot on the ground) or a
    toe-off (last frame with the foot on the ground)."""

    foot: str  # "left" or "right" (after swaps were undone and --side applied)
    index: int  # FramePoses.index of the frame that shows it
    t: float  # seconds of the running: the event's time, interpolated between frames


@dataclass(frozen=True)
class Measure:
    """One measured value, in the unit a coach reads, with how far to trust it."""

    value: float
    unit: str
    confidence: float  # 0..1: the lowest mean visibility of the landmarks it used

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "confidence": self.confidence}


@dataclass(frozen=True)
class MeasureInfo:
    """How a measure is named and shown, and what it needs."""

    key: str
    json: str  # the JSON field name, unit included
    label: str  # a table heading
    title: str  # in sentences
    unit: str
    digits: int  # decimals shown
    when: str  # the moment it is taken
    needs_fps: float | None = None  # frames/s of the running it needs; None: any


# The measure keys, in the order tables show them.
FOOT_AHEAD = "foot_ahead"
SHANK = "shank_angle"
KNEE_BEND = "knee_bend"
TRUNK_LEAN = "trunk_lean"
WAIST_BEND = "waist_bend"
FREE_ANKLE = "free_ankle_behind"
CADENCE = "cadence"
BOUNCE = "bounce"
BOUNCE_CM = "bounce_cm"
STANCE = "stance_time"
FALL_ANGLE = "fall_angle"

INFO: dict[str, MeasureInfo] = {
    FOOT_AHEAD: MeasureInfo(
        FOOT_AHEAD,
        "foot_ahead_of_hip_pct_leg",
        "foot ahead",
        "Foot ahead of the hip at landing",
        "% leg",
        0,
        "landing: the landing ankle's distance ahead of the hip, along the direction of travel",
    ),
    SHANK: MeasureInfo(
        SHANK,
        "shank_angle_deg",
        "shank",
        "Shank angle at landing",
        "°",
        0,
        "landing: knee-ankle line from the vertical, positive with the ankle ahead of the knee",
    ),
    KNEE_BEND: MeasureInfo(
        KNEE_BEND,
        "knee_bend_deg",
        "knee bend",
        "Knee bend at landing",
        "°",
        0,
        "landing: 180° minus the hip-knee-ankle angle (0: a straight leg)",
    ),
    TRUNK_LEAN: MeasureInfo(
        TRUNK_LEAN,
        "trunk_lean_deg",
        "trunk lean",
        "Trunk lean",
        "°",
        0,
        "pose moment: hip-shoulder line from the vertical, positive leaning forward",
    ),
    WAIST_BEND: MeasureInfo(
        WAIST_BEND,
        "waist_bend_deg",
        "waist bend",
        "Bending at the waist",
        "°",
        0,
        "pose moment: the trunk's lean minus the support leg's (ankle-hip line) lean",
    ),
    FREE_ANKLE: MeasureInfo(
        FREE_ANKLE,
        "free_ankle_behind_hip_pct_leg",
        "free foot",
        "Free ankle behind the hip at the pose",
        "% leg",
        0,
        "pose moment: the free ankle's distance behind the hip, along the direction of travel",
    ),
    CADENCE: MeasureInfo(
        CADENCE,
        "cadence_spm",
        "cadence",
        "Cadence",
        "spm",
        0,
        "stride: two steps over the time from a landing to the same foot's next landing",
    ),
    BOUNCE: MeasureInfo(
        BOUNCE,
        "bounce_pct_leg",
        "bounce",
        "Vertical bounce of the hip",
        "% leg",
        1,
        "step: the hip's highest minus lowest point from a landing to the other foot's",
    ),
    BOUNCE_CM: MeasureInfo(
        BOUNCE_CM,
        "bounce_cm",
        "bounce cm",
        "Vertical bounce of the hip",
        "cm",
        1,
        "step: the bounce in cm, from the runner's height (leg length 0.491 × height)",
    ),
    STANCE: MeasureInfo(
        STANCE,
        "stance_time_ms",
        "stance",
        "Stance (ground contact) time",
        "ms",
        0,
        "stance: from landing to toe-off of the same foot",
        TOE_OFF_FPS,
    ),
    FALL_ANGLE: MeasureInfo(
        FALL_ANGLE,
        "fall_angle_deg",
        "fall",
        "Fall angle at toe-off",
        "°",
        0,
        "toe-off: the line from the support toe to the hip, from the vertical",
        TOE_OFF_FPS,
    ),
}
MEASURES = tuple(INFO)


@dataclass(frozen=True)
class StrideMeasures:
    """One stride: from a foot's landing to the same foot's next landing.

    Strides of the two feet interleave; each is named by its landing foot. The landing
    measures are taken at ``landing``, the pose measures at ``pose_index`` (the frame where
    the hip passes over the support ankle), the step's bounce between ``landing`` and the
    other foot's next landing.
    """

    number: int  # 1, 2, ... in time order of the landing
    foot: str  # the landing (support) foot
    landing: Contact
    next_landing: Contact  # the same foot's next landing: where the stride ends
    pose_index: int  # FramePoses.index of the pose moment
    end_index: int  # FramePoses.index of the end of stance (toe-off, or its estimate)
    end_measured: bool  # False below TOE_OFF_FPS: end_index is an estimate for pictures
    toe_off: Contact | None  # only at TOE_OFF_FPS and above
    values: Mapping[str, Measure]  # by measure key; a key is missing when not measurable

    def to_dict(self) -> dict[str, Any]:
        return {
            "stride": self.number,
            "foot": self.foot,
            "landing_frame": self.landing.index,
            "landing_s": self.landing.t,
            "pose_frame": self.pose_index,
            "end_of_stance_frame": self.end_index,
            "end_of_stance_measured": self.end_measured,
            "toe_off_s": self.toe_off.t if self.toe_off else None,
            "next_landing_s": self.next_landing.t,
            "measures": {INFO[k].json: m.to_dict() for k, m in self.values.items()},
        }


@dataclass(frozen=True)
class Summary:
    """The median of one measure over strides, with its spread."""

    value: float
    unit: str
    confidence: float  # median of the strides' confidences
    strides: int  # how many strides it is the median of
    low: float  # 25th percentile
    high: float  # 75th percentile

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "unit": self.unit,
            "confidence": self.confidence,
            "strides": self.strides,
            "p25": self.low,
            "p75": self.high,
        }


@dataclass(frozen=True)
class FormMeasures:
    """The strides and their medians: all strides, and left and right landings apart."""

    strides: tuple[StrideMeasures, ...]
    both: Mapping[str, Summary]  # by measure key
    left: Mapping[str, Summary]
    right: Mapping[str, Summary]
    cadence: Summary | None  # steps/min over every step (landing to the other foot's)
    not_measured: Mapping[str, str]  # measure key → why it is not measured on this clip
    rate: float  # frames per second of the running the measures come from


@dataclass(frozen=True)
class Band:
    """Where a value sits against what a source says, for one measure."""

    measure: str
    level: str  # "good", "watch" (borderline) or "fault"
    low: float | None  # the band's limits in the measure's unit; None: open-ended
    high: float | None
    meaning: str  # what the band means, in words
    source: str  # a key of bands.SOURCES

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "low": self.low,
            "high": self.high,
            "meaning": self.meaning,
            "source": self.source,
        }


@dataclass(frozen=True)
class Fault:
    """A fault the measures show: a fault id of the library's fault index."""

    fault: str  # a key of library.faults.FAULTS
    measure: str  # the measure key that shows it
    side: str | None  # "left"/"right" when one side alone shows it; None: both
    value: float  # the median that shows it, in the measure's unit
    band: Band
    message: str  # what the video shows, in a sentence
    evidence: tuple[str, ...]  # keys of bands.SOURCES
    worst_stride: int  # the stride number that shows it most

    def to_dict(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "measure": INFO[self.measure].json,
            "side": self.side,
            "value": self.value,
            "unit": INFO[self.measure].unit,
            "band": self.band.to_dict(),
            "message": self.message,
            "evidence": list(self.evidence),
            "worst_stride": self.worst_stride,
        }


@dataclass(frozen=True)
class DrillChoice:
    id: str
    title: str
    phase: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "phase": self.phase}


@dataclass(frozen=True)
class Prescription:
    """The drills for one fault, from the library's fault index, with commands to run."""

    fault: str
    label: str  # the fault index's label
    drills: tuple[DrillChoice, ...]
    commands: tuple[str, ...]  # one ready-to-run command per drill
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "label": self.label,
            "drills": [d.to_dict() for d in self.drills],
            "commands": list(self.commands),
            "note": self.note,
        }


@dataclass(frozen=True)
class KeyFrames:
    """The frames a report shows for one stride (FramePoses.index values)."""

    stride: int  # StrideMeasures.number
    foot: str
    landing: int
    pose: int
    end_of_stance: int
    end_measured: bool  # False: the end of stance is an estimate (below TOE_OFF_FPS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "stride": self.stride,
            "foot": self.foot,
            "landing_frame": self.landing,
            "pose_frame": self.pose,
            "end_of_stance_frame": self.end_of_stance,
            "end_of_stance_measured": self.end_measured,
        }


@dataclass(frozen=True, eq=False)
class FormAnalysis:
    """Everything a report needs about one clip."""

    options: FormOptions
    frames: int  # frames read
    duration: float  # seconds of the running covered by the frames
    width: int
    height: int
    people: int  # people tracked in the clip
    runner: Track  # the person analysed (its landmarks draw the skeleton)
    side: str  # the runner's side facing the camera
    landings: tuple[Contact, ...]
    toe_offs: tuple[Contact, ...]  # empty below TOE_OFF_FPS
    measures: FormMeasures
    bands: Mapping[str, Band]  # by measure key, for the medians over both feet
    faults: tuple[Fault, ...]
    prescriptions: tuple[Prescription, ...]
    median: KeyFrames  # the stride closest to the medians
    worst: KeyFrames  # the stride that shows the first fault most (else the farthest)
    notes: tuple[str, ...] = field(default=())  # what the reader should know
    walking: bool = False  # a walk: measured, not coached as a run (no faults named)
