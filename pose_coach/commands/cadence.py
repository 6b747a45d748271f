"""``cadence`` and ``cadence test``: the runner's own steps per minute, the plan's base."""

from __future__ import annotations

import click

from pose_coach.commands.common import current_terminal, json_option, number_option
from pose_coach.errors import UsageError
from pose_coach.numbers import NumberRange

COUNT = NumberRange("int", 1, 200, "a count of landings")
SPM = NumberRange("int", 1, 400, "steps per minute")


@click.group("cadence", invoke_without_command=True)
@json_option
@click.pass_context
def cadence_group(ctx: click.Context, as_json: bool) -> None:
    """Your own cadence (steps per minute): measure it with a 30-second count.

    Without a subcommand: your cadence and where it comes from. A plan's
    metronome for the pieces in the Pose form starts a little above it and rises
    about 5 % at a time, only after a week that felt easy.

    \b
    Example:
      pose-coach cadence
      pose-coach cadence test
      pose-coach cadence test --count 42
    """
    if ctx.invoked_subcommand is not None:
        return
    from pose_coach.log.plans import latest_baseline
    from pose_coach.log.store import open_log
    from pose_coach.plan.cadence import COUNT_TARGET, cadence_dict, own_cadence

    own = own_cadence()
    log = open_log(create=False)
    baseline = None
    if log is not None:
        with log:
            baseline = latest_baseline(log)
    if as_json:
        from pose_coach.output import print_json

        print_json(cadence_dict(own, baseline))
        return
    if not own.is_default:
        click.echo(f"{own.spm} steps per minute ({own.source})")
        return
    click.echo(
        f"{own.spm} steps per minute: the Pose reference, not yet your own. Measure yours: "
        f"pose-coach cadence test (count one foot for 30 s; {COUNT_TARGET} or more is "
        f"{COUNT_TARGET * 4} a minute)"
    )


@cadence_group.command("test")
@number_option(
    "--count",
    spec=COUNT,
    metavar="N",
    help="Landings of one foot you counted in 30 s (no walk-through).",
)
@number_option(
    "--spm",
    spec=SPM,
    metavar="SPM",
    help="Your cadence in steps per minute, e.g. from a watch.",
)
@click.option(
    "--from-run",
    is_flag=True,
    help="Take it from the newest run read with `pose-coach run` (its main part).",
)
@json_option
def cadence_test(count: int | None, spm: int | None, from_run: bool, as_json: bool) -> None:
    """Measure your cadence: 30 seconds of easy running, counting one foot.

    In a terminal it walks you through: a 3-2-1, then 30 s with the time left,
    a bell at go and at stop, then it asks how many times that foot landed.
    The result (count × 4) is stored as your baseline in the practice log.

    \b
    Example:
      pose-coach cadence test
      pose-coach cadence test --count 42
      pose-coach cadence test --spm 168
      pose-coach cadence test --from-run
    """
    from pose_coach.log.plans import add_baseline
    from pose_coach.log.store import open_log
    from pose_coach.plan.cadence import (
        COUNT_SECONDS,
        COUNT_TARGET,
        counted_baseline,
        entered_baseline,
    )
    from pose_coach.plan.schedule import current_time

    given = [name for name, value in (("--count", count), ("--spm", spm)) if value is not None]
    if len(given) + from_run > 1:
        raise UsageError("give one of --count, --spm and --from-run")
    now = current_time()
    log = open_log()
    assert log is not None
    with log:
        if from_run:
            from pose_coach.log.runs import latest_run_cadence
            from pose_coach.plan.cadence import run_baseline

            run = latest_run_cadence(log)
            if run is None:
                raise UsageError(
                    "no stored run has a cadence",
                    hint="read a watch file first: pose-coach run FILE.fit",
                )
            baseline = run_baseline(run.cadence_spm, run.started_at, run.file_name, now)
        else:
            if count is None and spm is None:
                if not current_terminal().stdin_keys:
                    raise UsageError(
                        "the cadence test walks you through in a terminal",
                        hint="in a script, give what you counted: "
                        "pose-coach cadence test --count 42",
                    )
                count = _walk_through(COUNT_SECONDS)
                now = current_time()
            baseline = (
                counted_baseline(count, now)
                if count is not None
                else entered_baseline(int(spm or 0), now)
            )
        baseline = add_baseline(log, baseline)
    if as_json:
        from pose_coach.output import print_json

        print_json(baseline.to_dict())
        return
    how = f" ({count} in {COUNT_SECONDS} s × 4)" if count is not None else ""
    if from_run:
        how = f" (from {baseline.note})"
    click.echo(f"Your cadence: {baseline.spm} steps per minute{how}, stored as your baseline.")
    if count is not None and count < COUNT_TARGET:
        click.echo(
            f"Pose teaching aims for about {COUNT_TARGET * 4} ({COUNT_TARGET} in 30 s); a plan "
            "raises yours about 5 % at a time, never in one jump."
        )
    from pose_coach.cadence import baseline_source
    from pose_coach.plan.cadence import own_cadence

    own = own_cadence()
    if own.source != baseline_source(baseline.method, baseline.measured_at, baseline.note):
        click.echo(
            f"Note: the runner_cadence setting ({own.spm}, {own.source}) comes first; unset "
            "it to use this measurement.",
            err=True,
        )


def _walk_through(seconds: int) -> int:
    from pose_coach.plan.cadence import count_walkthrough
    from pose_coach.play.clock import MonotonicClock

    click.echo(
        f"Cadence test: {seconds} seconds of easy running, counting every landing of one "
        "foot (the right, say).",
        err=True,
    )
    click.prompt(
        "Start running at your easy pace; press Enter when you are ready to count",
        default="",
        show_default=False,
        err=True,
    )
    count_walkthrough(MonotonicClock(), lambda line: click.echo(line, err=True), seconds)
    while True:  # asked again until it is a count; the error in the one style
        raw = click.prompt("How many times did that foot land?", err=True)
        try:
            return int(COUNT.parse(raw, strict=True))
        except ValueError as problem:
            click.echo(f"pose-coach: error: {problem}", err=True)
