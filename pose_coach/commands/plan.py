"""``plan``: start, show, follow and stop a transition plan; helpers ``today`` shares.

The commands read the clock once (``plan.schedule.current_time``), turn it into the
runner's local date, and hand dates to the core; the practice log holds every record.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pose_coach import words
from pose_coach.commands.common import (
    current_terminal,
    json_option,
    load_library,
    parse_start_date,
    warn,
)
from pose_coach.errors import ExitCode, UsageError

if TYPE_CHECKING:
    from pose_coach.library.catalog import Catalog
    from pose_coach.log.store import PracticeLog
    from pose_coach.plan.catalog import PlanCatalog
    from pose_coach.plan.state import ActivePlan


def read_clock() -> tuple[datetime, date]:
    """(now in UTC, the runner's local date): the one reading of the clock per command."""
    from pose_coach.plan.schedule import current_time, local_date, local_zone

    now = current_time()
    return now, local_date(now, local_zone())


def libraries(plan_id: str | None = None) -> tuple[Catalog, PlanCatalog]:
    from pose_coach.plan.catalog import load_plans

    catalog = load_library()
    plans = load_plans(catalog.entries)
    for line in plans.warnings(plan_id):
        warn(line)
    return catalog, plans


def active_libraries() -> tuple[Catalog, PlanCatalog]:
    """The drill library and the active plan's file alone (NoActivePlanError: none)."""
    from pose_coach.log.plans import active_enrollment
    from pose_coach.plan.catalog import load_plans
    from pose_coach.plan.state import NoActivePlanError

    log = practice_log(create=False)
    if log is None:
        raise NoActivePlanError()
    with log:
        enrollment = active_enrollment(log)
    if enrollment is None:
        raise NoActivePlanError()
    catalog = load_library()
    plans = load_plans(catalog.entries, only=enrollment.plan_id)
    for line in plans.warnings(enrollment.plan_id):
        warn(line)
    return catalog, plans


def practice_log(create: bool) -> PracticeLog | None:
    from pose_coach.log.store import open_log

    return open_log(create=create)


def _complete_plan_ids(ctx: click.Context, param: click.Parameter, incomplete: str):
    from click.shell_completion import CompletionItem

    try:
        from pose_coach.library.catalog import load_catalog
        from pose_coach.plan.catalog import load_plans

        plans = load_plans(load_catalog().entries)
        return [
            CompletionItem(i, help=plans.plans[i].title)
            for i in plans.ids()
            if i.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the shell
        return []


def print_screen(headline: str, rows: list) -> None:
    from pose_coach.plan.report import print_rows

    terminal = current_terminal()
    print_rows(headline, rows, terminal=terminal.styled, color=terminal.color)


# -- plan ----------------------------------------------------------------------------


@click.group("plan")
def plan_group() -> None:
    """Transition plans over weeks: start one, see where you are, stop it.

    A plan is weeks of sessions: drills first, then short runs in the Pose form
    inside normal runs, growing while your calves and Achilles stay calm.
    Each day, `pose-coach today` says what to do. Format and rules: `pose-coach docs plans`.

    \b
    Example:
      pose-coach plan list
      pose-coach plan start beginner-6-weeks --days mon,wed,sat
      pose-coach plan show
      pose-coach plan status --json
    """


@plan_group.command("list")
@json_option
def plan_list(as_json: bool) -> None:
    """List the plans: built-in ones and your own (plans/ in your drill folder).

    \b
    Example:
      pose-coach plan list
      pose-coach plan list --json | jq '.[].id'
    """
    _, plans = libraries()
    rows = [
        {
            "id": plan.id,
            "title": plan.title,
            "level": plan.level,
            "weeks": len(plan.weeks),
            "sessions_per_week": plan.sessions_per_week,
            "form_minutes": [week.form_minutes for week in plan.weeks],
            "days": [_weekday(d) for d in plan.days],
            "source": plan.source,
            "shadows": plan.shadows,
        }
        for plan in (plans.plans[i] for i in plans.ids())
    ]
    if as_json:
        from pose_coach.output import print_json

        print_json(rows)
        return
    headers = ("ID", "WEEKS", "A WEEK", "IN FORM", "TITLE")
    table = [
        (
            plan.id,
            str(len(plan.weeks)),
            str(plan.sessions_per_week),
            _form_range([week.form_minutes for week in plan.weeks]),
            plan.title + ("  (user file, replaces built-in)" if plan.shadows else ""),
        )
        for plan in (plans.plans[i] for i in plans.ids())
    ]
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
    for row in [headers, *table]:
        click.echo("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


def _weekday(day: int) -> str:
    from pose_coach.plan.loader import WEEKDAYS

    return WEEKDAYS[day]


def _form_range(minutes: list[int]) -> str:
    running = [m for m in minutes if m]
    if not running:
        return "drills only"
    return f"{min(running)}-{max(running)} min" if len(set(running)) > 1 else f"{running[0]} min"


def _parse_days(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    from pose_coach.plan.loader import parse_days

    try:
        return parse_days(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@plan_group.command("start")
@click.argument("plan_id", metavar="ID", shell_complete=_complete_plan_ids)
@click.option(
    "--days",
    callback=_parse_days,
    metavar="DAYS",
    help="Training days, e.g. mon,wed,fri (default: the plan's own).",
)
@click.option(
    "--start",
    "start_on",
    callback=parse_start_date,
    metavar="YYYY-MM-DD",
    help="First day the plan may begin (default: today).",
)
@json_option
def plan_start(
    plan_id: str, days: tuple[int, ...] | None, start_on: date | None, as_json: bool
) -> None:
    """Start following a plan; one plan is active at a time.

    The first session is on the first training day on or after the start date.
    A plan's weeks are its own: started on a Thursday, week 1 begins on the
    next training day.

    \b
    Example:
      pose-coach plan start beginner-6-weeks
      pose-coach plan start drilled-4-weeks --days tue,thu,sun --start 2025-03-04
    """
    from pose_coach.log.plans import ActivePlanError, end_enrollment, start_enrollment
    from pose_coach.plan.report import days_words
    from pose_coach.plan.schedule import next_training_day
    from pose_coach.plan.state import NoActivePlanError, active_plan

    now, today = read_clock()
    catalog, plans = libraries(plan_id)
    plan = plans.get(plan_id)
    chosen = days or plan.days
    if len(chosen) > plan.sessions_per_week:
        raise UsageError(
            f"{words.plural(len(chosen), 'training day')} for a plan of "
            f"{words.plural(plan.sessions_per_week, 'session')} a week would squeeze more "
            "than a week of it into each week",
            hint=f"choose at most {words.plural(plan.sessions_per_week, 'day')}, e.g. --days "
            + ",".join(_weekday(d) for d in plan.days),
        )
    start = start_on if start_on is not None else today
    log = practice_log(create=True)
    assert log is not None
    with log:
        try:
            current = active_plan(log, plans, today)
        except NoActivePlanError:
            current = None
        if current is not None:
            if not current.state.finished:
                raise ActivePlanError(
                    f"plan '{current.plan.id}' is active (week {current.state.week}); "
                    "one plan at a time",
                    "stop it first: pose-coach plan stop",
                )
            end_enrollment(log, current.enrollment.id, "finished", now)
        start_enrollment(log, plan.id, plan.title, start, chosen, now)
    first = next_training_day(chosen, start)
    if as_json:
        from pose_coach.output import print_json

        print_json(
            {
                "plan": plan.id,
                "title": plan.title,
                "start_date": start.isoformat(),
                "days": [_weekday(d) for d in chosen],
                "first_session": first.isoformat(),
            }
        )
        return
    click.echo(
        f"Started {plan.title} ({plan.id}): {len(plan.weeks)} weeks, "
        f"{words.plural(plan.sessions_per_week, 'session')} a week on {days_words(chosen)}."
    )
    when = "today" if first == today else words.day_date(first)
    click.echo(f"First session: {when}. See it with: pose-coach today")


@plan_group.command("stop")
@json_option
def plan_stop(as_json: bool) -> None:
    """Stop following the active plan; its record stays in the practice log.

    \b
    Example:
      pose-coach plan stop
    """
    from pose_coach.log.plans import active_enrollment, end_enrollment, plan_days
    from pose_coach.plan.state import NoActivePlanError

    now, _ = read_clock()
    if practice_log(create=False) is None:  # no log, so no plan: nothing to create
        raise NoActivePlanError()
    log = practice_log(create=True)  # opened to write: the plan's end is recorded
    assert log is not None
    with log:
        enrollment = active_enrollment(log)
        if enrollment is None:
            raise NoActivePlanError()
        done = sum(1 for r in plan_days(log, enrollment.id) if r.status == "done")
        end_enrollment(log, enrollment.id, "stopped", now)
    if as_json:
        from pose_coach.output import print_json

        print_json({"plan": enrollment.plan_id, "stopped": True, "sessions_done": done})
        return
    click.echo(
        f"Stopped {enrollment.plan_title} ({enrollment.plan_id}) after "
        f"{words.plural(done, 'session')}; its record stays in the practice log."
    )


def read_active(plans: PlanCatalog, today: date) -> ActivePlan:
    from pose_coach.plan.state import NoActivePlanError, active_plan

    log = practice_log(create=False)
    if log is None:
        raise NoActivePlanError()
    with log:
        return active_plan(log, plans, today)


@plan_group.command("show")
@click.argument("plan_id", metavar="[ID]", required=False, shell_complete=_complete_plan_ids)
@json_option
def plan_show(plan_id: str | None, as_json: bool) -> None:
    """Show a plan's weeks as a table, and where you are in it.

    Without ID, the active plan. Under the table: the rules, the cadence steps,
    the safety notes and the sources every number comes from.

    \b
    Example:
      pose-coach plan show
      pose-coach plan show beginner-6-weeks
      pose-coach plan show --json | jq '.weeks[].form_minutes'
    """
    from pose_coach.plan.state import NoActivePlanError

    _, today = read_clock()
    catalog, plans = libraries(plan_id)
    active = None
    try:
        active = read_active(plans, today)
    except NoActivePlanError:
        if plan_id is None:
            raise
    plan = plans.get(plan_id) if plan_id is not None else active.plan  # type: ignore[union-attr]
    if active is not None and active.plan.id != plan.id:
        active = None
    if as_json:
        from pose_coach.output import print_json
        from pose_coach.plan.export import plan_dict
        from pose_coach.plan.report import status_dict

        data = plan_dict(plan)
        data["status"] = status_dict(active, catalog.entries) if active else None
        print_json(data)
        return
    from pose_coach.plan.report import print_show

    terminal = current_terminal()
    print_show(plan, active, terminal=terminal.styled, color=terminal.color)


@plan_group.command("status")
@json_option
def plan_status(as_json: bool) -> None:
    """Where you are in the active plan: week, day, the last decision and why.

    \b
    Example:
      pose-coach plan status
      pose-coach plan status --json | jq .week
    """
    from pose_coach.plan.report import status_dict, status_rows
    from pose_coach.plan.state import NoActivePlanError

    _, today = read_clock()
    try:
        catalog, plans = active_libraries()
        active = read_active(plans, today)
    except NoActivePlanError:
        if not as_json:
            raise
        from pose_coach.output import print_json

        print_json({"active": False, "plan": None})
        return
    if as_json:
        from pose_coach.output import print_json

        print_json(status_dict(active, catalog.entries))
        return
    headline, rows = status_rows(active, catalog.entries)
    print_screen(headline, rows)


@plan_group.command("validate")
@click.argument(
    "paths", metavar="PATH...", nargs=-1, required=True, type=click.Path(path_type=Path)
)
@json_option
def plan_validate(paths: tuple[Path, ...], as_json: bool) -> ExitCode:
    """Check plan files (or folders of them), reporting every located problem.

    OK or FAIL per file on stdout, each problem on stderr like a compiler's
    (file:line:column: field: message); exit 0 when all are valid, 1 otherwise.

    \b
    Example:
      pose-coach plan validate ~/.local/share/pose-coach/drills/plans/
      pose-coach plan validate --json my-plan.yaml
    """
    from pose_coach.errors import DrillFileError, display_path
    from pose_coach.library.catalog import load_catalog
    from pose_coach.library.loader import read_text_file
    from pose_coach.plan.catalog import reference_problems
    from pose_coach.plan.loader import check_plan_text

    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(path.glob("*.yaml")) + sorted((path / "plans").glob("*.yaml"))
            if not found:
                raise UsageError(f"no plan files (*.yaml) in {display_path(path)}")
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {display_path(path)}")
    entries = load_catalog().entries
    reports = []
    for path in files:
        shown = display_path(path)
        try:
            _, text = read_text_file(path)
            plan, problems = check_plan_text(text, shown, path.stem)
        except DrillFileError as error:
            plan, problems = None, list(error.problems)
        if plan is not None:
            problems += reference_problems(plan, entries)
        errors = [p for p in problems if not p.warning]
        warnings = [p for p in problems if p.warning]
        reports.append((shown, plan if not errors else None, errors, warnings))
    if as_json:
        from pose_coach.output import print_json

        print_json(
            [
                {
                    "path": shown,
                    "ok": not errors,
                    "id": plan.id if plan else None,
                    "errors": [_problem(p) for p in errors],
                    "warnings": [_problem(p) for p in warnings],
                }
                for shown, plan, errors, warnings in reports
            ]
        )
    else:
        for shown, plan, errors, warnings in reports:
            for problem in errors:
                click.echo(str(problem), err=True)
            for problem in warnings:
                field = f" {problem.field}:" if problem.field else ""
                click.echo(f"{problem.where}: warning:{field} {problem.message}", err=True)
            if errors:
                click.echo(f"FAIL  {shown} ({words.plural(len(errors), 'problem')})")
            else:
                assert plan is not None
                click.echo(f"OK    {shown} (plan {plan.id}, {len(plan.weeks)} weeks)")
    return ExitCode.OK if all(not r[2] for r in reports) else ExitCode.ERROR


def _problem(p: Any) -> dict:
    return {"line": p.line, "column": p.column, "field": p.field, "message": p.message}
