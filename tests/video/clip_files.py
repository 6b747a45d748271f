"""Small clips made with FFmpeg for the decode tests, and the shared real clip.

Made once per test session from FFmpeg's test pattern (no real data needed): landscape
and portrait (rotation metadata), HEVC in MOV, variable frame rate, a slow-motion tag,
a file cut off mid-way, one whose index is gone, and files that are not videos.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "video"
WALK = SHARED / "walking-side-view.mp4"
WALK_SKIP = f"needs the shared clip {WALK} (present in CI)"
FFMPEG_SKIP = "needs ffmpeg to make test clips (.ci/run installs it)"


def _stack_missing() -> str | None:
    from pose_coach.video.stack import stack_problem

    problem = stack_problem()
    return problem.message if problem else None


STACK_SKIP = _stack_missing()
needs_stack = pytest.mark.skipif(STACK_SKIP is not None, reason=STACK_SKIP or "")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason=FFMPEG_SKIP)
needs_walk = pytest.mark.skipif(not WALK.is_file(), reason=WALK_SKIP)


def ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-y", *args],
        check=True,
        stdin=subprocess.DEVNULL,
    )


def pattern(path: Path, *, size: str = "320x180", rate: int = 30, seconds: float = 2, extra=()):
    """FFmpeg's test pattern as H.264 (or what ``extra`` says) in ``path``."""
    source = f"testsrc=size={size}:rate={rate}:duration={seconds}"
    codec = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    ffmpeg("-f", "lavfi", "-i", source, *codec, *extra, str(path))
    return path


def make_clips(folder: Path) -> dict[str, Path]:
    clips: dict[str, Path] = {}
    clips["landscape"] = pattern(folder / "landscape.mp4")
    # as long as the synthetic runners of the command's tests: 6 s at 60 frames/s
    clips["six-seconds"] = pattern(folder / "six-seconds.mp4", size="160x90", rate=60, seconds=6)
    clips["portrait"] = folder / "portrait.mp4"
    ffmpeg("-i", str(clips["landscape"]), "-c", "copy", "-metadata:s:v", "rotate=90",
           str(clips["portrait"]))  # fmt: skip
    clips["hevc"] = folder / "hevc.mov"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=30:duration=2", "-c:v", "libx265",
           "-x265-params", "log-level=error", "-pix_fmt", "yuv420p", "-tag:v", "hvc1",
           str(clips["hevc"]))  # fmt: skip
    # 30 frames 1/30 s apart, then 30 frames 1/60 s apart
    clips["vfr"] = pattern(
        folder / "vfr.mp4",
        rate=60,
        extra=(
            "-vf", "settb=1/600,setpts='if(lt(N,30),N*20,600+(N-30)*10)'",
            "-fps_mode", "passthrough", "-video_track_timescale", "600", "-frames:v", "60",
        ),
    )  # fmt: skip
    clips["slowmo"] = pattern(
        folder / "slowmo.mp4",
        extra=("-movflags", "use_metadata_tags", "-metadata", "com.android.capture.fps=240.0"),
    )
    faststart = pattern(folder / "faststart.mp4", extra=("-movflags", "+faststart"))
    data = faststart.read_bytes()
    clips["cut"] = folder / "cut.mp4"
    clips["cut"].write_bytes(data[: len(data) * 6 // 10])
    clips["no-index"] = folder / "no-index.mp4"
    clips["no-index"].write_bytes(clips["landscape"].read_bytes()[:4000])
    clips["text"] = folder / "notes.mp4"
    clips["text"].write_text("not a video\n")
    clips["empty"] = folder / "empty.mov"
    clips["empty"].write_bytes(b"")
    clips["picture"] = folder / "picture.png"
    ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x180:rate=1:duration=1", "-frames:v", "1",
           str(clips["picture"]))  # fmt: skip
    return clips


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if shutil.which("ffmpeg") is None:
        pytest.skip(FFMPEG_SKIP)
    return make_clips(tmp_path_factory.mktemp("clips"))


def no_one_landmarker(seen=None, released=None):
    """A Landmarker that finds no one, for tests of the reading around it: each frame's
    time and picture go to ``seen``, each close to ``released``."""
    from pose_coach.video.model import FramePoses

    class Landmarker:
        def __init__(self, *_):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            if released is not None:
                released.append("landmarker")

        def use_threads(self, threads):
            pass  # no networks to run

        def detect(self, frame):
            if seen is not None:
                seen.append((frame.t, frame.image.tobytes()))
            return FramePoses(frame.index, frame.t, (), frame.width, frame.height)

    return Landmarker
