"""Inline SVG bar charts for the HTML report: one bar per km (or lap) of a measure.

Bars take the colour of Garmin's range for their value; the ranges themselves are pale
stripes behind the bars, so a runner sees at a glance where each kilometre sat. Warm-up,
cool-down and walking kilometres are drawn faded: they are not compared. No script, no
external file: the SVG is text in the page, every label escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 640, 170
LEFT, RIGHT, TOP, BOTTOM = 46, 8, 22, 22
NEUTRAL = "#5b6470"


@dataclass(frozen=True)
class Stripe:
    low: float  # in the chart's units
    high: float
    colour: str


def _ticks(low: float, high: float, steps: Sequence[float] | None = None) -> list[float]:
    span = high - low
    if span <= 0:
        return [low]
    raw = span / 4
    if steps is None:
        magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1 if raw >= 0.1 else 0.01
        steps = [m * magnitude for m in (1, 2, 2.5, 5, 10)]
    step = min(steps, key=lambda s: abs(s - raw))
    first = (low // step + 1) * step
    out = []
    value = first
    while value < high:
        out.append(round(value, 6))
        value += step
    return out


def bar_chart(
    title: str,
    unit: str,
    values: Sequence[float | None],
    labels: Sequence[str],
    colours: Sequence[str | None],
    faded: Sequence[bool],
    stripes: Sequence[Stripe] = (),
    digits: int = 0,
    fmt: Callable[[float], str] | None = None,
    tick_steps: Sequence[float] | None = None,
) -> str:
    """An SVG bar chart; ``fmt`` formats tick labels (e.g. a pace as m:ss), ``tick_steps``
    lists the tick spacings to choose from (seconds for a pace: 15, 30, 60...)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    pad = max((high - low) * 0.25, abs(high) * 0.02, 10**-digits)
    floor, ceiling = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - floor) / (ceiling - floor))

    label = fmt or (lambda v: f"{v:.{digits}f}")
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)} per split">',
        f"<title>{escape(title)}</title>",
        f'<text x="{LEFT}" y="14" class="ct">{escape(title)} ({escape(unit)})</text>',
    ]
    for stripe in stripes:
        top, bottom = max(stripe.low, floor), min(stripe.high, ceiling)
        if bottom <= top:
            continue
        out.append(
            f'<rect x="{LEFT}" y="{y(bottom):.1f}" width="{plot_w}" '
            f'height="{y(top) - y(bottom):.1f}" fill="{stripe.colour}" opacity="0.13"/>'
        )
    for tick in _ticks(floor, ceiling, tick_steps):
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            'stroke="#000" stroke-opacity="0.12"/>'
            f'<text x="{LEFT - 4}" y="{y(tick) + 4:.1f}" class="tk" text-anchor="end">'
            f"{escape(label(tick))}</text>"
        )
    slot = plot_w / len(values)
    bar = max(2.0, slot * 0.7)
    base = y(floor)
    for i, (value, name) in enumerate(zip(values, labels, strict=True)):
        x = LEFT + i * slot + (slot - bar) / 2
        if value is not None:
            colour = colours[i] or NEUTRAL
            opacity = "0.35" if faded[i] else "0.95"
            out.append(
                f'<rect class="bar" x="{x:.1f}" y="{y(value):.1f}" width="{bar:.1f}" '
                f'height="{base - y(value):.1f}" fill="{colour}" fill-opacity="{opacity}">'
                f"<title>{escape(name)}: {escape(label(value))} {escape(unit)}</title></rect>"
            )
        if len(values) <= 30 or i % 5 == 0:
            out.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 6}" class="tk" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    out.append("</svg>")
    return "".join(out)
