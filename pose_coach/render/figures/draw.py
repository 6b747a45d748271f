"""A ``Figure``'s shapes as SVG text, as fpdf2 drawing calls, and as PNG pixels.

The three take the same shapes in the same order, so the HTML sheet, the PDF sheet and
a PNG file show one drawing. SVG uses only elements browsers and fpdf2 both draw
faithfully (polyline, circle, polygon, path-free; text only where a browser shows it).
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path
from typing import Any

from pose_coach.library.model import DEFAULT_FIGURES
from pose_coach.render.figures.scenes import Figure, Shape

PHASE_FIGURES = frozenset(DEFAULT_FIGURES.values())

FONT_DIR = Path(__file__).resolve().parents[1] / "sheet" / "fonts"


def _dash(shape: Shape) -> str:
    return f' stroke-dasharray="{shape.dash[0]:g} {shape.dash[1]:g}"' if shape.dash else ""


def figure_svg(fig: Figure, *, text: bool = True) -> str:
    """The figure as a standalone SVG document (no XML declaration). ``text=False`` leaves
    the labels out, for a renderer that draws them itself (the PDF sheet)."""
    parts = []
    for shape in fig.shapes:
        if shape.kind == "line":
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{shape.colour}"'
                f' stroke-width="{shape.width:g}" stroke-linecap="round"'
                f' stroke-linejoin="round"{_dash(shape)}/>'
            )
        elif shape.kind == "circle":
            (cx, cy), r = shape.points[0], shape.radius
            stroke = (
                f' stroke="{shape.colour}" stroke-width="{shape.width:g}"'
                if shape.width
                else ' stroke="none"'
            )
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{r:g}" fill="{shape.fill}"{stroke}/>'
            )
        elif shape.kind == "polygon":
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in shape.points)
            parts.append(f'<polygon points="{coords}" fill="{shape.colour}" stroke="none"/>')
        elif shape.kind == "text" and text:
            (x, y), weight = shape.points[0], ' font-weight="bold"' if shape.bold else ""
            parts.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{shape.size:g}"'
                f' font-family="DejaVu Sans, sans-serif" text-anchor="{shape.anchor}"'
                f' fill="#000"{weight}>{escape(shape.text)}</text>'
            )
    # a phase's own figure also says which phase it draws
    phase = f' data-phase="{fig.name}"' if fig.name in PHASE_FIGURES else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {fig.width:g} {fig.height:g}"'
        f' width="{fig.width:g}" height="{fig.height:g}" role="img"'
        f' aria-label="{escape(fig.caption)}" data-figure="{fig.name}"{phase}>'
        f"{''.join(parts)}</svg>"
    )


def draw_pdf(fig: Figure, pdf: Any, x: float, y: float, height: float, font: str) -> float:
    """Draw the figure on an fpdf2 page with its top-left at (x, y) mm, ``height`` mm tall
    (as vectors: the same SVG the HTML sheet shows, its labels set in ``font``); return
    the width drawn."""
    scale = height / fig.height
    width = fig.width * scale
    pdf.image(io.BytesIO(figure_svg(fig, text=False).encode()), x=x, y=y, w=width, h=height)
    for shape in fig.shapes:
        if shape.kind != "text":
            continue
        size_pt = shape.size * scale / (25.4 / 72)
        pdf.set_font(font, "B" if shape.bold else "", size_pt)
        tx, ty = shape.points[0]
        left = x + tx * scale
        text_w = pdf.get_string_width(shape.text)
        if shape.anchor == "middle":
            left -= text_w / 2
        elif shape.anchor == "end":
            left -= text_w
        pdf.text(left, y + ty * scale, shape.text)
    return width


def figure_png(fig: Figure, height: int = 420, supersample: int = 3) -> bytes:
    """The figure as PNG bytes, ``height`` pixels tall: our own shapes rasterised with
    Pillow (drawn larger, then scaled down, for smooth edges)."""
    from PIL import Image, ImageDraw, ImageFont

    k = height * supersample / fig.height
    size = (max(int(round(fig.width * k)), 1), int(round(fig.height * k)))
    image = Image.new("L", size, 255)
    pen = ImageDraw.Draw(image)

    def px(point: tuple[float, float]) -> tuple[float, float]:
        return (point[0] * k, point[1] * k)

    def grey(colour: str | None) -> int:
        return {"#000": 0, "#444": 68, "#fff": 255}.get(colour or "#000", 0)

    for shape in fig.shapes:
        if shape.kind == "line":
            width = max(int(round(shape.width * k)), 1)
            for a, b in _dashed(shape):
                pen.line([px(a), px(b)], fill=grey(shape.colour), width=width)
            if not shape.dash:  # round joints and caps, as in the SVG
                r = width / 2
                for point in shape.points:
                    cx, cy = px(point)
                    pen.ellipse((cx - r, cy - r, cx + r, cy + r), fill=grey(shape.colour))
        elif shape.kind == "circle":
            cx, cy = px(shape.points[0])
            r = shape.radius * k
            outline = grey(shape.colour) if shape.width else None
            pen.ellipse(
                (cx - r, cy - r, cx + r, cy + r),
                fill=grey(shape.fill),
                outline=outline,
                width=max(int(round(shape.width * k)), 1) if shape.width else 0,
            )
        elif shape.kind == "polygon":
            pen.polygon([px(p) for p in shape.points], fill=grey(shape.colour))
        elif shape.kind == "text":
            name = "DejaVuSans-Bold.ttf" if shape.bold else "DejaVuSans.ttf"
            font = ImageFont.truetype(str(FONT_DIR / name), max(int(shape.size * k), 1))
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            pen.text(px(shape.points[0]), shape.text, fill=0, font=font, anchor=anchor)
    image = image.resize((size[0] // supersample, size[1] // supersample), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _dashed(shape: Shape) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The line's segments, cut into dashes where it is dashed."""
    pairs = list(zip(shape.points, shape.points[1:], strict=False))
    if not shape.dash:
        return pairs
    on, off = shape.dash
    out = []
    for (ax, ay), (bx, by) in pairs:
        length = ((bx - ax) ** 2 + (by - ay) ** 2) ** 0.5
        if length == 0:
            continue
        ux, uy = (bx - ax) / length, (by - ay) / length
        t = 0.0
        while t < length:
            end = min(t + on, length)
            out.append(((ax + ux * t, ay + uy * t), (ax + ux * end, ay + uy * end)))
            t = end + off
    return out
