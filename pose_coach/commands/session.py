"""``drill`` and ``routine``: play a coached session."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from pose_coach.commands.common import (
    complete_ids,
    load_library,
    session_options,
    timeline_dose,
    warn,
)
from pose_coach.errors import ExitCode
from pose_coach.paths import ENV_NO_LOG

if TYPE_CHECKING:
    from pose_coach.log.record import SessionRecorder
    from pose_coach.timeline import Timeline


def _play(
    kind: str,
    entry_id: str,
    lead_in: float,
    sets: int | None,
    rest: float | None,
    speed: float,
    plain: bool,
    as_json: bool,
    dry_run: bool,
    title: bool,
    log: bool = True,
    runner_cadence: int | None = None,
    **sound: Any,  # --voice, --voice-name, --rate, --cadence, --sound (docs/audio.md)
) -> None:
    from pose_coach.play.session import SessionOptions, run_session
    from pose_coach.sinks import choose_format, use_color
    from pose_coach.timeline import compile_timeline

    catalog = load_library(needed=entry_id)  # its own problems are the error, not a warning
    entry = catalog.get(entry_id, kind)
    dose = timeline_dose(sets, rest, lead_in, runner_cadence)
    timeline = compile_timeline(entry, catalog.entries, dose)
    fmt = choose_format(sys.stdout, plain=plain or dry_run, json=as_json)
    if dry_run:
        from pose_coach.output import print_timeline

        print_timeline(timeline, fmt)
        return
    drill_ids = {e.drill for e in timeline.events if e.drill}
    checkpoints = {i: catalog.entries[i].checkpoints for i in drill_ids if i in catalog.entries}
    options = SessionOptions(
        format=fmt, speed=speed, title=title, color=use_color(), checkpoints=checkpoints
    )
    recorder = _recorder(timeline, speed, log)  # refuses a damaged log before playing
    from pose_coach.commands.audio import sound_sinks

    extra = sound_sinks(timeline, fmt, speed, **sound)  # errors before the session starts
    try:
        result = run_session(
            timeline, options, extra_sinks=extra + ([recorder.tally] if recorder else [])
        )
    except (Exception, KeyboardInterrupt) as stop:
        if recorder is not None:
            outcome = "interrupted" if isinstance(stop, KeyboardInterrupt) else "error"
            _warn_unrecorded(recorder.save_failed(outcome))
        raise
    unrecorded = recorder.save(result) if recorder is not None else None
    if fmt != "live":
        click.echo(f"pose-coach: {result.summary()}", err=True)
    _warn_unrecorded(unrecorded)
    if not result.completed:
        sys.exit(int(ExitCode.INTERRUPTED))


def _recorder(timeline: Timeline, speed: float, log: bool) -> SessionRecorder | None:
    """The practice-log recorder, unless --no-log or POSE_COACH_NO_LOG=1 turned it off."""
    ctx = click.get_current_context(silent=True)
    from_command_line = (
        ctx is not None
        and ctx.get_parameter_source("log") is click.core.ParameterSource.COMMANDLINE
    )
    if not from_command_line and os.environ.get(ENV_NO_LOG, "").strip() not in ("", "0"):
        log = False
    if not log:
        return None
    from pose_coach.log.record import SessionRecorder

    return SessionRecorder(timeline, speed)


def _warn_unrecorded(message: str | None) -> None:
    if message:
        warn(message)


@click.command()
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


@click.command()
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
