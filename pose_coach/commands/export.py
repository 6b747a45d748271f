"""``export``: write a drill or routine as a FIT workout, an iCalendar plan or JSON."""

from __future__ import annotations

from datetime import date

import click

from pose_coach.commands.common import (
    apply_options,
    complete_ids,
    current_terminal,
    dose_options,
    load_library,
    number_option,
    output_option,
    warn,
)
from pose_coach.errors import UsageError
from pose_coach.numbers import NumberRange
from pose_coach.output_target import OutputTarget, wrote

FORMATS = ("fit", "json", "ics")
_SUFFIXES = {".fit": "fit", ".json": "json", ".ics": "ics"}
_ICS_ONLY = ("--at", "--days", "--weeks", "--start")


def choose_export_format(fmt: str | None, target: OutputTarget) -> str:
    """``--format`` when given, else the output file's suffix; a usage error otherwise."""
    by_suffix = _SUFFIXES.get(target.suffix)
    if fmt:
        if by_suffix and by_suffix != fmt and target.path is not None:
            warn(f"writing {fmt.upper()} to {target.path}, whose name ends in {target.path.suffix}")
        return fmt
    if by_suffix:
        return by_suffix
    if not target.to_stdout:
        raise UsageError(
            f"cannot tell the format from the name {target.path}",
            hint="add --format fit, json or ics, or use a name ending in .fit, .json or .ics",
        )
    raise UsageError(
        "say which format to export",
        hint="add --format fit, json or ics, or -o FILE ending in .fit, .json or .ics",
    )


def _parse_schedule_option(ctx: click.Context, param: click.Parameter, value: str | None):
    """--at and --days, parsed by the calendar module (imported only when one is given)."""
    if value is None:
        return None
    from pose_coach.render.export.ics import parse_days, parse_time

    parse = parse_time if param.name == "at" else parse_days
    try:
        return parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


FIRST_START = date(1970, 1, 1)
LAST_START = date(9990, 12, 31)  # a plan of 104 weeks still ends before the calendar does


def _parse_start(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """``--start``: a date in the range a calendar plan can hold, else a usage error."""
    if value is None:
        return None
    expected = f"a date between {FIRST_START} and {LAST_START} (YYYY-MM-DD)"
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise click.BadParameter(f"expected {expected}, got {value!r}") from None
    if not FIRST_START <= day <= LAST_START:
        raise click.BadParameter(f"expected {expected}, got {value!r}")
    return day


def _refuse_misplaced(fmt: str) -> None:
    """An option typed for another format is a mistake; one from config or env is not."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    only = {name: "ics" for name in _ICS_ONLY} | {"--max-steps": "fit"}
    for option, owner in only.items():
        source = ctx.get_parameter_source(option[2:].replace("-", "_"))
        if owner != fmt and source is ParameterSource.COMMANDLINE:
            raise UsageError(f"{option} is only for --format {owner}, not {fmt}")


@click.command()
@click.argument("entry_id", metavar="ID", shell_complete=complete_ids(None))
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="fit (Garmin workout), json (the timeline) or ics (calendar). "
    "Default: from the -o file name.",
)
@output_option("Write here (atomically). Without it, or with -, write to stdout.")
@apply_options(dose_options("Get-ready countdown in seconds; not a FIT step"))
@number_option(
    "--max-steps",
    spec=NumberRange("int", 1, 4096),
    help="FIT: most workout steps allowed (default 50, what Garmin watches take).",
)
@click.option(
    "--at", "at", callback=_parse_schedule_option, metavar="HH:MM", help="ICS: time of day."
)
@click.option(
    "--days",
    callback=_parse_schedule_option,
    metavar="DAYS",
    help="ICS: weekdays, e.g. mon,wed,fri.",
)
@number_option(
    "--weeks",
    spec=NumberRange("int", 1, 104),
    help="ICS: how many weeks the plan runs (default 4).",
)
@click.option(
    "--start",
    callback=_parse_start,
    metavar="YYYY-MM-DD",
    help="ICS: first day the plan may start (default: today).",
)
def export(
    entry_id: str,
    fmt: str | None,
    output: str | None,
    sets: int | None,
    rest: float | None,
    lead_in: float,
    max_steps: int | None,
    at,
    days,
    weeks: int | None,
    start,
    runner_cadence: int | None = None,
) -> None:
    """Export a drill or routine: FIT workout for a watch, calendar plan, or JSON.

    The format comes from --format or the -o file's suffix (.fit, .json, .ics).
    Copy a .fit file to a Garmin watch's GARMIN/NewFiles folder. See docs/export.md.

    \b
    Example:
      pose-coach export warmup -o warmup.fit
      pose-coach export fall --format json | jq '.events[].event'
      pose-coach export warmup -o plan.ics --at 07:00 --days mon,wed,fri --weeks 6
    """
    from pose_coach.commands.common import timeline_dose
    from pose_coach.timeline import compile_session

    target = OutputTarget.parse(output)
    fmt = choose_export_format(fmt, target)
    _refuse_misplaced(fmt)
    if fmt == "fit":
        target.refuse_binary_on_terminal(current_terminal(), "a FIT file", f"{entry_id}.fit")
    if fmt == "ics" and (at is None or days is None):
        raise UsageError(
            "a calendar plan needs --at and --days",
            hint="e.g. --at 07:00 --days mon,wed,fri",
        )

    catalog = load_library(needed=entry_id)
    entry = catalog.get(entry_id)
    timeline = compile_session(
        entry, catalog.entries, timeline_dose(sets, rest, lead_in, runner_cadence)
    )
    if fmt == "fit":
        from pose_coach.render.export.fit import DEFAULT_MAX_STEPS, fit_bytes, plan_workout

        data = fit_bytes(timeline, max_steps=max_steps or DEFAULT_MAX_STEPS)
        what = f"FIT workout, {len(plan_workout(timeline))} steps"
    elif fmt == "ics":
        from pose_coach.render.export.ics import Schedule, description_text, ics_bytes

        schedule = Schedule(at, days, weeks or 4, start or date.today())
        play = " ".join(
            [f"pose-coach {entry.kind} {entry.id}"]
            + ([f"--sets {sets}"] if sets is not None else [])
            + ([f"--rest {rest:g}"] if rest is not None else [])
        )
        description = description_text(
            timeline,
            entry,
            catalog.entries,
            play,
            dose_changed=sets is not None or rest is not None,
        )
        data = ics_bytes(timeline, schedule, description)
        what = f"{schedule.count} sessions from {schedule.first:%a %Y-%m-%d %H:%M}"
    else:
        from pose_coach.render.export.json import json_bytes

        data = json_bytes(timeline)
        what = f"{len(timeline.events)} events"
    path = target.write(data)
    if path is not None:
        click.echo(wrote(path, what), err=True)
