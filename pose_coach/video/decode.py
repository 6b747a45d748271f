"""A clip's frames, one at a time, upright, with their presentation times.

FFmpeg decodes H.264 and HEVC in MP4 and MOV, through PyAV: the decoded picture's planes
come to hand, so a frame is shrunk before its colours are converted (half the cost a frame
of OpenCV's ``VideoCapture``, which converts the whole picture first). OpenCV reads the
container's facts (size upright, rate, frame count, rotation). A phone's portrait clip is
turned upright from its rotation metadata. Frames are streamed: one picture is held at a
time, scaled for the landmarker, so a 4K minute costs no more memory than a 720p second.
Times are the container's presentation timestamps, so a variable-frame-rate phone clip
keeps its real timing.

A file that stops early (cut off while copying, a recording that crashed) is read as far
as it decodes; ``FrameStream.stopped_early`` says where it stopped.
"""

from __future__ import annotations

import os
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pose_coach.errors import display_path
from pose_coach.files import FileRefused, regular_stat
from pose_coach.video.errors import NotAVideoError
from pose_coach.video.stack import av_or_error, cv2_or_error

if TYPE_CHECKING:
    import numpy as np

LANDMARK_SIZE = 640  # px: the longer side of the frames the landmarker sees
JPEG_WIDTH = 960  # px: the width of the key frames a report shows
JPEG_QUALITY = 85
# the first bytes of an MP4/MOV file: a box size, then one of these box types
_ISO_BOXES = (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip", b"pnot")
_SLOW_MOTION_KEY = b"com.android.capture.fps"


@dataclass(frozen=True)
class ClipInfo:
    """What the container says about a clip, before any frame is decoded."""

    shown: str  # the path as messages show it
    width: int  # px of the upright frame (rotation applied)
    height: int
    fps: float  # the container's frame rate (its timestamps)
    frame_count: int | None  # as the container states it; None: unknown
    rotation: int  # degrees the rotation metadata turns the picture (applied); 0: none
    codec: str  # the FourCC: h264, hevc, avc1, hvc1, vp09, ...
    capture_fps: float | None  # frames/s the camera filmed at, where a slow-motion tag says
    size_bytes: int

    @property
    def duration(self) -> float | None:
        """Seconds, from the stated frame count and rate; None when either is unknown."""
        if self.frame_count and self.fps > 0:
            return self.frame_count / self.fps
        return None

    @property
    def portrait(self) -> bool:
        return self.height > self.width


@dataclass(frozen=True, eq=False)
class Frame:
    """One decoded frame, scaled for the landmarker; sizes are those of the clip itself."""

    index: int  # decode order, the first frame 0 (FramePoses.index)
    t: float  # seconds from the first frame, from its presentation timestamp
    image: np.ndarray  # RGB, uint8, the longer side at most LANDMARK_SIZE px
    width: int  # px of the upright frame as filmed
    height: int


def _not_a_video(shown: str, detail: str) -> NotAVideoError:
    return NotAVideoError(
        f"{shown}: {detail}",
        "give a video file from a phone or camera: MP4 or MOV, H.264 or HEVC",
    )


def _check_file(path: Path) -> tuple[str, int]:
    """The path as shown, and the file's size; errors for a missing or special file."""
    shown = display_path(path)
    try:
        info = regular_stat(path)
    except FileNotFoundError:
        raise NotAVideoError(f"{shown}: no such file") from None
    except FileRefused as refused:
        raise _not_a_video(shown, refused.reason) from None
    except OSError as error:
        raise NotAVideoError(f"{shown}: cannot be read ({error.strerror or error})") from None
    if info.st_size == 0:
        raise _not_a_video(shown, "the file is empty")
    return shown, info.st_size


def _head(path: Path, size: int = 12) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def _looks_iso(head: bytes) -> bool:
    return len(head) >= 8 and head[4:8] in _ISO_BOXES


def _open_failure(path: Path, shown: str) -> NotAVideoError:
    """Why FFmpeg could not open the file, as far as its first bytes tell."""
    if _looks_iso(_head(path)):
        return NotAVideoError(
            f"{shown}: an MP4/MOV file whose index (the moov box) is missing or damaged, "
            "as when a recording or a copy was cut off; no frame can be read",
            "copy the clip again from the phone, or export it again",
        )
    return _not_a_video(shown, "not a video file (FFmpeg cannot read it)")


def _fourcc(value: float) -> str:
    code = int(value)
    text = "".join(chr((code >> (8 * i)) & 0xFF) for i in range(4))
    return text.strip("\x00 ").lower() if text.isprintable() else "unknown"


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    """(type, start of the body, end) of each ISO box in ``data[start:end]``."""
    import struct

    at = start
    while at + 8 <= end:
        size, kind = struct.unpack(">I4s", data[at : at + 8])
        body = at + 8
        if size == 1 and at + 16 <= end:
            size = struct.unpack(">Q", data[at + 8 : at + 16])[0]
            body = at + 16
        elif size == 0:
            size = end - at
        if size < body - at or at + size > end:
            return
        yield kind, body, at + size
        at += size


def _moov(path: Path, limit: int = 64 << 20) -> bytes:
    """The moov box's bytes (the MP4/MOV index and metadata), or b"" when not found."""
    import struct

    try:
        with open(path, "rb") as handle:
            while True:
                head = handle.read(8)
                if len(head) < 8:
                    return b""
                size, kind = struct.unpack(">I4s", head)
                header = 8
                if size == 1:
                    size = struct.unpack(">Q", handle.read(8))[0]
                    header = 16
                if kind == b"moov":
                    if size == 0 or size - header > limit:
                        return b""
                    return handle.read(size - header)
                if size < header:
                    return b""
                handle.seek(size - header, os.SEEK_CUR)
    except OSError:
        return b""


def _meta_boxes(moov: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of the body of each metadata box in moov: moov/meta (as Android writes
    it) and moov/udta/meta (as FFmpeg does), with or without the ISO version and flags."""
    for kind, body, end in _boxes(moov, 0, len(moov)):
        places = [(body, end)] if kind == b"meta" else []
        if kind == b"udta":
            places = [(b, e) for k, b, e in _boxes(moov, body, end) if k == b"meta"]
        for start, stop in places:
            # a QuickTime meta box starts with its hdlr box; an ISO one with 4 flag bytes
            yield (start if moov[start + 4 : start + 8] == b"hdlr" else start + 4), stop


def capture_fps_tag(path: Path) -> float | None:
    """The frame rate a phone says it filmed at (Android's ``com.android.capture.fps``
    metadata, written for slow-motion clips), or None."""
    import struct

    moov = _moov(path)
    if _SLOW_MOTION_KEY not in moov:
        return None
    for body, end in _meta_boxes(moov):
        keys: list[bytes] = []
        values: dict[int, float] = {}
        for inner, ibody, iend in _boxes(moov, body, end):
            if inner == b"keys":
                count = struct.unpack(">I", moov[ibody + 4 : ibody + 8])[0]
                at = ibody + 8
                for _ in range(count):
                    size = struct.unpack(">I", moov[at : at + 4])[0]
                    keys.append(moov[at + 8 : at + size])
                    at += size
            elif inner == b"ilst":
                for item, jbody, jend in _boxes(moov, ibody, iend):
                    number = struct.unpack(">I", item)[0]
                    for data, dbody, dend in _boxes(moov, jbody, jend):
                        if data != b"data" or dend - dbody < 8:
                            continue
                        kind_code = struct.unpack(">I", moov[dbody : dbody + 4])[0] & 0xFFFFFF
                        raw = moov[dbody + 8 : dend]
                        try:
                            if kind_code == 23 and len(raw) == 4:  # big-endian float32
                                values[number] = struct.unpack(">f", raw)[0]
                            elif kind_code == 1:  # UTF-8 text
                                values[number] = float(raw.decode("utf-8"))
                        except ValueError:
                            continue
        for number, key in enumerate(keys, start=1):
            if key == _SLOW_MOTION_KEY and number in values and values[number] > 0:
                return float(values[number])
    return None


def _capture(path: Path, shown: str) -> Any:
    """OpenCV's reader opened on the clip, for the container's facts (ClipInfo)."""
    cv2 = cv2_or_error()
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG, [cv2.CAP_PROP_N_THREADS, 1])
    if not capture.isOpened():
        capture.release()
        raise _open_failure(path, shown)
    # the frame's size upright, from the rotation metadata (the default; said so it stays)
    capture.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return capture


def probe(path: Path) -> ClipInfo:
    """What the container says: size, rate, length, rotation. NotAVideoError when it is
    not a video FFmpeg can open."""
    shown, size = _check_file(path)
    capture = _capture(path, shown)
    try:
        return _info(capture, path, shown, size)
    finally:
        capture.release()


def _info(capture: Any, path: Path, shown: str, size: int) -> ClipInfo:
    cv2 = cv2_or_error()
    count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
    fps = capture.get(cv2.CAP_PROP_FPS)
    return ClipInfo(
        shown=shown,
        width=int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)),
        height=int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)),
        fps=float(fps) if fps and fps > 0 and fps < 10_000 else 0.0,
        frame_count=int(count) if count and count > 0 else None,
        rotation=int(capture.get(cv2.CAP_PROP_ORIENTATION_META)) % 360,
        codec=_fourcc(capture.get(cv2.CAP_PROP_FOURCC)),
        capture_fps=capture_fps_tag(path) if _looks_iso(_head(path)) else None,
        size_bytes=size,
    )


def _target_size(w: int, h: int, longest: int | None, width: int | None = None) -> tuple[int, int]:
    """(width, height) of a ``w``×``h`` picture shrunk (never enlarged) so its longer side
    is ``longest`` px, or its width ``width`` px."""
    factor = 1.0
    if longest is not None and max(h, w) > longest:
        factor = longest / max(h, w)
    if width is not None and w > width:
        factor = min(factor, width / w)
    if factor >= 1.0:
        return w, h
    return max(1, round(w * factor)), max(1, round(h * factor))


def _shrunk(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` resized to ``size`` (width, height), never larger than it is."""
    cv2 = cv2_or_error()
    h, w = image.shape[:2]
    if (w, h) == size:
        return image
    # Halving by area averaging has a fast path in OpenCV (1080p to 640 px in 1-2 ms this
    # way, where the general area resize takes 3-6 ms, as long as decoding the frame);
    # what is left, a factor under 2, is interpolated linearly without aliasing.
    while w >= 2 * size[0] and h >= 2 * size[1]:
        h, w = h // 2, w // 2
        image = cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
    if (w, h) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR)


class _Decoder:
    """FFmpeg's decoder on a clip's first video stream (PyAV): each frame that decodes, in
    presentation order, with its time in the container's milliseconds from the stream's
    start (as OpenCV counts them; None where the file gives no timestamp)."""

    def __init__(self, path: Path, shown: str, threads: int = 1) -> None:
        """``threads``: FFmpeg's decoding threads, 0 for as many as it likes. One by
        default: the clip is read in chunks, one per core, and FFmpeg's own frame threads
        on top of those spend a third more CPU for the same frames."""
        av = av_or_error()
        try:
            self._container: Any = av.open(str(path), metadata_errors="ignore")
        except (av.FFmpegError, OSError, UnicodeError):
            raise _open_failure(path, shown) from None
        if not self._container.streams.video:
            self._container.close()
            raise _not_a_video(shown, "it holds no video stream")
        self._stream: Any = self._container.streams.video[0]
        if threads != 1:
            self._stream.thread_type = "AUTO"
        self._stream.thread_count = threads
        self._unit = float(self._stream.time_base or 0.0) * 1000
        self._start = self._stream.start_time or 0
        # the stream's frame rate (0.0 when it gives none): how close a sought frame's
        # time must come to be the frame wanted
        self.fps = float(self._stream.average_rate or self._stream.guessed_rate or 0.0)

    def close(self) -> None:
        self._container.close()

    def seek(self, ms: float) -> None:
        """Move to the key frame at or before ``ms`` (container time); what decodes next
        starts there."""
        av = av_or_error()
        if self._unit <= 0:
            return
        try:
            self._container.seek(
                self._start + int(ms / self._unit), stream=self._stream, backward=True
            )
        except av.FFmpegError:
            pass  # no index to seek by: the frames come from the start, and are skipped

    def frames(self) -> Iterator[tuple[Any, float | None]]:
        """(frame, ms) from where the decoder stands. A packet that does not decode is
        passed over, as FFmpeg's own tools do; where the file can no longer be read (cut
        off), the frames end."""
        av = av_or_error()
        try:
            for packet in self._container.demux(self._stream):
                try:
                    decoded = packet.decode()
                except av.InvalidDataError:
                    continue
                for frame in decoded:
                    pts = frame.pts
                    ms = (
                        None if pts is None or self._unit <= 0 else (pts - self._start) * self._unit
                    )
                    yield frame, ms
        except av.FFmpegError:
            return


def _plane(frame: Any, number: int, height: int, width: int) -> np.ndarray:
    """One plane of a decoded picture, as a view of FFmpeg's own buffer (rows padded)."""
    import numpy as np

    plane = frame.planes[number]
    rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
    return rows[:height, :width]


_TURNS = {90: "ROTATE_90_CLOCKWISE", 180: "ROTATE_180", 270: "ROTATE_90_COUNTERCLOCKWISE"}


def _turn(frame: Any) -> int:
    """The clockwise turn (0, 90, 180, 270) that stands a decoded frame upright: its
    display matrix turns the picture counter-clockwise, OpenCV's turns go clockwise."""
    return (-round((frame.rotation or 0) / 90) * 90) % 360


def _picture(
    frame: Any, longest: int | None, width: int | None = None, *, bgr: bool = False
) -> np.ndarray:
    """A decoded frame as an upright RGB (or BGR) picture, shrunk (never enlarged) so its
    longer side is ``longest`` px, or its width ``width`` px.

    A phone's 4:2:0 frame is shrunk plane by plane before its colours are converted: the
    conversion then runs on the small picture (1080p to 640 px: about 1 ms, where
    converting first and shrinking after costs 5). Other formats (10-bit HDR, full-range
    JPEG colours) go through FFmpeg's own scaler, which knows them."""
    import numpy as np

    cv2 = cv2_or_error()
    turn = _turn(frame)
    full_w, full_h = frame.width, frame.height
    sideways = turn in (90, 270)
    w, h = _target_size(*((full_h, full_w) if sideways else (full_w, full_h)), longest, width)
    if sideways:
        w, h = h, w
    if frame.format.name == "yuv420p" and (w, h) != (full_w, full_h) and not w % 2 and not h % 2:
        i420 = np.empty((h * 3 // 2, w), np.uint8)
        i420[:h] = _shrunk(_plane(frame, 0, full_h, full_w), (w, h))
        chroma = i420[h:].reshape(-1)
        quarter = (w // 2) * (h // 2)
        half_h, half_w = (full_h + 1) // 2, (full_w + 1) // 2
        for number, part in ((1, chroma[:quarter]), (2, chroma[quarter:])):
            part[:] = _shrunk(_plane(frame, number, half_h, half_w), (w // 2, h // 2)).reshape(-1)
        code = cv2.COLOR_YUV2BGR_I420 if bgr else cv2.COLOR_YUV2RGB_I420
        image = cv2.cvtColor(i420, code)
    else:
        image = frame.to_ndarray(
            width=w, height=h, format="bgr24" if bgr else "rgb24", interpolation="AREA"
        )
    if turn:
        image = cv2.rotate(image, getattr(cv2, _TURNS[turn]))
    return np.ascontiguousarray(image)


class FrameStream:
    """The frames of one clip, decoded as they are asked for; use it as a context manager
    (or call ``close``) so the decoder is released.

    ``frames_read`` and ``last_t`` say how far it got; after the frames are exhausted,
    ``stopped_early`` says where a damaged or cut-off file stopped.
    """

    def __init__(
        self,
        path: Path,
        size: int | None = LANDMARK_SIZE,
        *,
        start_ms: float = 0.0,
        origin_ms: float | None = None,
    ) -> None:
        """``start_ms``: begin with the frame there (the container's milliseconds), for a
        chunk of the clip read on its own; ``origin_ms``: the container time frame times
        count from (None: the first frame read)."""
        self.path = path
        shown, nbytes = _check_file(path)
        capture = _capture(path, shown)
        try:
            self.info = _info(capture, path, shown, nbytes)
        finally:
            capture.release()
        self._decoder: _Decoder | None = _Decoder(path, shown)
        self.size = size
        self.origin_ms = origin_ms
        self._start_ms = start_ms
        if start_ms > 0:
            self._decoder.seek(start_ms)
        self.first_ms: float | None = None  # the container time of the first frame read
        self.frames_read = 0
        # each frame's time, 8 bytes a frame: lets read_frames seek to a key frame later
        self.times = array("d")
        self.last_t = 0.0
        self._finished = False

    def __enter__(self) -> FrameStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._decoder is not None:
            self._decoder.close()
            self._decoder = None

    def __iter__(self) -> Iterator[Frame]:
        decoder = self._decoder
        if decoder is None:
            return
        step = 1 / self.info.fps if self.info.fps else 1 / 30
        first = None if self.origin_ms is None else self.origin_ms / 1000
        # a seek lands on the key frame before the start: those frames are decoded (the
        # ones after depend on them) but not converted or handed on
        skip_before = self._start_ms - step * 500 if self._start_ms > 0 else None
        for decoded, msec in decoder.frames():
            if skip_before is not None:
                if msec is not None and msec < skip_before:
                    continue
                skip_before = None
            # the presentation time of the frame; a container without timestamps, or
            # one that runs backwards, gets the stated rate's instead
            t = msec / 1000 if msec is not None and msec >= 0 else self.frames_read * step
            if self.first_ms is None:
                self.first_ms = msec if msec is not None and msec >= 0 else -1.0
            if first is None:
                first = t
            t -= first
            if self.frames_read and t <= self.last_t:
                t = self.last_t + step
            rgb = _picture(decoded, self.size)
            width, height = decoded.width, decoded.height
            if _turn(decoded) in (90, 270):
                width, height = height, width
            frame = Frame(self.frames_read, t, rgb, width, height)
            self.frames_read += 1
            self.last_t = t
            self.times.append(t)
            del decoded
            yield frame
        self._finished = True
        if self.frames_read == 0:
            raise _not_a_video(self.info.shown, "no frame could be decoded")
        if self.frames_read == 1 and (self.info.frame_count or 1) <= 1:
            raise _not_a_video(self.info.shown, "a single picture, not a video")

    def adopt(self, times: Sequence[float], finished: bool) -> None:
        """The record of a clip read in chunks, each by a stream of its own: every
        frame's time, in order, and whether the last chunk read to the end of the file."""
        self.times = array("d", times)
        self.frames_read = len(times)
        self.last_t = times[-1] if len(times) else 0.0
        self._finished = finished

    @property
    def stopped_early(self) -> str | None:
        """Where the file stopped when it holds fewer frames than it states (damaged or
        cut off), in words; None when it was read to its end."""
        stated = self.info.frame_count
        if not self._finished or not stated:
            return None
        # containers round their counts; a frame or two (or 2 %) short is not damage
        if self.frames_read >= stated - max(2, stated // 50):
            return None
        length = f" of {self.info.duration:.1f} s" if self.info.duration else ""
        return (
            f"the file stops at frame {self.frames_read} of the {stated} it states "
            f"({self.last_t:.1f} s{length}): damaged or cut off; "
            f"the {self.frames_read} frames that decode are analysed"
        )


def file_sha256(path: Path) -> str:
    """The clip's SHA-256, read in 1 MiB blocks: how the practice log knows a clip again."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# frames: a frame farther ahead than this is sought, not decoded to. A seek lands on the
# key frame at or before it (phones write one a second), so a short gap is cheaper decoded
SEEK_GAP = 30


def _seek_to(
    decoder: _Decoder, target_ms: float, step_ms: float
) -> tuple[Any, Iterator[tuple[Any, float | None]]] | None:
    """Seek to the key frame at or before ``target_ms`` (container time) and decode forward
    to the frame at that time: (that frame, the decoder's frames after it), or None when
    the seek landed past it or never reached it (the caller then reads from the start)."""
    decoder.seek(max(0.0, target_ms))
    frames = decoder.frames()
    for frame, ms in frames:
        if ms is None:
            return None
        if abs(ms - target_ms) <= step_ms / 2:
            return frame, frames
        if ms > target_ms:
            return None
    return None


def read_frames(
    path: Path,
    indices: Iterable[int],
    max_width: int | None = None,
    times: Sequence[float] | None = None,
) -> dict[int, np.ndarray]:
    """The frames at ``indices`` (FramePoses.index: decode order), upright, BGR, scaled
    to at most ``max_width`` px wide. Indices past the end are left out.

    Frames are counted in one decoding pass from the start (seeking by frame number is
    wrong on a variable-frame-rate clip). Given ``times`` (FrameStream.times, from the
    analysis's own pass), a frame far ahead is sought by its time instead, and taken only
    when the frame found has exactly that time; otherwise the pass goes on from the start.
    """
    wanted = sorted({int(i) for i in indices if int(i) >= 0})
    out: dict[int, np.ndarray] = {}
    if not wanted:
        return out
    shown, _ = _check_file(path)
    # alone on the machine by now: every core decodes (a seek can decode seconds of clip)
    decoder = _Decoder(path, shown, threads=0)
    step_ms = 1000 / decoder.fps if decoder.fps > 0 else 1000 / 30
    try:
        frames = decoder.frames()
        current = next(frames, None)
        if current is None:
            return out
        index, offset = 0, current[1] or 0.0  # the frame in hand, and the first's time
        for target in wanted:
            if times is not None and target < len(times) and target - index > SEEK_GAP:
                found = _seek_to(decoder, offset + times[target] * 1000, step_ms)
                if found is not None:
                    frame, frames = found
                    current, index = (frame, None), target
                else:  # start again and count
                    decoder.close()
                    decoder = _Decoder(path, shown, threads=0)
                    frames = decoder.frames()
                    current = next(frames, None)
                    if current is None:
                        return out
                    index = 0
            while index < target:  # decoded, not converted
                current = next(frames, None)
                if current is None:
                    return out
                index += 1
            out[target] = _picture(current[0], None, max_width, bgr=True)
    finally:
        decoder.close()
    return out


def read_frames_jpeg(
    path: Path,
    indices: Iterable[int],
    max_width: int = JPEG_WIDTH,
    quality: int = JPEG_QUALITY,
    times: Sequence[float] | None = None,
) -> dict[int, bytes]:
    """The frames at ``indices`` as JPEG bytes, at most ``max_width`` px wide: FramePoses
    .index → JPEG. Landmark pixels (FormAnalysis.width wide) scale to a picture by its
    width / FormAnalysis.width. ``times``: as for ``read_frames``."""
    cv2 = cv2_or_error()
    out = {}
    for index, image in read_frames(path, indices, max_width, times).items():
        ok, encoded = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
        if ok:
            out[index] = encoded.tobytes()
    return out
