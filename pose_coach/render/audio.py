"""Render a whole session to one audio file: WAV in pure Python, MP3/OGG/M4A through an
encoder (ffmpeg when present), written atomically, with an optional chapter sidecar.

The file is mixed in 30-second windows from the audio plan and streamed straight into
the file or the encoder's stdin, so memory stays flat however long the session is. Its
length is the timeline's, to the sample.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO

from pose_coach.atomic import AtomicFiles, write_text_atomic
from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.clips import to_bytes, wav_header
from pose_coach.audio.mixer import SoundBank, mix_window, total_samples
from pose_coach.audio.plan import AudioPlan
from pose_coach.audio.programs import install_hint, last_line, which
from pose_coach.errors import (
    MissingProgramError,
    OutputError,
    UsageError,
    display_path,
    printable,
)
from pose_coach.output_target import OutputTarget
from pose_coach.signals import deferred
from pose_coach.timeline import EventKind, Timeline

FORMATS = (".wav", ".mp3", ".ogg", ".m4a")
CHUNK_SECONDS = 30
WAV_MAX_BYTES = 0xFFFFFFFF  # RIFF counts bytes in 32 bits: about 27 hours of our sound

# suffix -> ffmpeg codec arguments (sizes for 20 min: mp3 3.5 MB, ogg 1.9 MB, m4a 4.6 MB)
_FFMPEG_CODECS = {
    ".mp3": ["-c:a", "libmp3lame", "-q:a", "6", "-f", "mp3"],
    ".ogg": ["-c:a", "libvorbis", "-q:a", "2", "-f", "ogg"],
    ".m4a": ["-c:a", "aac", "-b:a", "48k", "-movflags", "+faststart", "-f", "ipod"],
}


@dataclass(frozen=True)
class Rendered:
    path: str
    format: str
    seconds: float
    bytes: int | None
    encoder: str | None
    chapters: str | None = None

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "seconds": round(self.seconds, 3),
            "bytes": self.bytes,
            "encoder": self.encoder,
            "chapters": self.chapters,
        }


def output_format(path: Path) -> str:
    """The format a path asks for by its suffix; no suffix (``/dev/full``, ``-``) is WAV."""
    suffix = path.suffix.lower()
    if suffix == "":
        return ".wav"
    if suffix not in FORMATS:
        raise UsageError(
            f"cannot write {display_path(path)}: unknown audio format '{path.suffix}'",
            hint="end the file name in .wav, .mp3, .ogg or .m4a",
        )
    return suffix


def _sox_supports(sox: str, suffix: str) -> bool:
    try:
        text = subprocess.run([sox, "-h"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return False
    for line in text.splitlines():
        if line.startswith("AUDIO FILE FORMATS:"):
            return suffix.lstrip(".") in line.split()
    return False


def encoder_command(suffix: str, out: Path, title: str | None = None) -> list[str]:
    """The command that reads WAV on stdin and writes ``out`` (ffmpeg, else a fallback)."""
    ffmpeg = which("ffmpeg")
    if ffmpeg:
        meta = ["-metadata", f"title={title}"] if title else []
        return [
            ffmpeg,
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "wav",
            "-i",
            "pipe:0",
            *_FFMPEG_CODECS[suffix],
            *meta,
            str(out),
        ]
    if suffix == ".mp3" and which("lame"):
        return [which("lame") or "lame", "--quiet", "-V", "6", "-", str(out)]
    if suffix == ".ogg" and which("oggenc"):
        return [which("oggenc") or "oggenc", "-Q", "-q", "2", "-o", str(out), "-"]
    sox = which("sox")
    if suffix != ".m4a" and sox and _sox_supports(sox, suffix):
        return [sox, "-t", "wav", "-", str(out)]
    others = {
        ".mp3": "ffmpeg, lame or sox with MP3 support",
        ".ogg": "ffmpeg, oggenc or sox",
        ".m4a": "ffmpeg",
    }[suffix]
    raise MissingProgramError(
        f"cannot write {suffix} files: no encoder found ({others}); "
        f"install: {install_hint('ffmpeg')}, or render to .wav"
    )


def stream_wav(
    handle: IO[bytes],
    plan: AudioPlan,
    bank: SoundBank,
    progress: Callable[[float, float], None] | None = None,
) -> int:
    """Mix the whole session window by window into a WAV stream; returns its frame count."""
    nframes = total_samples(plan)
    if 36 + 2 * nframes > WAV_MAX_BYTES:  # the header's sizes are 32-bit
        hours = WAV_MAX_BYTES / (2 * SAMPLE_RATE) / 3600
        raise OutputError(
            f"the session lasts {plan.total / 3600:.1f} hours; a WAV file holds at most "
            f"{hours:.0f} hours of sound at {SAMPLE_RATE} Hz"
        )
    handle.write(wav_header(nframes))
    chunk = CHUNK_SECONDS * SAMPLE_RATE
    for start in range(0, nframes, chunk):
        end = min(start + chunk, nframes)
        handle.write(to_bytes(mix_window(plan, bank, start, end)))
        if progress:
            progress(end / SAMPLE_RATE, nframes / SAMPLE_RATE)
    return nframes


def _encode(
    handle: BinaryIO,
    suffix: str,
    plan: AudioPlan,
    bank: SoundBank,
    title: str | None,
    progress: Callable[[float, float], None] | None,
) -> str:
    """Pipe the WAV stream through the encoder into a temporary file, then into ``handle``.

    The encoder is looked for first, so a missing one fails before anything is mixed.
    """
    with tempfile.TemporaryDirectory(prefix="pose-coach-render-") as tmp:
        out = Path(tmp) / f"out{suffix}"
        argv = encoder_command(suffix, out, title)
        name = Path(argv[0]).name
        with tempfile.TemporaryFile() as errors:
            proc: subprocess.Popen | None = None
            try:
                with deferred():  # the child is known before a signal can orphan it
                    proc = subprocess.Popen(
                        argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors
                    )
                assert proc.stdin is not None
                try:
                    stream_wav(proc.stdin, plan, bank, progress)
                    proc.stdin.close()
                except BrokenPipeError:
                    pass  # the encoder died: its exit code and message say why
                code = proc.wait()
            except BaseException:  # Ctrl-C, a signal, a full disk: the encoder goes too
                if proc is not None:
                    with deferred():
                        proc.kill()
                        proc.wait()
                raise
            if code != 0 or not out.exists():
                detail = printable(last_line(errors)) or f"exit {code}"
                raise OutputError(f"{name} could not encode {suffix}: {detail}")
        with open(out, "rb") as encoded:
            shutil.copyfileobj(encoded, handle, 1 << 20)
    return name


def render_audio(
    plan: AudioPlan,
    bank: SoundBank,
    target: OutputTarget,
    title: str | None = None,
    progress: Callable[[float, float], None] | None = None,
    files: AtomicFiles | None = None,
) -> Rendered:
    """Write the session to ``target`` (stdout: WAV); a file atomically, never half of it.

    With ``files``, the file is only staged there: it appears with the others written
    into ``files`` (its chapter list), or not at all; ``bytes`` is then left for the
    caller to fill in once it has.
    """
    if target.path is None:
        target.write(lambda handle: stream_wav(handle, plan, bank, progress))
        return Rendered("-", "wav", plan.total, None, None)
    path = target.path
    suffix = output_format(path)
    used: list[str] = []

    def write(handle: BinaryIO) -> None:
        if suffix == ".wav":
            stream_wav(handle, plan, bank, progress)
        else:
            used.append(_encode(handle, suffix, plan, bank, title, progress))

    size = None
    if files is not None:
        files.write(path, write)
    else:
        target.write(write)
        size = file_size(path)
    return Rendered(
        display_path(path), suffix.lstrip("."), plan.total, size, used[0] if used else None
    )


# -- chapters -------------------------------------------------------------------------


def chapter_marks(timeline: Timeline) -> list[tuple[float, str]]:
    """(onset, title): each drill of a routine, or each step of a drill; 0:00 first."""
    marks: list[tuple[float, str]] = []
    if timeline.kind == "routine":
        for event in timeline.events:
            if event.kind is EventKind.DRILL_START:
                marks.append((event.at, f"{event.item}. {event.text}"))
            elif event.kind is EventKind.REST and event.drill is None:
                marks.append((event.at, "Rest"))
    else:
        for event in timeline.events:
            if event.kind is EventKind.CUE:
                sets = f" (set {event.set}/{event.sets})" if (event.sets or 1) > 1 else ""
                side = f" ({event.side})" if event.side else ""
                marks.append((event.at, f"{event.text}{side}{sets}"))
    if not marks or marks[0][0] > 0:
        marks.insert(0, (0.0, "Get ready"))
    return marks


def _cue_time(seconds: float) -> str:
    frames = int(round(seconds * 75))  # CUE sheets count 75 frames per second
    minutes, rest = divmod(frames, 75 * 60)
    secs, frame = divmod(rest, 75)
    return f"{minutes:02d}:{secs:02d}:{frame:02d}"


def _clean(text: str) -> str:
    return "".join(c for c in text if c.isprintable()).replace('"', "'")


def cue_sheet(timeline: Timeline, audio_name: str) -> str:
    kind = "MP3" if audio_name.lower().endswith(".mp3") else "WAVE"
    lines = [
        f'TITLE "{_clean(timeline.title)}"',
        'PERFORMER "pose-coach"',
        f'FILE "{_clean(audio_name)}" {kind}',
    ]
    for n, (at, title) in enumerate(chapter_marks(timeline), 1):
        lines += [
            f"  TRACK {n:02d} AUDIO",
            f'    TITLE "{_clean(title)}"',
            f"    INDEX 01 {_cue_time(at)}",
        ]
    return "\n".join(lines) + "\n"


def chapter_list(timeline: Timeline) -> str:
    """``HH:MM:SS.mmm Title`` per line (the format of mp3chaps and similar tools)."""
    out = []
    for at, title in chapter_marks(timeline):
        ms = int(round(at * 1000))
        hours, rest = divmod(ms, 3_600_000)
        minutes, rest = divmod(rest, 60_000)
        secs, millis = divmod(rest, 1000)
        out.append(f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d} {_clean(title)}")
    return "\n".join(out) + "\n"


def chapters_path(audio: Path, kind: str = "cue") -> Path:
    """``<audio stem>.cue`` (or ``.txt``) beside the audio file."""
    path = audio.with_suffix(f".{kind}")
    if path == audio:
        raise UsageError(f"the chapter file would replace {display_path(audio)}")
    return path


def write_chapters(
    timeline: Timeline, audio: Path, kind: str = "cue", files: AtomicFiles | None = None
) -> Path:
    """Write ``<audio stem>.cue`` (or ``.txt``) beside the audio file; with ``files``,
    staged to appear together with the audio file it belongs to."""
    path = chapters_path(audio, kind)
    text = cue_sheet(timeline, audio.name) if kind == "cue" else chapter_list(timeline)
    if files is not None:
        files.write(path, lambda handle: handle.write(text.encode("utf-8")))
    else:
        write_text_atomic(path, text)
    return path


def file_size(path: Path) -> int | None:
    """The size of a regular file written, None for a device (``/dev/null``) or none."""
    try:
        return path.stat().st_size if path.is_file() else None
    except OSError:
        return None
