"""A clip's landmarks in time chunks: a decoder and a landmarker per core, in parallel.

Each network call runs on one core, and decoding a 1080p frame costs a third as much
again. A clip's frames depend on one another only through the landmarker's following of
each person from frame to frame. So the clip is cut in time: each chunk's thread seeks a
decoder of its own to a little before the chunk's start (WARM_UP_MS: the people in view
found and followed, nothing handed on) and runs a landmarker of its own from there. The
squares the landmarker follows people in snap to a grid (blazepose.Region.snapped), so a
chunk's landmarks soon become those a single reading from the start gives (on the bench
clip, from the 37th frame after the cut on; the cuts depend only on the clip's length and
the machine's cores, never on timing).

A chunk ends at the very frame the next one began with (the same presentation time:
FFmpeg's seek lands on a frame, the same picture a decoder reading from the start
gives). Where a seek lands elsewhere, finds no frame (a file cut off before its stated
end) or the clip has no timestamps, the chunk before reads on over that chunk's part:
every frame is analysed once, in order, whatever the file.

What is in view differs from chunk to chunk, and so does their cost: the chunk still
running when the others have ended runs its networks on every core from then on (the
same numbers, bit for bit, in about half the time). Landmarks come out in the clip's
order; later chunks keep theirs (0.4 kB a frame and person, kept for the analysis
anyway) until their turn.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Generator
from dataclasses import dataclass, field, replace

from pose_coach.progress import Progress
from pose_coach.video.decode import FrameStream
from pose_coach.video.errors import NotAVideoError
from pose_coach.video.model import FramePoses

MAX_CHUNKS = 4  # more decoders than this gain little and hold a picture each
MIN_CHUNK_S = 2.0  # s of clip: a shorter chunk spends much of its time seeking
SAME_FRAME_MS = 0.5  # two presentation times this close are the same frame
WAIT_S = 0.1  # how often a waiting thread looks whether it was asked to stop
# ms a later chunk starts landmarking before its start: the people in view found and
# their squares settled, so the frames it hands on read as if followed from the start
WARM_UP_MS = 300.0


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def chunk_count(duration: float | None) -> int:
    """How many chunks a clip of ``duration`` seconds is cut into on this machine."""
    if not duration or duration <= 0:
        return 1
    return max(1, min(usable_cores(), MAX_CHUNKS, int(duration // MIN_CHUNK_S)))


@dataclass(eq=False)
class _Chunk:
    number: int
    start_ms: float  # where its decoder seeks to (container time)
    first_ms: float | None = None  # the container time of its first frame, once read
    started: threading.Event = field(default_factory=threading.Event)
    cancelled: threading.Event = field(default_factory=threading.Event)
    out: queue.Queue[tuple[str, object]] = field(default_factory=queue.Queue)
    frames: int = 0  # frames landmarked so far
    finished: bool = False  # read to the end of the file


def _wait(event: threading.Event, stop: threading.Event) -> bool:
    while not event.wait(WAIT_S):
        if stop.is_set():
            return False
    return True


class _Run:
    """The chunks of one clip and the threads that read them."""

    def __init__(self, stream: FrameStream, count: int) -> None:
        self.stream = stream
        self.stop = threading.Event()
        duration_ms = (stream.info.duration or 0.0) * 1000
        self.chunks = [_Chunk(k, duration_ms * k / count) for k in range(count)]
        self.cores = usable_cores()
        self.running = count  # chunks whose thread has not ended
        self._lock = threading.Lock()
        self.threads = [
            threading.Thread(
                target=self._work, args=(c,), name=f"pose-coach-landmarks-{c.number}", daemon=True
            )
            for c in self.chunks
        ]

    def _next_chunk(self, chunk: _Chunk, ms: float) -> _Chunk | None:
        """The chunk after ``chunk`` that it reads up to, ``chunk`` being at ``ms``
        (container time). Those whose first frame ``chunk`` has passed without meeting it
        (a seek that landed early, a chunk that found no frame) are given up: ``chunk``
        reads their part instead. None: ``chunk`` reads to the end."""
        for later in self.chunks[chunk.number + 1 :]:
            while not later.cancelled.is_set():
                if later.started.is_set():
                    if later.first_ms is not None and ms <= later.first_ms + SAME_FRAME_MS:
                        return later
                    later.cancelled.set()
                elif ms + SAME_FRAME_MS < later.start_ms:
                    return later  # not there yet
                elif not _wait(later.started, self.stop):
                    return None
        return None

    def _work(self, chunk: _Chunk) -> None:
        from pose_coach.video.landmarks import Landmarker

        stream: FrameStream | None = None
        try:
            if chunk.number == 0:
                stream = self.stream
            else:
                warm_from = max(0.0, chunk.start_ms - WARM_UP_MS)
                stream = FrameStream(
                    self.stream.path, self.stream.size, start_ms=warm_from, origin_ms=0.0
                )
            with Landmarker() as landmarker:
                for frame in stream:
                    if self.stop.is_set() or chunk.cancelled.is_set():
                        return
                    if self.running == 1:
                        # the others have ended (their content was lighter): this one
                        # takes every core rather than leave them idle to the end
                        landmarker.use_threads(self.cores)
                    if chunk.number == 0:
                        ms = (stream.first_ms or 0.0) + frame.t * 1000
                    else:
                        ms = frame.t * 1000
                        if not chunk.started.is_set():
                            first = stream.first_ms
                            if first is None or first < 0:
                                # a clip without timestamps cannot be joined: chunk 0 reads on
                                chunk.started.set()
                                return
                            if ms + SAME_FRAME_MS < chunk.start_ms and first < chunk.start_ms:
                                # the warm-up: people found and followed, nothing handed on
                                landmarker.detect(frame)
                                continue
                            chunk.first_ms = ms
                            chunk.started.set()
                    after = self._next_chunk(chunk, ms)
                    if after is not None and after.first_ms is not None:
                        if abs(ms - after.first_ms) <= SAME_FRAME_MS:
                            return  # the next chunk began with this very frame
                    chunk.out.put(("poses", landmarker.detect(frame)))
                    chunk.frames += 1
            chunk.finished = True
        except NotAVideoError as error:
            # a later chunk's seek past what decodes (a file cut off before its stated
            # end) finds no frame: the chunks before it read what there is
            if chunk.number == 0 or chunk.frames:
                chunk.out.put(("error", error))
        except BaseException as error:  # handed to the reading thread
            chunk.out.put(("error", error))
        finally:
            with self._lock:
                self.running -= 1
            chunk.started.set()  # one that read nothing is not waited for
            chunk.out.put(("end", None))
            if stream is not None and stream is not self.stream:
                stream.close()

    def frames_done(self) -> int:
        return sum(c.frames for c in self.chunks if not c.cancelled.is_set())


def chunked_poses(
    stream: FrameStream, progress: Progress, count: int
) -> Generator[FramePoses, None, None]:
    """The landmarks of every frame of ``stream``, in order, from ``count`` chunks read
    in parallel; progress in frames against the clip's stated count. Afterwards the
    stream's record (frames read, their times, where a damaged file stopped) covers the
    whole clip, as if it had been read from start to end."""
    run = _Run(stream, count)
    for thread in run.threads:
        thread.start()
    try:
        yield from _in_order(run, stream, progress)
    finally:
        run.stop.set()
        for thread in run.threads:
            thread.join()


def _in_order(
    run: _Run, stream: FrameStream, progress: Progress
) -> Generator[FramePoses, None, None]:
    total = int(stream.info.frame_count or 0)
    times: list[float] = []
    shown = 0
    last: _Chunk | None = None
    for chunk in run.chunks:
        # the chunks before this one have ended: whether it was given up is settled
        skip = chunk.cancelled.is_set()
        handed_on = False
        while True:
            try:
                kind, value = chunk.out.get(timeout=WAIT_S)
            except queue.Empty:
                done = run.frames_done()
                if done > shown:
                    shown = done
                    progress(shown, max(total, shown))
                continue
            if kind == "end":
                break
            if skip:
                continue
            if kind == "error":
                assert isinstance(value, BaseException)
                raise value
            assert isinstance(value, FramePoses)
            poses = value
            if chunk.number:
                # its times count from the container's zero, its frames from its own first
                origin = (stream.first_ms or 0.0) / 1000
                poses = replace(value, index=len(times), t=value.t - origin)
            times.append(poses.t)
            handed_on = True
            shown = max(shown, len(times))
            progress(shown, max(total, shown))
            yield poses
        if not skip and (last is None or handed_on):
            # the clip's end is read by the last chunk that handed frames on: one that
            # found nothing (its seek past a cut-off end) and was not given up in time
            # says nothing of how the file ends
            last = chunk
    stream.adopt(times, finished=last is not None and last.finished)
