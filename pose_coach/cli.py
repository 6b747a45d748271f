"""The command line: parse, call one core function, render. Nothing else lives here.

Heavy modules (rich, yaml) are imported inside commands so ``--help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ExitCode, PoseCoachError
from .paths import ENV_DEBUG, ENV_PREFIX


class PoseCoachGroup(click.Group):
    """Turns every PoseCoachError into one stderr line plus its exit code, in one place."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PoseCoachError as error:
            report_error(error)
            ctx.exit(int(error.exit_code))
        except KeyboardInterrupt:
            click.echo("pose-coach: interrupted", err=True)
            ctx.exit(int(ExitCode.INTERRUPTED))
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except BrokenPipeError:
            # a reader such as `head` went away: not an error worth a message
            _silence_stdout()
            ctx.exit(int(ExitCode.ERROR))
        except Exception as error:  # an unexpected bug: one line, traceback on request
            if os.environ.get(ENV_DEBUG):
                raise
            click.echo(f"pose-coach: internal error: {type(error).__name__}: {error}", err=True)
            click.echo(f"  set {ENV_DEBUG}=1 to see the traceback", err=True)
            ctx.exit(int(ExitCode.ERROR))


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def report_error(error: PoseCoachError) -> None:
    click.echo(f"pose-coach: error: {error.message}", err=True)
    problems = getattr(error, "problems", None)
    if problems and len(problems) > 1:
        for problem in problems[1:]:
            click.echo(f"pose-coach: error: {problem}", err=True)
    if error.hint:
        click.echo(f"  hint: {error.hint}", err=True)


def warn(message: str) -> None:
    click.echo(f"pose-coach: warning: {message}", err=True)


def load_library():
    """The catalog, warning once on stderr about files that had to be set aside."""
    from .catalog import load_catalog

    catalog = load_catalog()
    for line in catalog.warnings():
        warn(line)
    return catalog


def complete_ids(kind: str | None):
    """Shell completion of drill/routine ids, user files included."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        from .catalog import load_catalog

        try:
            catalog = load_catalog()
        except Exception:  # completion must never print a traceback into the shell
            return []
        return [
            CompletionItem(entry_id, help=catalog.entries[entry_id].title)
            for entry_id in catalog.ids(kind)
            if entry_id.startswith(incomplete)
        ]

    return complete


def env(name: str) -> str:
    """POSE_COACH_<NAME>: every option's environment variable."""
    return ENV_PREFIX + name.upper().replace("-", "_")


def json_option(f):
    return click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")(f)


@click.group(cls=PoseCoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="pose-coach")
def cli() -> None:
    """A running-form coach for the Pose Method, in the terminal.

    \b
    Pose running is three movements: the pose (on the ball of the foot, the
    other foot under the hip), the fall (lean from the ankles) and the pull
    (lift the support foot under the hip). pose-coach walks you through timed
    drills for each, out loud, and prints cue sheets and exports.

    \b
    Start here:
      pose-coach list              every drill and routine
      pose-coach show fall         one drill in full
      pose-coach drill fall        a coached session (space pauses, q quits)
    """


# -- the library --------------------------------------------------------------


@cli.command("list")
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
    from .describe import summary_dict
    from .output import print_json, print_table

    catalog = load_library()
    rows = [summary_dict(catalog.entries[i], catalog.entries) for i in catalog.ids(kind)]
    if phase:
        rows = [r for r in rows if phase in r["phases"]]
    rows.sort(key=lambda r: (r["kind"] != "drill", r["id"]))
    if as_json:
        print_json(rows)
    else:
        print_table(rows)


@cli.command()
@click.argument("entry_id", metavar="ID", shell_complete=complete_ids(None))
@json_option
def show(entry_id: str, as_json: bool) -> None:
    """Show a drill or routine in full: steps, checkpoints, faults, safety, dose.

    \b
    Example:
      pose-coach show wall-fall
    """
    from .describe import detail_dict
    from .output import print_entry, print_json

    catalog = load_library()
    entry = catalog.get(entry_id)
    if as_json:
        print_json(detail_dict(entry, catalog.entries))
    else:
        print_entry(entry, catalog.entries)


@cli.command()
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
    from .catalog import load_catalog
    from .output import print_json
    from .validation import validate_paths

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


# -- sessions -----------------------------------------------------------------


def session_options(f):
    """Options shared by every command that plays a session."""
    options = [
        click.option("--lead-in", type=click.FloatRange(0, 60), default=3.0, show_default=True,
                     envvar=env("lead_in"), help="Get-ready countdown in seconds "
                     f"[env: {env('lead_in')}]."),
        click.option("--sets", type=click.IntRange(1, 20), envvar=env("sets"),
                     help=f"Sets of each drill (default: the drill's dose) [env: {env('sets')}]."),
        click.option("--rest", type=click.FloatRange(0, 600), envvar=env("rest"),
                     help=f"Rest seconds between sets (default: the drill's dose) "
                     f"[env: {env('rest')}]."),
        click.option("--speed", type=click.FloatRange(0.1, 1000), default=1.0, show_default=True,
                     envvar=env("speed"), help=f"Play faster to try things out, e.g. 10 "
                     f"[env: {env('speed')}]."),
        click.option("--plain", is_flag=True, help="One plain line per event (the default "
                     "when stdout is not a terminal)."),
        click.option("--json", "as_json", is_flag=True, help="JSON Lines, one event per line "
                     "(schema: docs/events.md)."),
        click.option("--dry-run", is_flag=True, help="Print the whole timeline at once, "
                     "without waiting."),
        click.option("--title/--no-title", default=True, envvar=env("title"),
                     help="Show the time left in the terminal title (live view)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _play(kind: str, entry_id: str, lead_in: float, sets: int | None, rest: float | None,
          speed: float, plain: bool, as_json: bool, dry_run: bool, title: bool) -> None:
    from .session import SessionOptions, run_session
    from .sinks import choose_format, use_color
    from .timeline import Dose, compile_timeline

    catalog = load_library()
    entry = catalog.get(entry_id, kind)
    timeline = compile_timeline(entry, catalog.entries, Dose(sets=sets, rest=rest, lead_in=lead_in))
    fmt = choose_format(sys.stdout, plain=plain or dry_run and not as_json, json=as_json)
    if dry_run:
        from .output import print_timeline

        print_timeline(timeline, fmt)
        return
    options = SessionOptions(format=fmt, speed=speed, title=title, color=use_color())
    result = run_session(timeline, options)
    if fmt != "live":
        click.echo(f"pose-coach: {result.summary()}", err=True)
    if not result.completed:
        sys.exit(int(ExitCode.INTERRUPTED))


@cli.command()
@click.argument("drill_id", metavar="ID", shell_complete=complete_ids("drill"))
@session_options
def drill(drill_id: str, **options: Any) -> None:
    """Play a drill as a coached, timed session.

    A 3-2-1 countdown, then each cue at its moment. In the live view: space
    pauses, n skips to the next step, + / - add or take 10 s, q quits.
    Piped, it prints one line per event; --json prints JSON Lines.

    \b
    Example:
      pose-coach drill fall
      pose-coach drill pose --sets 2 --rest 20
      pose-coach drill fall --json --speed 10 | jq .event
    """
    _play("drill", drill_id, **options)


@cli.command()
@click.argument("routine_id", metavar="ID", shell_complete=complete_ids("routine"))
@session_options
def routine(routine_id: str, **options: Any) -> None:
    """Play a routine: several drills in a row, with rests.

    Same keys and outputs as `pose-coach drill`.

    \b
    Example:
      pose-coach routine warmup
      pose-coach routine warmup --json --speed 100 > warmup.jsonl
    """
    _play("routine", routine_id, **options)


def main() -> None:
    cli(prog_name="pose-coach")


if __name__ == "__main__":
    main()
