"""The cue sheets' stick figures: each drill's figure (``figure:`` in its file, else its
phase's), drawn from the one parametric body of ``render/figures``.

Every function takes a figure name (``library.model.FIGURES``) or a phase, which means
that phase's own figure. The HTML sheet inlines ``figure_svg``; the PDF sheet draws the
same shapes as vectors (``draw_figure``).
"""

from __future__ import annotations

from pose_coach.library.model import DEFAULT_FIGURES, Phase
from pose_coach.render.figures.body import GROUND, Skeleton, lean_degrees
from pose_coach.render.figures.draw import draw_pdf
from pose_coach.render.figures.draw import figure_svg as _svg
from pose_coach.render.figures.scenes import BOX_HEIGHT, FALL_ANGLE, Figure, figure

__all__ = [
    "FALL_ANGLE",
    "GROUND",
    "HEIGHT",
    "WIDTH",
    "Skeleton",
    "draw_figure",
    "figure_caption",
    "figure_label",
    "figure_of",
    "figure_svg",
    "lean_degrees",
    "skeleton",
]

WIDTH, HEIGHT = 100, int(BOX_HEIGHT)  # the box of the one-person figures


def figure_of(name: Phase | str) -> Figure:
    """The figure called ``name``, or the default figure of a phase."""
    if isinstance(name, Phase):
        return figure(DEFAULT_FIGURES[name])
    return figure(name)


def skeleton(name: Phase | str) -> Skeleton:
    """The runner's joints in a figure (tests check the shapes with these)."""
    return figure_of(name).runner


def figure_svg(name: Phase | str, text: bool = True) -> str:
    return _svg(figure_of(name), text=text)


def figure_caption(name: Phase | str) -> str:
    return figure_of(name).caption


def figure_label(name: Phase | str) -> str:
    """A few words for under a small figure; a drawn angle larger than life says so."""
    fig = figure_of(name)
    return f"{fig.label} ({fig.angle_label}, exaggerated)" if fig.exaggerated else fig.label


def draw_figure(name: Phase | str, pdf, x: float, y: float, height: float, font: str) -> float:
    """Draw a figure on a PDF page (vectors); return its width in mm."""
    return draw_pdf(figure_of(name), pdf, x, y, height, font)
