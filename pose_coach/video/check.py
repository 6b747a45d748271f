"""``pose-coach form --check``: what a clip is and what can be measured from it.

The same decode and landmarks as the analysis, then each stage's verdict on its own:
people found and which one is the runner, side-on or not, how many strides, which
measures the frame rate allows, and the first thing that stops the analysis, if any.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from pose_coach.video.clip import (
    ClipRequest,
    check_slow_cadence,
    check_slow_motion_tag,
    check_slow_steps,
    clip_options,
    clip_poses,
    native_logs_hidden,
)
from pose_coach.video.decode import ClipInfo, FrameStream
from pose_coach.video.errors import TooFewStridesError, VideoError
from pose_coach.video.model import INFO, MEASURES, FramePoses, Track


@dataclass(frozen=True)
class Person:
    person: int  # --person N
    frames: int  # frames the person is seen in
    first_s: float  # seconds of the running, from the clip's first frame
    last_s: float
    travel: float  # leg lengths of motion along the line of travel: the runner's score


@dataclass(frozen=True)
class ClipCheck:
    info: ClipInfo
    frames: int  # frames decoded
    stopped_early: str | None
    rate: float  # frames/s of the running
    people: tuple[Person, ...]
    runner: int | None  # the person the analysis would take
    side_on: float | None  # left-right spread against the torso; side-on below SIDE_ON_LIMIT
    strides: int | None  # complete strides of the runner
    min_strides: int
    measurable: dict[str, str | None]  # measure key → None (measurable) or why not
    problem: str | None  # the first thing that stops the analysis; None: it can run
    hint: str | None
    seconds: float
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.problem is None

    def to_dict(self) -> dict[str, Any]:
        info = self.info
        return {
            "file": info.shown,
            "ok": self.ok,
            "problem": self.problem,
            "hint": self.hint,
            "width": info.width,
            "height": info.height,
            "rotation_deg": info.rotation,
            "codec": info.codec,
            "fps": info.fps,
            "capture_fps": self.rate if self.rate != info.fps else None,
            "capture_fps_tag": info.capture_fps,
            "stated_frames": info.frame_count,
            "frames": self.frames,
            "duration_s": info.duration,
            "stopped_early": self.stopped_early,
            "people": [p.__dict__ for p in self.people],
            "runner": self.runner,
            "side_on_ratio": self.side_on,
            "strides": self.strides,
            "min_strides": self.min_strides,
            "measures": {
                INFO[key].json: {"measurable": why is None, "why_not": why}
                for key, why in self.measurable.items()
            },
            "notes": list(self.notes),
        }


def _measurable(rate: float, not_measured: dict[str, str] | None) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for key in MEASURES:
        needs = INFO[key].needs_fps
        if not_measured is not None:
            out[key] = not_measured.get(key)
        elif needs and rate < needs:
            out[key] = f"needs {needs:.0f} frames/s or more (this clip: {rate:.0f})"
        else:
            out[key] = None
    return out


def check_clip(request: ClipRequest) -> ClipCheck:
    """Every stage's verdict on one clip. Raises only when the file cannot be read as a
    video at all (NotAVideoError) or the video extra is missing."""
    from pose_coach.video.analysis import analyse_poses
    from pose_coach.video.stack import require_stack
    from pose_coach.video.tracks import TrackBuilder, choose_runner, side_on_ratio

    require_stack()
    started = time.perf_counter()
    with FrameStream(request.path, request.size) as stream:
        info = stream.info
        options = clip_options(info, request)
        problem: VideoError | None = None
        try:
            check_slow_motion_tag(info, request.capture_fps)
        except VideoError as error:
            problem = error
        with native_logs_hidden():
            poses: list[FramePoses] = list(clip_poses(stream, request.progress))
        stopped = stream.stopped_early
    builder = TrackBuilder(options.time_scale)
    for frame in poses:
        builder.add(frame)
    tracks = builder.tracks(options.rate, options.side)
    people = tuple(
        Person(tr.person, len(tr.index), float(tr.t[0]), float(tr.t[-1]), float(tr.travel))
        for tr in tracks
    )
    runner = side_on = strides = None
    track = None
    not_measured = None
    notes: tuple[str, ...] = ()
    try:
        track = choose_runner(tracks, options.person)
        runner = track.person
        side_on = side_on_ratio(track)
        analysis = analyse_poses(poses, options)
        strides = len(analysis.measures.strides)
        not_measured = dict(analysis.measures.not_measured)
        notes = analysis.notes
        check_slow_cadence(info, analysis)
    except TooFewStridesError as error:
        try:
            check_slow_steps(info, poses, options)
            problem = problem or error
        except VideoError as slow:
            problem = problem or slow
    except VideoError as error:
        problem = problem or error
    if strides is None and track is not None:
        strides = _strides(track, options.rate)
    return ClipCheck(
        info=info,
        frames=len(poses),
        stopped_early=stopped,
        rate=options.rate,
        people=people,
        runner=runner,
        side_on=side_on,
        strides=strides,
        min_strides=options.min_strides,
        measurable=_measurable(options.rate, not_measured),
        problem=problem.message if problem else None,
        hint=problem.hint if problem else None,
        seconds=time.perf_counter() - started,
        notes=notes,
    )


def _strides(track: Track, rate: float) -> int | None:
    """The runner's complete strides, when the analysis stopped before counting them."""
    from pose_coach.video.gait import gait
    from pose_coach.video.measures import stride_measures

    try:
        steps = gait(track, rate)
        return len(stride_measures(steps.track, steps.landings, steps.toe_offs, rate, None))
    except (ValueError, IndexError):
        return None
