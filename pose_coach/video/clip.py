"""``analyse_clip``: a video file in, a FormAnalysis out: decode → landmarks → analyse_poses.

Decoding runs in a thread of its own, a few frames ahead of the landmarker (both spend
their time in C code that lets go of the GIL), so on two cores the two overlap. The queue
between them is short: memory stays bounded whatever the clip's size or length.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pose_coach.progress import Progress, no_progress
from pose_coach.video.decode import LANDMARK_SIZE, ClipInfo, Frame, FrameStream
from pose_coach.video.errors import SlowMotionError, TooFewStridesError, VideoError
from pose_coach.video.model import FormAnalysis, FormOptions, FramePoses

if TYPE_CHECKING:
    from pose_coach.library.model import Entry

PREFETCH = 4  # decoded frames waiting for the landmarker: a few MB at 640 px
SLOW_MOTION_TAG = 1.5  # a capture rate this many times the file's: slow motion
# Below this, a clip's cadence cannot be a person running (or walking) in real time:
# slow motion at 4x turns 170 steps/min into about 42.
SLOW_CADENCE = 70.0


@dataclass(frozen=True)
class ClipRequest:
    """What ``pose-coach form`` asks of one clip."""

    path: Path
    capture_fps: float | None = None  # --capture-fps: the rate the camera really filmed at
    person: int | None = None  # --person
    side: str | None = None  # --side
    entries: Callable[[], Mapping[str, Entry]] | None = None  # the drill library, on demand
    progress: Progress = no_progress  # update(frames done, frames in the clip)
    size: int = LANDMARK_SIZE  # px: the longer side of the frames the landmarker sees


@dataclass(frozen=True, eq=False)
class ClipResult:
    info: ClipInfo
    analysis: FormAnalysis
    seconds: float  # wall time of decoding, landmarks and analysis
    times: Sequence[float] = ()  # each frame's time: read_frames_jpeg seeks with them

    @property
    def frames_per_second(self) -> float:
        return self.analysis.frames / self.seconds if self.seconds > 0 else 0.0


def _prefetched(frames: Iterator[Frame], depth: int = PREFETCH) -> Generator[Frame, None, None]:
    """``frames`` decoded in a thread, at most ``depth`` ahead; errors come through."""
    box: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[str, object]) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for frame in frames:
                if not put(("frame", frame)):
                    return
        except BaseException as error:  # handed to the reading thread
            put(("error", error))
            return
        put(("end", None))

    thread = threading.Thread(target=work, name="pose-coach-decode", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = box.get()
            if kind == "frame":
                assert isinstance(value, Frame)
                yield value
            elif kind == "error":
                assert isinstance(value, BaseException)
                raise value
            else:
                return
    finally:
        stop.set()
        thread.join()


@contextmanager
def native_logs_hidden() -> Iterator[None]:
    """LiteRT's C++ layers write INFO lines to file descriptor 2 as they please (the
    delegate it created, each time a network is loaded); while a clip is analysed,
    descriptor 2 points at /dev/null and Python's own ``sys.stderr`` (the progress bar,
    warnings) at a copy of the real one."""
    try:
        sys.stderr.flush()
        real_fd = sys.stderr.fileno() == 2
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no descriptor 2 (tests capture it)
        yield
        return
    original = sys.stderr
    copy = None
    try:
        if real_fd:
            # closed below, after descriptor 2 is back; line-buffered like stderr
            copy = open(os.dup(saved), "w", 1, original.encoding, original.errors)
            sys.stderr = copy
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        if copy is not None:
            copy.flush()
            sys.stderr = original
            copy.close()
        os.dup2(saved, 2)
        os.close(saved)


def slow_motion_error(info: ClipInfo, why: str) -> SlowMotionError:
    return SlowMotionError(
        f"{info.shown}: {why}; the timing (cadence, contact times) cannot be trusted "
        "without --capture-fps",
        "give the rate the camera filmed at: --capture-fps 120 (or 240, as the phone's "
        "slow-motion setting says)",
    )


def check_slow_motion_tag(info: ClipInfo, capture_fps: float | None) -> None:
    """A slow-motion tag without --capture-fps: stop before decoding a frame."""
    if capture_fps is None and info.capture_fps and info.fps:
        if info.capture_fps >= info.fps * SLOW_MOTION_TAG:
            raise slow_motion_error(
                info,
                f"a slow-motion clip (filmed at {info.capture_fps:.0f} frames/s, "
                f"it plays at {info.fps:.0f})",
            )


def check_slow_cadence(info: ClipInfo, analysis: FormAnalysis) -> None:
    """A cadence no one runs at, in a clip without --capture-fps: slow motion."""
    cadence = analysis.measures.cadence
    if analysis.options.capture_fps is None and cadence and cadence.value < SLOW_CADENCE:
        raise slow_motion_error(
            info,
            f"the cadence comes out at {cadence.value:.0f} steps/min at the clip's own "
            f"{info.fps:.0f} frames/s: it looks slowed down (slow motion)",
        )


def check_slow_steps(info: ClipInfo, poses: list[FramePoses], options: FormOptions) -> None:
    """Too few strides in a clip without --capture-fps: when its steps come at a pace no
    one runs at, it is slow motion (strides that long are not counted as strides)."""
    import numpy as np

    from pose_coach.video.gait import contacts
    from pose_coach.video.tracks import TrackBuilder, choose_runner

    if options.capture_fps is not None:
        return
    builder = TrackBuilder(options.time_scale)
    for frame in poses:
        builder.add(frame)
    try:
        runner = choose_runner(builder.tracks(options.rate, options.side), options.person)
    except VideoError:
        return
    landings, _ = contacts(runner, options.rate)
    pairs = zip(landings[:-1], landings[1:], strict=True)
    steps = [b.t - a.t for a, b in pairs if a.foot != b.foot and b.t > a.t]
    if len(steps) >= 3:
        cadence = 60.0 / float(np.median(steps))
        if cadence < SLOW_CADENCE:
            raise slow_motion_error(
                info,
                f"its steps come {cadence:.0f} a minute at the clip's own {info.fps:.0f} "
                "frames/s: it looks slowed down (slow motion)",
            )


def clip_options(info: ClipInfo, request: ClipRequest) -> FormOptions:
    return FormOptions(
        fps=info.fps or 30.0,
        capture_fps=request.capture_fps,
        person=request.person,
        side=request.side,
        entries=request.entries,
    )


def clip_poses(
    stream: FrameStream, progress: Progress, chunks: int | None = None
) -> Iterator[FramePoses]:
    """The landmarks of each frame of ``stream``, in order; progress in frames against
    the clip's stated count. On several cores the clip is read in ``chunks`` (default:
    a chunk per core, see ``video.chunks``); in one, decoded ahead in a thread while the
    networks run on every core."""
    from pose_coach.video.chunks import chunk_count, chunked_poses, usable_cores
    from pose_coach.video.landmarks import frame_poses

    count = chunk_count(stream.info.duration) if chunks is None else chunks
    if count > 1:
        parts = chunked_poses(stream, progress, count)
        try:
            yield from parts
        finally:
            parts.close()
        return
    total = float(stream.info.frame_count or 0)
    ahead = _prefetched(iter(stream))
    found = frame_poses(ahead, threads=usable_cores())
    try:
        for poses in found:
            done = poses.index + 1
            progress(done, max(total, done))
            yield poses
    finally:
        # closed now, in this order, even when Ctrl-C or an error stops the loop (a
        # traceback would keep them alive): the landmarker, then the decoding thread,
        # before the caller releases the decoder the thread reads from
        found.close()
        ahead.close()


def analyse_clip(request: ClipRequest) -> FormAnalysis:
    """The form check of one clip (see ``analyse_clip_timed``)."""
    return analyse_clip_timed(request).analysis


def analyse_clip_timed(request: ClipRequest) -> ClipResult:
    """The form check of one clip. Raises NotAVideoError, SlowMotionError, NoPersonError,
    NotSideOnError, TooFewStridesError, MissingExtraError."""
    from pose_coach.video.analysis import analyse_poses
    from pose_coach.video.stack import require_stack

    require_stack()
    started = time.perf_counter()
    with FrameStream(request.path, request.size) as stream:
        check_slow_motion_tag(stream.info, request.capture_fps)
        options = clip_options(stream.info, request)
        with native_logs_hidden():
            # landmarks only (0.4 kB a frame and person), never the pictures
            poses = list(clip_poses(stream, request.progress))
        try:
            analysis = analyse_poses(poses, options)
        except VideoError as error:
            if isinstance(error, TooFewStridesError):
                check_slow_steps(stream.info, poses, options)
            if stream.stopped_early:  # what decoded was too little: say why
                raise type(error)(f"{error.message}; {stream.stopped_early}", error.hint) from None
            raise
        check_slow_cadence(stream.info, analysis)
        stopped = stream.stopped_early
        if stopped:
            analysis = replace(analysis, notes=(stopped, *analysis.notes))
        return ClipResult(stream.info, analysis, time.perf_counter() - started, stream.times)
