"""``drill`` and ``routine``: play a coached session."""

from __future__ import annotations

from typing import Any

import click

from pose_coach.commands.common import (
    complete_ids,
    current_terminal,
    say,
    session_options,
    timeline_dose,
    warn,
)


def _play(
    kind: str,
    entry_id: str,
    *,
    lead_in: float,
    sets: int | None,
    rest: float | None,
    speed: float,
    plain: bool,
    as_json: bool,
    dry_run: bool,
    title: bool,
    wait: bool,
    log: bool,
    voice: bool | None,
    voice_name: str | None,
    rate: int | None,
    cadence: int | None,
    sound: bool | None,
    runner_cadence: int | None = None,
) -> int:
    """Build the session request from the options, play it, say how it went."""
    from pose_coach.audio.setup import SoundRequest
    from pose_coach.session import SessionRequest, play_session

    request = SessionRequest(
        kind=kind,
        entry_id=entry_id,
        dose=timeline_dose(sets, rest, lead_in, runner_cadence),
        speed=speed,
        output="json" if as_json else "plain" if plain else "auto",
        dry_run=dry_run,
        title=title,
        wait=wait,
        sound=SoundRequest(
            voice=voice, sound=sound, cadence=cadence, voice_name=voice_name, rate=rate
        ),
        log=log,
    )
    outcome = play_session(request, current_terminal(), warn)
    if request.dry_run:
        from pose_coach.output import print_timeline

        print_timeline(outcome.timeline, outcome.format)
    elif outcome.result is not None and outcome.format != "live":
        # the live view leaves its own summary on the screen
        say(f"pose-coach: {outcome.result.summary()}")
    if outcome.unrecorded:
        warn(outcome.unrecorded)
    return outcome.exit_code


@click.command()
@click.argument("drill_id", metavar="ID", shell_complete=complete_ids("drill"))
@session_options
def drill(drill_id: str, **options: Any) -> int:
    """Play a drill as a coached, timed session.

    A 3-2-1 countdown, then each cue at its moment. In the live view: space
    pauses, n skips to the next step, + / - add or take 10 s, m mutes, q quits.
    A run-out lasts its seconds and the session goes on (Enter ends it early;
    --wait makes it wait for Enter).
    Piped, it prints one line per event; --json prints JSON Lines.

    \b
    Example:
      pose-coach drill fall
      pose-coach drill pose --sets 2 --rest 20
      pose-coach drill fall --json --speed 10 | jq .event
    """
    return _play("drill", drill_id, **options)


@click.command()
@click.argument("routine_id", metavar="ID", shell_complete=complete_ids("routine"))
@session_options
def routine(routine_id: str, **options: Any) -> int:
    """Play a routine: several drills in a row, with rests.

    Same keys and outputs as `pose-coach drill`.

    \b
    Example:
      pose-coach routine warmup
      pose-coach routine warmup --json --speed 100 > warmup.jsonl
    """
    return _play("routine", routine_id, **options)
