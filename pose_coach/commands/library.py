"""``list``, ``show``, ``validate``: the drill and routine library."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pose_coach import words
from pose_coach.commands.common import (
    complete_ids,
    current_terminal,
    json_option,
    load_library,
    number_option,
    resolve_runner_cadence,
    runner_cadence_option,
    setting_number,
)
from pose_coach.errors import ExitCode, Problem

if TYPE_CHECKING:
    from pose_coach.library.validation import FileReport


@click.command("list")
@click.option("--phase", type=click.Choice(["pose", "fall", "pull"]), help="Only this phase.")
@click.option("--kind", type=click.Choice(["drill", "routine"]), help="Only drills or routines.")
@number_option(
    "--lead-in",
    spec=setting_number("lead_in"),
    metavar="SECONDS",
    default=3.0,
    show_default=True,
    help="The get-ready countdown counted in each time, as a session counts it.",
)
@json_option
def list_command(phase: str | None, kind: str | None, lead_in: float, as_json: bool) -> None:
    """List the drills and routines in the library.

    TIME is what a session of it lasts at its default dose, the get-ready
    countdown included (the header says TIME+LEAD-IN), as the session itself,
    --dry-run and the log count it.

    \b
    Example:
      pose-coach list --phase fall
      pose-coach list --json | jq -r '.[].id'
    """
    from pose_coach.describe import json_number, summary_dict
    from pose_coach.output import print_json, print_table

    catalog = load_library()
    rows = [summary_dict(catalog.entries[i], catalog.entries) for i in catalog.ids(kind)]
    if phase:
        rows = [r for r in rows if phase in r["phases"]]
    rows.sort(key=lambda r: (r["kind"] != "drill", r["id"]))
    for row in rows:  # the session's own total, as its events and the log count it
        row["lead_in"] = json_number(lead_in)
        row["session_seconds"] = json_number(row["seconds"] + lead_in)
    if as_json:
        print_json(rows)
    else:
        print_table(rows, current_terminal(), lead_in=lead_in)


def _complete_faults(ctx: click.Context, param: click.Parameter, incomplete: str):
    from click.shell_completion import CompletionItem

    from pose_coach.library.faults import FAULTS

    return [
        CompletionItem(i, help=label) for i, label in FAULTS.items() if i.startswith(incomplete)
    ]


@click.command()
@click.argument("entry_id", metavar="ID", required=False, shell_complete=complete_ids(None))
@click.option(
    "--fault",
    "fault_id",
    metavar="FAULT",
    shell_complete=_complete_faults,
    help="Instead of one drill, the drills that correct this fault (ids: pose-coach faults).",
)
@runner_cadence_option()
@json_option
def show(
    entry_id: str | None, fault_id: str | None, runner_cadence: int | None, as_json: bool
) -> None:
    """Show a drill or routine in full: steps, checkpoints, faults, safety, dose.

    \b
    Example:
      pose-coach show wall-fall
      pose-coach show --fault overstriding
    """
    from pose_coach.describe import detail_dict
    from pose_coach.errors import UsageError
    from pose_coach.output import print_entry, print_json

    if fault_id is not None:
        if entry_id is not None:
            raise UsageError(
                "give a drill ID or --fault FAULT, not both",
                "pose-coach show ID, or pose-coach show --fault FAULT",
            )
        _show_fault(fault_id, as_json)
        return
    if entry_id is None:
        raise UsageError(
            "missing a drill or routine ID",
            "pose-coach show ID (ids: pose-coach list), or pose-coach show --fault FAULT",
        )
    catalog = load_library(needed=entry_id)
    entry = catalog.get(entry_id)
    runner = resolve_runner_cadence(runner_cadence, tolerant=True)
    if as_json:
        print_json(detail_dict(entry, catalog.entries, runner))
    else:
        print_entry(entry, catalog.entries, current_terminal(), runner)


def _show_fault(fault_id: str, as_json: bool) -> None:
    from pose_coach.describe import fault_detail
    from pose_coach.output import fault_detail_lines, print_json, print_lines

    detail = fault_detail(load_library().entries, fault_id)
    if as_json:
        print_json(detail)
    else:
        print_lines(fault_detail_lines(detail))


@click.command()
@click.argument("fault_id", metavar="[FAULT]", required=False, shell_complete=_complete_faults)
@json_option
def faults(fault_id: str | None, as_json: bool) -> None:
    """List the form faults and the drills that correct each, best first.

    With a FAULT id, only that fault: its drills in order, each with the fix it
    gives. Drills declare what they correct with `corrects:` (`pose-coach docs drill-format`).

    \b
    Example:
      pose-coach faults
      pose-coach faults overstriding
      pose-coach faults --json | jq -r '.[] | select(.id == "heel-strike") | .drills[0]'
    """
    from pose_coach.describe import faults_list
    from pose_coach.output import fault_lines, print_json, print_lines

    if fault_id is not None:
        _show_fault(fault_id, as_json)
        return
    rows = faults_list(load_library().entries)
    if as_json:
        print_json(rows)
    else:
        print_lines(fault_lines(rows))


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
def validate(paths: tuple[Path, ...], as_json: bool) -> ExitCode:
    """Check drill and routine files (or folders of them).

    Prints an OK line per valid file on stdout and every problem, located like a
    compiler's (file:line:column: field: message), on stderr. Exits 0 when all files
    are valid, 1 otherwise. Step numbers in messages count from 0: steps[0] is the first.

    \b
    Example:
      pose-coach validate my-drills/
      pose-coach validate --json drills/wall-fall.yaml
    """
    from pose_coach.library.catalog import load_catalog
    from pose_coach.library.validation import validate_paths
    from pose_coach.output import print_json

    reports = validate_paths(list(paths), load_catalog())
    if as_json:
        print_json([r.to_dict() for r in reports])
    else:
        for report in reports:
            for problem in report.problems:
                click.echo(str(problem), err=True)
            for problem in report.warnings:
                click.echo(_warning_line(problem), err=True)
            click.echo(_status_line(report))
        if len(reports) > 1:
            bad = sum(not r.ok for r in reports)
            click.echo(f"{len(reports)} files checked: {len(reports) - bad} OK, {bad} invalid")
    return ExitCode.OK if all(r.ok for r in reports) else ExitCode.ERROR


def _status_line(report: FileReport) -> str:
    if not report.ok:
        n = len(report.problems)
        return f"FAIL  {report.path} ({words.plural(n, 'problem')})"
    assert report.entry is not None  # a valid file has its entry
    what = f"{report.entry.kind} {report.entry.id}"
    if report.warnings:
        n = len(report.warnings)
        what += f", {words.plural(n, 'warning')}"
    return f"OK    {report.path} ({what})"


def _warning_line(problem: Problem) -> str:
    """``path:line:col: warning: field: message``, the way compilers print warnings."""
    field = f" {problem.field}:" if problem.field else ""
    return f"{problem.where}: warning:{field} {problem.message}"
