"""WAV files in and out: read any PCM WAV as 22,050 Hz mono 16-bit samples, check that a
clip holds sound, trim silence, write WAV headers for streams of known length.

espeak-ng writes 22,050 Hz mono 16-bit already; macOS ``say`` and Windows speech are
asked for the same format. Anything else (an mbrola voice at 16 kHz, a stereo file) is
converted here, simply: channels averaged, linear interpolation between samples.
"""

from __future__ import annotations

import io
import struct
import sys
import wave
from array import array
from pathlib import Path

from pose_coach.audio import SAMPLE_RATE
from pose_coach.files import FileRefused, read_bytes

SILENCE_LEVEL = 300  # about -40 dBFS: below this a sample counts as silence
SOUND_PEAK = 1000  # about -30 dBFS: a clip whose peak stays below this holds no speech
MAX_CLIP_BYTES = 64 << 20  # 25 minutes of speech: far more than a cue ever says


class ClipError(Exception):
    """A file is not a usable sound clip (missing, not PCM WAV, empty or silent)."""


def read_wav(path: Path) -> array:
    """The samples of a PCM WAV file, converted to 22,050 Hz mono 16-bit.

    Read by name like every file (``files.read_bytes``): a FIFO or a device where a clip
    should be (the speech cache is a folder like any other) is refused, never waited on.
    """
    try:
        raw = read_bytes(path, MAX_CLIP_BYTES)
    except FileNotFoundError:
        raise ClipError(f"{path} was not written") from None
    except FileRefused as refused:
        raise ClipError(f"{path} is not a clip: {refused.reason}") from None
    except OSError as exc:
        raise ClipError(f"{path} is not a readable WAV file ({exc})") from None
    try:
        with wave.open(io.BytesIO(raw), "rb") as reader:
            channels = reader.getnchannels()
            width = reader.getsampwidth()
            rate = reader.getframerate()
            frames = reader.getnframes()
            data = reader.readframes(frames)
    except (wave.Error, EOFError, OSError) as exc:
        raise ClipError(f"{path} is not a readable WAV file ({exc})") from None
    samples = _to_int16(data, width)
    if channels > 1:
        samples = array(
            "h",
            (
                sum(samples[i : i + channels]) // channels
                for i in range(0, len(samples) - channels + 1, channels)
            ),
        )
    if rate != SAMPLE_RATE:
        samples = resample(samples, rate, SAMPLE_RATE)
    return samples


def _to_int16(data: bytes, width: int) -> array:
    if width == 2:
        samples = array("h")
        samples.frombytes(data[: len(data) - len(data) % 2])
        if sys.byteorder == "big":
            samples.byteswap()
        return samples
    if width == 1:  # unsigned 8-bit
        return array("h", ((b - 128) << 8 for b in data))
    if width in (3, 4):  # keep the top 16 bits of each little-endian sample
        return array(
            "h",
            (
                int.from_bytes(data[i + width - 2 : i + width], "little", signed=True)
                for i in range(0, len(data) - width + 1, width)
            ),
        )
    raise ClipError(f"unsupported sample width: {width} bytes")


def resample(samples: array, rate_in: int, rate_out: int) -> array:
    """Linear interpolation: plenty for speech cues, and dependency-free."""
    if not samples or rate_in == rate_out:
        return array("h", samples)
    n_out = max(int(len(samples) * rate_out / rate_in), 1)
    ratio = rate_in / rate_out
    last = len(samples) - 1
    out = array("h", bytes(2 * n_out))
    for i in range(n_out):
        pos = i * ratio
        j = int(pos)
        if j >= last:
            out[i] = samples[last]
            continue
        frac = pos - j
        out[i] = int(samples[j] + (samples[j + 1] - samples[j]) * frac)
    return out


def peak(samples: array) -> int:
    """The largest absolute sample (max/min run at C speed)."""
    return max(max(samples), -min(samples)) if samples else 0


def holds_sound(samples: array) -> bool:
    """True when a clip is loud enough somewhere to be heard."""
    return peak(samples) >= SOUND_PEAK


def trim(samples: array, level: int = SILENCE_LEVEL, keep: float = 0.02) -> array:
    """Cut leading and trailing silence, keeping ``keep`` seconds at each end.

    Speech engines pad clips with silence; trimmed, a clip's length is the time it really
    talks, which is what the audio plan fits between beeps and the next cue.
    """
    n = len(samples)
    first = next((i for i in range(n) if abs(samples[i]) > level), None)
    if first is None:
        return array("h")
    last = next(i for i in range(n - 1, -1, -1) if abs(samples[i]) > level)
    pad = int(keep * SAMPLE_RATE)
    return samples[max(first - pad, 0) : min(last + 1 + pad, n)]


def load_clip(path: Path) -> array:
    """A speech clip ready to mix: read, checked to hold sound, silence trimmed."""
    samples = read_wav(path)
    if not holds_sound(samples):
        raise ClipError(f"{path} holds no sound")
    return trim(samples)


def fade_out(samples: array, seconds: float = 0.03) -> array:
    """A copy ending in a short linear fade, for clips cut before their end."""
    out = array("h", samples)
    n = min(int(seconds * SAMPLE_RATE), len(out))
    for k in range(n):
        i = len(out) - n + k
        out[i] = int(out[i] * (n - k) / n)
    return out


def wav_header(nframes: int) -> bytes:
    """The 44-byte header of a 22,050 Hz mono 16-bit PCM WAV holding ``nframes`` samples.

    Written up front with the final length, so the data can stream to a pipe (an
    encoder's stdin) or a file without seeking back, and an interrupted stream leaves no
    writer object behind trying to patch a closed file.
    """
    data = nframes * 2
    return b"".join(
        (
            b"RIFF",
            struct.pack("<I", 36 + data),
            b"WAVE",
            b"fmt ",
            struct.pack("<IHHIIHH", 16, 1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16),
            b"data",
            struct.pack("<I", data),
        )
    )


def to_bytes(samples: array) -> bytes:
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def write_wav(path: Path, samples: array) -> None:
    """Write a small WAV file (clips, live segments). Not atomic: callers own the path."""
    with open(path, "wb") as handle:
        handle.write(wav_header(len(samples)))
        handle.write(to_bytes(samples))
