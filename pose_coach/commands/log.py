"""``log`` (with ``log export`` / ``log import``) and ``stats``: the practice log."""

from __future__ import annotations

import sys
from datetime import date, datetime

import click

from pose_coach import words
from pose_coach.commands.common import (
    current_terminal,
    json_option,
    number_option,
    output_option,
    warn,
)
from pose_coach.numbers import NumberRange

MAX_LIMIT = 1_000_000  # sessions: more than anyone plays, well within SQLite's integers


def _since_epoch(value: str | None) -> int | None:
    """A local date (YYYY-MM-DD) means its local midnight; a full ISO time is taken as is.

    Dates outside what the log can hold (before 1970, past 9999) are a usage error, not a
    crash in the time-zone arithmetic.
    """
    if value is None:
        return None
    from pose_coach.log.stats import LocalDays

    expected = (
        "expected a date like 2024-05-06 or an ISO 8601 time, "
        f"between {SINCE_FIRST} and {SINCE_LAST}"
    )
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    try:
        if day is not None:
            if not SINCE_FIRST <= day <= SINCE_LAST:
                raise ValueError(day)
            return LocalDays().midnight(day)
        moment = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
        if not SINCE_FIRST <= moment.date() <= SINCE_LAST:
            raise ValueError(moment)
        return int(moment.timestamp())  # a time without offset is local time
    except (ValueError, OverflowError, OSError):
        raise click.BadParameter(f"{expected}, got {value!r}", param_hint="'--since'") from None


SINCE_FIRST = date(1970, 1, 2)  # local midnights stay after the Unix epoch in every zone
SINCE_LAST = date(9999, 12, 30)


def _say_notes(log) -> None:  # noqa: ANN001 - a PracticeLog (imported late, for --help)
    """What the log's opening found worth saying: read-only, recording is off."""
    for note in log.notes:
        warn(note)


def _pace(value: str | None) -> float | None:
    """``5:30`` (minutes:seconds per km) → 330.0 seconds."""
    if value is None:
        return None
    minutes, _, seconds = value.strip().partition(":")
    try:
        total = int(minutes) * 60 + (int(seconds) if seconds else 0)
    except ValueError:
        total = -1
    if not (120 <= total <= 1200) or (seconds and not 0 <= int(seconds) < 60):
        raise click.BadParameter(
            f"expected a pace per km like 5:30 (between 2:00 and 20:00), got {value!r}",
            param_hint="'--pace'",
        )
    return float(total)


@click.group("log", invoke_without_command=True)
@click.option(
    "--since", metavar="DATE", help="Only sessions on or after this local date (YYYY-MM-DD)."
)
@click.option("--id", "entry_id", metavar="ID", help="Only sessions of this drill or routine.")
@number_option(
    "--limit",
    spec=NumberRange("int", 0, MAX_LIMIT),
    default=20,
    show_default=True,
    help="Show at most N sessions (0: all).",
)
@json_option
@click.pass_context
def log_command(
    ctx: click.Context, since: str | None, entry_id: str | None, limit: int, as_json: bool
) -> None:
    """Show the practice log: every session played, newest first.

    Sessions are recorded when they end, completed or stopped (turn it off with
    --no-log or POSE_COACH_NO_LOG=1). Fields: `pose-coach docs log`.

    \b
    Example:
      pose-coach log
      pose-coach log --since 2024-05-01 --id fall
      pose-coach log --json --limit 0 | jq '.[].actual_seconds'
      pose-coach log export --format csv -o practice.csv
    """
    if ctx.invoked_subcommand is not None:
        return
    from pose_coach.log.store import open_log

    since_epoch = _since_epoch(since)
    log = open_log(create=False)
    records = []
    if log is not None:
        _say_notes(log)
        with log:
            records = log.sessions(since_epoch=since_epoch, entry_id=entry_id, limit=limit)
    if as_json:
        from pose_coach.output import print_json

        print_json([record.to_dict() for record in records])
        return
    if not records:
        filtered = since is not None or entry_id is not None
        click.echo(
            "No sessions match."
            if filtered and log is not None
            else "No sessions recorded yet. Play one: pose-coach drill pose"
        )
        return
    from pose_coach.log.report import print_sessions

    terminal = current_terminal()
    print_sessions(records, terminal=terminal.interactive, color=terminal.color)


@log_command.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    help="File format (default: from the file name's suffix, else json).",
)
@output_option("Write to FILE, replacing it atomically; '-' is stdout (the default).")
def export(fmt: str | None, output: str | None) -> None:
    """Write the whole practice log to a CSV or JSON file.

    The JSON file (and the CSV) can be read back with `pose-coach log import`.

    \b
    Example:
      pose-coach log export --format json -o practice.json
      pose-coach log export --format csv -o - | head
    """
    from pose_coach.log.store import open_log
    from pose_coach.log.transfer import export_csv, export_json
    from pose_coach.output_target import OutputTarget, wrote

    target = OutputTarget.parse(output)
    if fmt is None:
        fmt = "csv" if target.suffix == ".csv" else "json"
    log = open_log(create=False)
    records = []
    if log is not None:
        _say_notes(log)
        with log:
            records = log.sessions(newest_first=False)
    text = export_csv(records) if fmt == "csv" else export_json(records)
    path = target.write(text.encode("utf-8"))
    if path is not None:
        click.echo(wrote(path, f"{words.plural(len(records), 'session')}, {fmt}"), err=True)


@log_command.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@json_option
def import_command(file: str, as_json: bool) -> None:
    """Add the sessions of an exported log; sessions already present are skipped.

    Reads the JSON or CSV written by `pose-coach log export`, or the output of
    `pose-coach log --json`. Every row is checked first: a bad file adds nothing.

    \b
    Example:
      pose-coach log import old-laptop.json
      cat runner-*.csv | pose-coach log import -
    """
    from pathlib import Path

    from pose_coach.log.store import open_log
    from pose_coach.log.transfer import read_import, read_import_stream

    if file == "-":
        records = read_import_stream(sys.stdin.buffer)
    else:
        records = read_import(Path(file))
    log = open_log()
    assert log is not None
    with log:
        added, skipped = log.add(records)
    if as_json:
        from pose_coach.output import print_json

        print_json({"added": added, "skipped": skipped})
        return
    note = f", skipped {skipped} already in the log" if skipped else ""
    click.echo(f"imported {words.plural(added, 'session')}{note}")


@click.command()
@number_option(
    "--weeks",
    spec=NumberRange("int", 1, 520),
    default=8,
    show_default=True,
    help="How many weeks to chart, this one included.",
)
@click.option(
    "--pace",
    metavar="M:SS",
    callback=lambda ctx, param, value: _pace(value),
    help="Compare runs at this pace per km, ±10 s (default: their median pace).",
)
@click.option(
    "--all",
    "every_kind",
    is_flag=True,
    help="Count tryouts (speed other than 1) and scripted sessions too, not only live ones.",
)
@json_option
def stats(weeks: int, pace: float | None, every_kind: bool, as_json: bool) -> None:
    """Minutes per phase per week, streaks and favourite drills, from the practice log.

    Days and weeks (Monday first) are local dates. Minutes are drill time in real
    minutes: the time in drills and the rests between their sets, without the
    lead-in or a routine's rests between drills; a session at --speed 10 counts a
    tenth. Only live sessions count (speed 1 on a terminal) unless --all; a
    scripted session (no terminal, as under cron) never makes a streak. With runs read by
    `pose-coach run`, also their cadence and ground contact time per week, at
    one pace and on one device. Fields: `pose-coach docs log`, `pose-coach docs run`.

    \b
    Example:
      pose-coach stats
      pose-coach stats --weeks 26 --json | jq .streak
      pose-coach stats --pace 5:30 --json | jq .runs.weeks
    """
    from pose_coach.log.stats import compute_stats
    from pose_coach.log.store import open_log

    log = open_log(create=False)
    if log is not None:
        _say_notes(log)
    try:
        result = compute_stats(log, weeks, pace=pace, every_kind=every_kind)
    finally:
        if log is not None:
            log.close()
    if as_json:
        from pose_coach.output import print_json

        print_json(result.to_dict())
        return
    from pose_coach.log.report import print_stats

    terminal = current_terminal()
    print_stats(result, terminal=terminal.interactive, color=terminal.color)
