"""The file itself: refuse what is too big or not a file, tell FIT from TCX from GPX, decode.

The size is checked from the file system before a byte is read, and reads are capped, so a
huge or endless file (a FIFO, /dev/zero) never fills memory. A gzip-compressed file (as in
a Strava bulk export) is opened transparently, with the same cap on what it expands to.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pose_coach.activity.errors import ActivityFileError
from pose_coach.activity.model import Decoded
from pose_coach.errors import display_path
from pose_coach.files import FileRefused, FileTooLarge, read_bytes

MAX_BYTES = 100 * 1024 * 1024  # a 24-hour ultra with every field at 1 s is ~30 MB of FIT
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class SourceFile:
    shown: str  # the path as messages show it
    name: str  # the file name alone
    data: bytes
    fingerprint: str  # sha256 of the bytes as stored on disk


def _too_big(shown: str, size: int, what: str = "") -> ActivityFileError:
    return ActivityFileError(
        f"{shown}: {what}{size / 1024 / 1024:,.0f} MB is more than an activity file holds "
        f"(the limit is {MAX_BYTES // 1024 // 1024} MB); nothing was read",
        hint="export the single activity from your watch or Garmin Connect",
    )


def load_source(path: Path) -> SourceFile:
    """The file's bytes, after the checks that come before reading."""
    shown = display_path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ActivityFileError(f"{shown}: no such file") from None
    except OSError as exc:
        raise ActivityFileError(f"{shown}: cannot read it: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise ActivityFileError(f"{shown} is a folder; give one activity file (.fit, .tcx, .gpx)")
    if not stat.S_ISREG(info.st_mode):
        raise ActivityFileError(f"{shown} is not a regular file (a pipe or a device?)")
    if info.st_size > MAX_BYTES:
        raise _too_big(shown, info.st_size)
    try:
        # opened without blocking and checked again once open (files.read_bytes)
        data = read_bytes(path, MAX_BYTES)
    except FileTooLarge as big:  # it grew while we looked
        raise _too_big(shown, big.size) from None
    except FileRefused:
        raise ActivityFileError(f"{shown} is not a regular file (a pipe or a device?)") from None
    except OSError as exc:
        raise ActivityFileError(f"{shown}: cannot read it: {exc.strerror}") from None
    fingerprint = hashlib.sha256(data).hexdigest()
    if data.startswith(_GZIP_MAGIC):
        data = _gunzip(shown, data)
    return SourceFile(shown, Path(path).name, data, fingerprint)


def _gunzip(shown: str, data: bytes) -> bytes:
    import zlib

    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ActivityFileError(f"{shown}: a damaged gzip file ({exc})") from None
    if len(out) > MAX_BYTES or inflater.unconsumed_tail:
        raise _too_big(shown, MAX_BYTES + 1, "unpacked, more than ")
    return out


def sniff(data: bytes) -> str | None:
    """'fit', 'xml' or None, from the content (never the file name)."""
    if len(data) >= 12 and data[0] in (12, 14) and data[8:12] == b".FIT":
        return "fit"
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "xml"  # TCX, GPX or other: its root element says (``decode``)
    return None


def _what_it_is(data: bytes) -> str:
    if not data:
        return "the file is empty"
    if data[:4] == b"%PDF":
        return "it is a PDF"
    if data[:4] in (b"PK\x03\x04",):
        return "it is a ZIP archive: unpack it first"
    if data[:16] == b"SQLite format 3\x00":
        return "it is an SQLite database"
    if len(data) >= 12 and data[8:12] == b".FIT":
        return "its FIT header is damaged"
    return "it is neither"


PROGRESS_BYTES = 2 * 1024 * 1024  # a FIT file this big takes seconds: worth a progress bar


def decode(
    source: SourceFile,
    *,
    check_crc: bool = True,
    progress: Callable[[float, float], None] | None = None,
) -> Decoded:
    """Decode a FIT, TCX or GPX file (chosen by content) into a Decoded activity.

    ``progress(done, total)`` is told about big FIT files as they are read."""
    kind = sniff(source.data)
    if kind == "xml":
        from pose_coach.activity.xmlsafe import xml_root

        kind = {"TrainingCenterDatabase": "tcx", "gpx": "gpx"}.get(
            xml_root(source.data, source.shown), "xml"
        )
    if kind == "fit":
        from pose_coach.activity.fit import read_fit

        big = progress if len(source.data) >= PROGRESS_BYTES else None
        return read_fit(source.data, source.shown, check_crc=check_crc, progress=big)
    if kind == "tcx":
        from pose_coach.activity.tcx import read_tcx

        return read_tcx(source.data, source.shown)
    if kind == "gpx":
        from pose_coach.activity.gpx import read_gpx

        return read_gpx(source.data, source.shown)
    found = "it is XML of another kind" if kind == "xml" else _what_it_is(source.data)
    raise ActivityFileError(
        f"{source.shown}: not a FIT, TCX or GPX activity file ({found})",
        hint="export the run from your watch's app as FIT (best), TCX or GPX",
    )
