"""``run``: feedback on a real run from its FIT, TCX or GPX file."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pose_coach.commands.common import current_terminal, env, json_option, output_option, warn
from pose_coach.paths import ENV_NO_LOG

if TYPE_CHECKING:
    from pose_coach.library.model import Entry


def _store(log: bool) -> bool:
    """--log/--no-log, with POSE_COACH_NO_LOG=1 turning it off unless --log was typed."""
    ctx = click.get_current_context(silent=True)
    typed = (
        ctx is not None
        and ctx.get_parameter_source("log") is click.core.ParameterSource.COMMANDLINE
    )
    if not typed and os.environ.get(ENV_NO_LOG, "").strip() not in ("", "0"):
        return False
    return log


@click.command("run")
@click.argument("file", metavar="FILE", type=click.Path(path_type=Path))
@click.option(
    "--by",
    type=click.Choice(["km", "lap"]),
    default="km",
    show_default=True,
    help="One row per kilometre, or per lap as the watch recorded them.",
)
@output_option(
    "Also write a self-contained HTML report (charts, table, feedback, drill sheets) to "
    "FILE; '-' writes it to stdout instead of the text."
)
@json_option
@click.option(
    "--log/--no-log",
    default=True,
    help="Keep the run in the practice log, for trends and baselines "
    f"[env: {env('log')}=false or {ENV_NO_LOG}=1].",
)
@click.option(
    "--ignore-crc", is_flag=True, help="Analyse a FIT file even if its check sum does not match."
)
@click.option(
    "--as-run", is_flag=True, help="Read the file as a run whatever sport it was recorded as."
)
def run_command(
    file: Path,
    by: str,
    output: str | None,
    as_json: bool,
    log: bool,
    ignore_crc: bool,
    as_run: bool,
) -> None:
    """Feedback on a run from your watch's file: form proxies, drills, a report.

    Reads FIT (best: it carries the running dynamics), TCX or GPX. Shows pace,
    cadence, ground contact time, vertical oscillation and ratio, balance and step
    length per km, where they sit in Garmin's published ranges, how they compare with
    your own earlier runs at the same pace on the same device, and the drills that
    work on what they point to, as commands ready to run. Fields: `pose-coach docs run`.

    \b
    Example:
      pose-coach run activity.fit
      pose-coach run activity.fit --by lap -o run.html
      pose-coach run activity.fit --json | jq .summary.main.cadence_spm
    """
    from pose_coach.activity.analysis import RunRequest, analyse_run
    from pose_coach.commands.common import load_library
    from pose_coach.output_target import OutputTarget

    target = OutputTarget.parse(output) if output is not None else None
    if target is not None and target.to_stdout and as_json:
        from pose_coach.errors import UsageError

        raise UsageError(
            "--json and -o - would both write to stdout",
            hint="write the HTML report to a file: -o run.html",
        )
    if target is not None and target.path is not None and target.suffix not in (".html", ".htm"):
        from pose_coach.errors import UsageError

        raise UsageError(
            f"the run report is an HTML page, not {target.suffix or 'a file without suffix'}",
            hint=f"name it .html: -o {target.path.with_suffix('.html').name}",
        )
    from pose_coach.progress import progress_bar

    terminal = current_terminal()
    loaded: dict[str, Mapping[str, Entry]] = {}

    def entries() -> Mapping[str, Entry]:  # loaded once, only when a finding needs drills
        if "entries" not in loaded:
            loaded["entries"] = load_library().entries
        return loaded["entries"]

    with progress_bar(terminal, "Reading the activity file") as update:
        request = RunRequest(
            path=file,
            by=by,
            check_crc=not ignore_crc,
            as_run=as_run,
            store=_store(log),
            progress=update,
        )
        report = analyse_run(request, entries=entries)
    for note in report.notes:
        warn(f"{report.source.shown}: {note}")
    if report.log.problem:
        warn(f"the run was not stored: {report.log.problem}")
    if target is not None:
        from pose_coach.activity.report_html import render_html
        from pose_coach.output_target import wrote

        html = render_html(report, entries() if report.prescriptions else {})
        written = target.write(html.encode("utf-8"))
        if written is None:  # the page went to stdout, in place of the text
            return
        click.echo(wrote(written, "run report"), err=True)
    if as_json:
        from pose_coach.activity.report_json import report_dict
        from pose_coach.output import print_json

        print_json(report_dict(report))
        return
    from pose_coach.activity.report_text import print_report

    print_report(report, styled=terminal.styled and not terminal.dumb, color=terminal.color)
