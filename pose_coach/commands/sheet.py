"""``sheet``: a cue sheet for coaches, as text, Markdown, HTML or a printable PDF."""

from __future__ import annotations

import click

from pose_coach.commands.common import (
    complete_ids,
    current_terminal,
    load_library,
    output_option,
    resolve_runner_cadence,
    runner_cadence_option,
    warn,
)

# Literal copies of render.sheet.FORMATS/PAPERS: importing the renderer here would slow
# every start of the CLI (tests/render/sheet/test_sheet_model.py checks they agree).
FORMATS = ("text", "md", "html", "pdf")
PAPERS = ("a4", "letter")
LAYOUTS = ("cards", "coach")


@click.command()
@click.argument(
    "entry_ids", metavar="ID...", nargs=-1, required=True, shell_complete=complete_ids(None)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="text, md, html or pdf (default: from the -o name, else text).",
)
@output_option("Write to FILE, atomically (default: stdout; '-' is stdout too).")
@click.option(
    "--paper",
    type=click.Choice(PAPERS),
    default="a4",
    show_default=True,
    help="Paper size of the PDF and of the HTML sheet when printed.",
)
@click.option(
    "--notes", is_flag=True, help="Add a line per athlete and a box for the coach's notes."
)
@click.option(
    "--layout",
    type=click.Choice(LAYOUTS),
    default="cards",
    show_default=True,
    help="cards: a card per drill; coach: one page with the order, one cue, the top fault "
    "and the figure of each drill.",
)
@runner_cadence_option()
def sheet(
    entry_ids: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    paper: str,
    notes: bool,
    layout: str,
    runner_cadence: int | None,
) -> None:
    """Print a cue sheet: order, doses, steps, checkpoints, faults, safety, diagrams.

    One or more drill and routine ids go on one sheet. The format comes from --format
    or from the name given to -o; text goes to the terminal. --layout coach gives the
    one-page coach view.

    \b
    Examples:
      pose-coach sheet warmup
      pose-coach sheet warmup -o warmup.pdf --notes
      pose-coach sheet warmup --layout coach -o coach.pdf
      pose-coach sheet pose fall pull --format html -o basics.html
    """
    from pose_coach.output_target import OutputTarget, wrote
    from pose_coach.render.sheet import build_sheet, choose_format, render_sheet

    target = OutputTarget.parse(output)
    fmt = choose_format(fmt, target.path)
    if fmt == "pdf":
        target.refuse_binary_on_terminal(current_terminal(), "a PDF", f"{entry_ids[0]}.pdf")
    catalog = load_library(needed=entry_ids)
    entries = [catalog.get(entry_id) for entry_id in entry_ids]
    runner = resolve_runner_cadence(runner_cadence)
    cue_sheet = build_sheet(entries, catalog.entries, notes=notes, runner=runner)
    data = render_sheet(cue_sheet, fmt, paper=paper, warn=warn, layout=layout)
    path = target.write(data)
    if path is not None:
        click.echo(wrote(path, f"{fmt} cue sheet"), err=True)
