"""``figure``: one stick figure as SVG or PNG, from the body the cue sheets draw."""

from __future__ import annotations

import click

from pose_coach.commands.common import current_terminal, load_library, number_option, output_option
from pose_coach.numbers import NumberRange

FORMATS = ("svg", "png")


def _complete_names(ctx: click.Context, param: click.Parameter, incomplete: str):
    from click.shell_completion import CompletionItem

    from pose_coach.library.model import FIGURES

    return [CompletionItem(name) for name in FIGURES if name.startswith(incomplete)]


@click.command()
@click.argument("name", metavar="FIGURE|DRILL", shell_complete=_complete_names)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), help="svg or png (default: from -o, else svg)."
)
@output_option("Write to FILE, atomically (default: stdout; '-' is stdout too).")
@number_option(
    "--height",
    spec=NumberRange("int", 60, 4000),
    default=420,
    show_default=True,
    help="PNG height in pixels.",
)
def figure(name: str, fmt: str | None, output: str | None, height: int) -> None:
    """Draw one stick figure as SVG or PNG: a figure by name, or a drill's own.

    Figures: pose, fall, pull, two-foot, two-foot-fall, wall-fall, wall-pull,
    partner-fall, heel-raise (`pose-coach docs sheets`). A drill id draws the figure its
    cue-sheet card shows.

    \b
    Example:
      pose-coach figure pull -o pull.png
      pose-coach figure wall-fall > wall-fall.svg
    """
    from pose_coach.errors import UsageError
    from pose_coach.library.model import FIGURES, Drill
    from pose_coach.output_target import OutputTarget, wrote
    from pose_coach.render.figures.draw import figure_png, figure_svg
    from pose_coach.render.figures.scenes import figure as get_figure

    if name in FIGURES:
        figure_name = name
    else:
        catalog = load_library(needed=name)
        entry = catalog.entries.get(name)
        if not isinstance(entry, Drill):
            import difflib

            from pose_coach.errors import UnknownIdError, printable

            known = list(FIGURES) + catalog.ids("drill")
            close = difflib.get_close_matches(name, known, n=1)
            tip = f"; did you mean '{close[0]}'?" if close else ""
            raise UnknownIdError(
                f"no figure or drill '{printable(name)}'{tip}",
                f"figures: {', '.join(FIGURES)}; drills: pose-coach list --kind drill",
            )
        figure_name = entry.figure_name
    target = OutputTarget.parse(output)
    if fmt is None:
        fmt = "png" if target.suffix == ".png" else "svg"
        if target.suffix not in ("", ".png", ".svg"):
            raise UsageError(
                f"cannot tell the figure format from '{target.shown}'",
                hint="use --format svg|png, or a .svg or .png file name",
            )
    drawing = get_figure(figure_name)
    if fmt == "png":
        target.refuse_binary_on_terminal(current_terminal(), "a PNG", f"{figure_name}.png")
        data = figure_png(drawing, height=height)
    else:
        data = (figure_svg(drawing) + "\n").encode("utf-8")
    path = target.write(data)
    if path is not None:
        click.echo(wrote(path, f"{fmt} figure '{figure_name}'"), err=True)
