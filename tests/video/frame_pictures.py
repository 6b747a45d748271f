"""Small pictures standing in for a clip's key frames: JPEG through OpenCV where it is
installed, else a PNG written with the standard library (the report takes either)."""

from __future__ import annotations

import struct
import zlib

from pose_coach.video.model import FormAnalysis
from pose_coach.video.report_frames import wanted_frames

WIDTH, HEIGHT = 480, 270  # a 1920×1080 frame scaled down, as the decoder's JPEGs are


def _png(width: int, height: int, shade: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + b"".join(bytes((shade, x * 255 // width, 90)) for x in range(width))
    rows = row * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int, shade: int) -> bytes | None:
    try:
        import cv2
        import numpy as np
    except ImportError:
        return None
    image = np.zeros((height, width, 3), np.uint8)
    image[:, :, 0] = shade
    image[:, :, 1] = np.linspace(0, 255, width, dtype=np.uint8)[None, :]
    image[:, :, 2] = 90
    ok, data = cv2.imencode(".jpg", image)
    return data.tobytes() if ok else None


def key_frame_pictures(analysis: FormAnalysis) -> dict[int, bytes]:
    """A picture for each frame the report shows, each a little different."""
    out = {}
    for n, index in enumerate(wanted_frames(analysis)):
        shade = 40 + 30 * n
        out[index] = _jpeg(WIDTH, HEIGHT, shade) or _png(WIDTH, HEIGHT, shade)
    return out
