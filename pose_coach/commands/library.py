"""``list``, ``show``, ``validate``: the drill and routine library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ExitCode
from .common import complete_ids, json_option, load_library


@click.command("list")
@click.option("--phase", type=click.Choice(["pose", "fall", "pull"]), help="Only this phase.")
@click.option("--kind", type=click.Choice(["drill", "routine"]), help="Only drills or routines.")
@json_option
def list_command(phase: str | None, kind: str | None, as_json: bool) -> None:
    """List the drills and routines in the library.

    \b
    Example:
      pose-coach list --phase fall
      pose-coach list --json | jq -r '.[].id'
    """
    from ..describe import summary_dict
    from ..output import print_json, print_table

    catalog = load_library()
    rows = [summary_dict(catalog.entries[i], catalog.entries) for i in catalog.ids(kind)]
    if phase:
        rows = [r for r in rows if phase in r["phases"]]
    rows.sort(key=lambda r: (r["kind"] != "drill", r["id"]))
    if as_json:
        print_json(rows)
    else:
        print_table(rows)


@click.command()
@click.argument("entry_id", metavar="ID", shell_complete=complete_ids(None))
@json_option
def show(entry_id: str, as_json: bool) -> None:
    """Show a drill or routine in full: steps, checkpoints, faults, safety, dose.

    \b
    Example:
      pose-coach show wall-fall
    """
    from ..describe import detail_dict
    from ..output import print_entry, print_json

    catalog = load_library()
    entry = catalog.get(entry_id)
    if as_json:
        print_json(detail_dict(entry, catalog.entries))
    else:
        print_entry(entry, catalog.entries)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@json_option
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check drill and routine files (or folders of them).

    Prints OK or every located problem; exits 0 when all files are valid, 1 otherwise.

    \b
    Example:
      pose-coach validate my-drills/
      pose-coach validate --json drills/wall-fall.yaml
    """
    from ..catalog import load_catalog
    from ..output import print_json
    from ..validation import validate_paths

    reports = validate_paths(list(paths), load_catalog())
    if as_json:
        print_json([r.to_dict() for r in reports])
    else:
        for report in reports:
            if report.ok:
                click.echo(f"OK    {report.path} ({report.entry.kind} {report.entry.id})")
            for problem in report.problems:
                click.echo(f"ERROR {problem}")
            for problem in report.warnings:
                click.echo(f"WARN  {problem}")
    if not all(r.ok for r in reports):
        sys.exit(int(ExitCode.ERROR))
