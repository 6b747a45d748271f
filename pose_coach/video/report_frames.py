"""The key frames of the HTML report: the runner's picture with the skeleton, the hip's
vertical and the measured angle drawn on as SVG.

A frame is a box in the page cut to the runner (the same box for the three frames of a
stride, so they compare), holding the frame as an ``<img>`` (a ``data:`` URI) and an SVG
on top whose ``viewBox`` is that box in the frame's own pixels: the landmarks are drawn
where the landmark stage found them, at any size the JPEG was scaled to. Without a
picture (``--no-frames``) the skeleton is drawn alone on a plain ground.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping
from dataclasses import dataclass
from html import escape

import numpy as np

from pose_coach.video.model import (
    ANKLE,
    FALL_ANGLE,
    FOOT_AHEAD,
    FREE_ANKLE,
    HEEL,
    HIP,
    INFO,
    KNEE,
    LEFT,
    RIGHT,
    SHANK,
    SHOULDER,
    SKELETON,
    TOE,
    WAIST_BEND,
    FormAnalysis,
    KeyFrames,
    StrideMeasures,
)

SUPPORT = "#e0218a"  # the support (landing) leg
FREE = "#1f8fff"  # the other leg
BODY = "#ffffff"
GUIDE = "#ffd21f"  # the hip's vertical and the measured angle
OUTLINE = "#000000"
MOMENTS = ("landing", "pose", "end_of_stance")
MOMENT_TITLE = {"landing": "Landing", "pose": "Pose moment", "end_of_stance": "End of stance"}

Point = tuple[float, float]


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def image_mime(data: bytes) -> str | None:
    """The MIME type of a JPEG or PNG picture; None for anything else (not shown)."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    return None


def data_uri(data: bytes) -> str | None:
    mime = image_mime(data)
    if mime is None:
        return None
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


@dataclass(frozen=True)
class Box:
    """A part of the frame, in its pixels."""

    x: float
    y: float
    w: float
    h: float


def stride_box(analysis: FormAnalysis, keys: KeyFrames) -> Box:
    """The part of the frame the runner fills in a stride's three frames, with a margin."""
    runner = analysis.runner
    rows = [runner.row_of(i) for i in (keys.landing, keys.pose, keys.end_of_stance)]
    pts = runner.xy[rows].reshape(-1, 2)
    pts = pts[np.isfinite(pts).all(axis=1)]
    W, H = float(analysis.width), float(analysis.height)
    if len(pts) == 0:
        return Box(0.0, 0.0, W, H)
    leg = runner.leg_length if math.isfinite(runner.leg_length) else 0.1 * H
    pad = 0.3 * leg
    x0, y0 = max(0.0, float(pts[:, 0].min()) - pad), max(0.0, float(pts[:, 1].min()) - pad)
    x1, y1 = min(W, float(pts[:, 0].max()) + pad), min(H, float(pts[:, 1].max()) + pad)
    if x1 - x0 < 1 or y1 - y0 < 1:
        return Box(0.0, 0.0, W, H)
    return Box(x0, y0, x1 - x0, y1 - y0)


def _pt(xy: np.ndarray, i: int) -> Point | None:
    x, y = float(xy[i, 0]), float(xy[i, 1])
    return (x, y) if math.isfinite(x) and math.isfinite(y) else None


def _mid(a: Point | None, b: Point | None) -> Point | None:
    if a is None or b is None:
        return a or b
    return ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)


def _line(a: Point, b: Point, colour: str, width: float, extra: str = "") -> str:
    return (
        f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
        f'stroke="{colour}" stroke-width="{width:.2f}" stroke-linecap="round"{extra}/>'
    )


def _arc(centre: Point, a: Point, b: Point, radius: float, colour: str, width: float) -> str:
    """The arc about ``centre`` from the direction of ``a`` to that of ``b``."""
    ua = (a[0] - centre[0], a[1] - centre[1])
    ub = (b[0] - centre[0], b[1] - centre[1])
    la, lb = math.hypot(*ua), math.hypot(*ub)
    if la == 0 or lb == 0:
        return ""
    p0 = (centre[0] + ua[0] / la * radius, centre[1] + ua[1] / la * radius)
    p1 = (centre[0] + ub[0] / lb * radius, centre[1] + ub[1] / lb * radius)
    sweep = 1 if ua[0] * ub[1] - ua[1] * ub[0] > 0 else 0  # y down: clockwise on screen
    return (
        f'<path d="M{p0[0]:.1f},{p0[1]:.1f} A{radius:.1f},{radius:.1f} 0 0 {sweep} '
        f'{p1[0]:.1f},{p1[1]:.1f}" fill="none" stroke="{colour}" stroke-width="{width:.2f}"/>'
    )


def _label(at: Point, text: str, size: float, anchor: str = "start") -> str:
    return (
        f'<text x="{at[0]:.1f}" y="{at[1]:.1f}" font-size="{size:.1f}" text-anchor="{anchor}" '
        f'class="kf-label" fill="{GUIDE}" stroke="{OUTLINE}" stroke-width="{size / 6:.2f}" '
        f'paint-order="stroke">{_e(text)}</text>'
    )


def _value(stride: StrideMeasures, key: str) -> str | None:
    m = stride.values.get(key)
    if m is None or not math.isfinite(m.value):
        return None
    info = INFO[key]
    unit = info.unit if info.unit != "°" else ""
    return f"{info.label} {m.value:.{info.digits}f}{'°' if not unit else ' ' + unit}"


def _skeleton(xy: np.ndarray, support: str, width: float) -> list[str]:
    other = RIGHT if support == LEFT else LEFT
    legs = {
        colour: {HIP[side], KNEE[side], ANKLE[side], HEEL[side], TOE[side]}
        for colour, side in ((SUPPORT, support), (FREE, other))
    }
    under, over = [], []
    for i, j in SKELETON:
        a, b = _pt(xy, i), _pt(xy, j)
        if a is None or b is None:
            continue
        colour = BODY
        for leg_colour, rows in legs.items():
            if i in rows and j in rows and not {i, j} == {HIP[LEFT], HIP[RIGHT]}:
                colour = leg_colour
        under.append(_line(a, b, OUTLINE, width * 2.2))
        over.append(_line(a, b, colour, width))
    joints = []
    for i in {p for pair in SKELETON for p in pair}:
        p = _pt(xy, i)
        if p is not None:
            joints.append(
                f'<circle cx="{p[0]:.1f}" cy="{p[1]:.1f}" r="{width * 1.1:.2f}" fill="{BODY}" '
                f'stroke="{OUTLINE}" stroke-width="{width * 0.5:.2f}"/>'
            )
    return under + over + joints


def _guides(
    xy: np.ndarray,
    moment: str,
    stride: StrideMeasures,
    box: Box,
    leg: float,
    width: float,
) -> list[str]:
    """The hip's vertical, the angle measured at this moment, and its value."""
    foot = stride.foot
    free = RIGHT if foot == LEFT else LEFT
    hip = _mid(_pt(xy, HIP[LEFT]), _pt(xy, HIP[RIGHT]))
    out: list[str] = []
    size = max(leg * 0.11, box.h * 0.035)
    dash = f' stroke-dasharray="{width * 3:.1f},{width * 2:.1f}"'
    if hip is not None:
        out.append(_line((hip[0], box.y), (hip[0], box.y + box.h), GUIDE, width * 0.8, dash))
    labels: list[str] = []
    r = leg * 0.22
    if moment == "landing":
        knee, ankle = _pt(xy, KNEE[foot]), _pt(xy, ANKLE[foot])
        if knee and ankle:
            down = (knee[0], knee[1] + leg * 0.5)
            out.append(_line(knee, down, GUIDE, width * 0.8, dash))
            out.append(_line(knee, ankle, GUIDE, width * 1.2))
            out.append(_arc(knee, down, ankle, r, GUIDE, width))
        if hip and ankle:
            y = ankle[1] + leg * 0.06
            out.append(_line((hip[0], y), (ankle[0], y), GUIDE, width * 1.4))
        labels += [v for v in (_value(stride, FOOT_AHEAD), _value(stride, SHANK)) if v]
    elif moment == "pose":
        shoulder = _mid(_pt(xy, SHOULDER[LEFT]), _pt(xy, SHOULDER[RIGHT]))
        if hip and shoulder:
            up = (hip[0], hip[1] - leg * 0.6)
            out.append(_line(hip, shoulder, GUIDE, width * 1.2))
            out.append(_arc(hip, up, shoulder, r, GUIDE, width))
        ankle = _pt(xy, ANKLE[free])
        if hip and ankle:
            out.append(_line((hip[0], ankle[1]), ankle, GUIDE, width * 1.4))
        labels += [v for v in (_value(stride, WAIST_BEND), _value(stride, FREE_ANKLE)) if v]
    else:
        toe = _pt(xy, TOE[foot])
        if hip and toe:
            up = (toe[0], toe[1] - leg * 0.6)
            out.append(_line(toe, hip, GUIDE, width * 1.2))
            out.append(_line(toe, up, GUIDE, width * 0.8, dash))
            out.append(_arc(toe, up, hip, r, GUIDE, width))
        fall = _value(stride, FALL_ANGLE)
        labels.append(fall if fall and stride.end_measured else "estimated frame")
    x = box.x + box.w * 0.03
    for n, text in enumerate(labels):
        out.append(_label((x, box.y + size * (1.2 + 1.25 * n)), text, size))
    return out


def frame_figure(
    analysis: FormAnalysis,
    stride: StrideMeasures,
    keys: KeyFrames,
    moment: str,
    box: Box,
    picture: bytes | None,
) -> str:
    """One key frame as a ``<figure>``: the picture (when given), the SVG, a caption."""
    index = {"landing": keys.landing, "pose": keys.pose, "end_of_stance": keys.end_of_stance}[
        moment
    ]
    runner = analysis.runner
    xy = runner.xy[runner.row_of(index)]
    leg = runner.leg_length if math.isfinite(runner.leg_length) else box.h / 2
    width = max(leg * 0.018, 1.0)
    W, H = analysis.width, analysis.height
    uri = data_uri(picture) if picture else None
    parts = [
        f'<figure class="kf" data-frame="{index}" data-moment="{_e(moment)}">',
        f'<div class="kf-pic{"" if uri else " kf-none"}" '
        f'style="aspect-ratio:{box.w:.1f} / {box.h:.1f}">',
    ]
    if uri:
        parts.append(
            f'<img src="{uri}" alt="frame {index}: {_e(MOMENT_TITLE[moment].lower())}" '
            f'style="width:{100 * W / box.w:.3f}%;height:{100 * H / box.h:.3f}%;'
            f'left:{-100 * box.x / box.w:.3f}%;top:{-100 * box.y / box.h:.3f}%">'
        )
    parts.append(
        f'<svg class="kf-svg" viewBox="{box.x:.1f} {box.y:.1f} {box.w:.1f} {box.h:.1f}" '
        'preserveAspectRatio="none" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-label="skeleton at frame {index}">'
    )
    parts += _skeleton(xy, stride.foot, width)
    parts += _guides(xy, moment, stride, box, leg, width)
    parts.append("</svg></div>")
    caption = f"{MOMENT_TITLE[moment]} · frame {index}"
    if moment == "end_of_stance" and not keys.end_measured:
        caption += " (estimate: toe-off is timed at 120 frames/s and more)"
    parts.append(f"<figcaption>{_e(caption)}</figcaption></figure>")
    return "".join(parts)


def stride_figures(
    analysis: FormAnalysis, keys: KeyFrames, frames: Mapping[int, bytes] | None
) -> str:
    """The three key frames of one stride, side by side."""
    stride = next(s for s in analysis.measures.strides if s.number == keys.stride)
    box = stride_box(analysis, keys)
    figures = []
    for moment, index in zip(MOMENTS, (keys.landing, keys.pose, keys.end_of_stance), strict=True):
        picture = frames.get(index) if frames is not None else None
        figures.append(frame_figure(analysis, stride, keys, moment, box, picture))
    return f'<div class="kf-row">{"".join(figures)}</div>'


def wanted_frames(analysis: FormAnalysis) -> list[int]:
    """The frame indices the page shows (FramePoses.index): read these as JPEG."""
    found = set()
    for keys in (analysis.median, analysis.worst):
        found |= {keys.landing, keys.pose, keys.end_of_stance}
    return sorted(found)
