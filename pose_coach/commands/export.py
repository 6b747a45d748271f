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
    parse_start_date,
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
    callback=parse_start_date,
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
    Copy a .fit file to a Garmin watch's GARMIN/NewFiles folder. See `pose-coach docs export`.

    \b
    Example:
      pose-coach export warmup -o warmup.fit
      pose-coach export fall --format json | jq '.events[].event'
      pose-coach export warmup -o plan.ics --at 07:00 --days mon,wed,fri --weeks 6
    """
    from pose_coach.commands.common import timeline_dose
    from pose_coach.timeline import compile_session

    target = OutputTarget.parse(output)
    catalog = load_library(needed=entry_id)
    if entry_id not in catalog.entries:
        from pose_coach.plan.catalog import load_plans

        plans = load_plans(catalog.entries)
        if entry_id in plans.plans:
            return _export_plan(
                plans.plans[entry_id],
                catalog,
                plans,
                fmt,
                target,
                output,
                max_steps,
                at,
                days,
                weeks,
                start,
            )
    fmt = choose_export_format(fmt, target)
    _refuse_misplaced(fmt)
    if fmt == "fit":
        target.refuse_binary_on_terminal(current_terminal(), "a FIT file", f"{entry_id}.fit")
    if fmt == "ics" and (at is None or days is None):
        raise UsageError(
            "a calendar plan needs --at and --days",
            hint="e.g. --at 07:00 --days mon,wed,fri",
        )

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


def _export_plan(
    plan, catalog, plans, fmt, target: OutputTarget, output, max_steps, at, days, weeks, start
) -> None:
    """A plan: one calendar event per session (ICS), one FIT workout per session into a
    folder, or the plan with its dated sessions (JSON). The dates continue the active
    plan from where the runner is, or start at --start (default today) for another."""
    from pose_coach.plan.export import dated_sessions, plan_ics, session_workout
    from pose_coach.plan.schedule import current_time, local_date, local_zone, next_training_day
    from pose_coach.plan.state import NoActivePlanError, active_plan

    if fmt is None:
        fmt = {".ics": "ics", ".json": "json"}.get(target.suffix)
        if fmt is None and target.path is not None and not target.suffix:
            fmt = "fit"  # a folder name: one workout per session
    if fmt is None:
        raise UsageError(
            "say which format to export the plan in",
            hint="-o plan.ics (calendar), -o FOLDER --format fit (one workout per session) "
            "or --format json",
        )
    ctx = click.get_current_context()
    from click.core import ParameterSource

    if ctx.get_parameter_source("weeks") is ParameterSource.COMMANDLINE:
        raise UsageError("--weeks is for a routine's calendar; a plan has its own weeks")
    now = current_time()
    today = local_date(now, local_zone())
    active = None
    log = _open_log()
    if log is not None:
        with log:
            try:
                active = active_plan(log, plans, today)
            except NoActivePlanError:
                active = None
    if active is not None and active.plan.id != plan.id:
        active = None
    chosen = days and tuple("MO TU WE TH FR SA SU".split().index(code) for code in days)
    if active is not None and start is None and not active.state.finished:
        state = active.state
        training = chosen or active.enrollment.days
        first = state.next_date or next_training_day(training, today)
        cadence = {w.number: _cadence_of(active, w) for w in plan.weeks}
        sessions = dated_sessions(
            plan,
            catalog.entries,
            training,
            first,
            from_week=state.week,
            from_day=state.day,
            cadence=cadence,
        )
    else:
        training = chosen or plan.days
        first = next_training_day(training, start or today)
        sessions = dated_sessions(plan, catalog.entries, training, first)
    if not sessions:
        raise UsageError(f"plan '{plan.id}' has no sessions left to export")
    if fmt == "ics":
        from datetime import time as clock_time

        data = plan_ics(plan, sessions, at or clock_time(7, 0), now=now)
        path = target.write(data)
        if path is not None:
            click.echo(
                wrote(path, f"{len(sessions)} sessions from {sessions[0].on:%a %Y-%m-%d}"),
                err=True,
            )
        return
    if fmt == "json":
        import json

        from pose_coach.plan.export import plan_dict, session_dict

        document = plan_dict(plan)
        document["sessions"] = [
            {
                "week": s.week,
                "day": s.day,
                "date": s.on.isoformat(),
                "title": s.title,
                "minutes": round(s.seconds / 60, 1),
                "cadence_spm": s.cadence,
                **session_dict(s.session),
            }
            for s in sessions
        ]
        target.write((json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode())
        return
    # FIT: one workout file per session, in a folder
    if target.path is None:
        raise UsageError(
            "a plan's FIT workouts are one file per session",
            hint=f"name a folder: -o {plan.id}-fit",
        )
    from pose_coach.atomic import write_atomic
    from pose_coach.errors import OutputError, display_path
    from pose_coach.render.export.fit import DEFAULT_MAX_STEPS, fit_bytes

    folder = target.path
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{display_path(folder)} is a file; a plan's workouts go in a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {display_path(folder)}: {exc.strerror}") from None
    written = 0
    for dated in sessions:
        timeline, steps, name = session_workout(
            dated, catalog.entries, max_steps or DEFAULT_MAX_STEPS
        )
        data = fit_bytes(timeline, max_steps=max_steps or DEFAULT_MAX_STEPS, steps=steps, name=name)
        write_atomic(folder / f"{plan.id}-w{dated.week}d{dated.day}.fit", _writer(data))
        written += 1
    click.echo(wrote(folder, f"{written} FIT workouts, one per session"), err=True)


def _cadence_of(active, week) -> int | None:
    for session in week.sessions:
        spm = active.cadence_for(session, week.number)
        if spm is not None:
            return spm
    return None


def _open_log():
    from pose_coach.log.store import open_log

    return open_log(create=False)


def _writer(data: bytes):
    return lambda handle: handle.write(data)
