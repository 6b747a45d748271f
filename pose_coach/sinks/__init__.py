"""Sinks take a session's events as they fire; this is the one place that chooses them.

``choose_format`` turns the requested output and the terminal into 'live', 'plain' or
'json'; ``display_sink`` and ``sound_sinks`` build what shows and sounds the session,
from plain values: no command options reach this far.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from pose_coach.terminal import Terminal

if TYPE_CHECKING:
    from pose_coach.audio.setup import SoundRequest, SoundSetup
    from pose_coach.audio.status import SoundStatus
    from pose_coach.play.scheduler import Sink
    from pose_coach.timeline import Timeline

OUTPUTS = ("auto", "plain", "json")  # what a session may ask for


def choose_format(requested: str, terminal: Terminal) -> str:
    """'json' or 'plain' when asked; for 'auto', 'live' on a terminal, else 'plain'."""
    if requested in ("json", "plain"):
        return requested
    return "live" if terminal.interactive else "plain"


def display_sink(
    fmt: str,
    stream: TextIO,
    terminal: Terminal,
    *,
    title: bool = True,
    checkpoints: Mapping[str, Sequence[str]] | None = None,
    sound: SoundStatus | None = None,
) -> Sink:
    """The sink that shows the session in ``fmt`` on ``stream``."""
    if fmt == "json":
        from pose_coach.sinks.jsonl import JsonSink

        return JsonSink(stream)
    if fmt == "live":
        from pose_coach.sinks.live import LiveSink

        return LiveSink(stream, terminal, title=title, checkpoints=checkpoints, sound=sound)
    from pose_coach.sinks.plain import PlainSink

    return PlainSink(stream)


# Above this speed speech no longer fits its steps: sound is then off unless asked for.
SOUND_MAX_SPEED = 2.0


def sound_sinks(
    timeline: Timeline,
    fmt: str,
    speed: float,
    request: SoundRequest,
    terminal: Terminal,
    warn: Callable[[str], None],
    wait: bool = False,
    status: SoundStatus | None = None,
) -> list[Sink]:
    """The live sound sink for a session, or none; speech is synthesised here, up front.

    Sound is on by default only in the live view, up to ``--speed 2``; a missing program
    is an error when sound was asked for, else a warning (docs/audio.md). ``status`` (the
    live view's) learns what is on, why sound is off, and any problem found.
    """
    default_on = fmt == "live" and speed <= SOUND_MAX_SPEED
    voice_or_beeps = request.live_parts(default_on)
    if status is not None and not any(voice_or_beeps) and request.sound is not False:
        if speed > SOUND_MAX_SPEED and not request.explicit:
            # short: it must fit the live view's line at 80 columns
            status.why_off = f"off at --speed {speed:g}: speech would not fit (--sound turns it on)"
    if not any(voice_or_beeps):
        return []  # a silent run (--plain, --json, --no-sound) loads no sound machinery
    from pose_coach.audio.setup import prepare_bank, resolve_live
    from pose_coach.progress import progress_bar

    setup = resolve_live(request, default_on)
    bank = None
    if not setup.silent:
        with progress_bar(terminal, "Preparing speech", "clips") as update:
            bank = prepare_bank(timeline, setup, update)
    if status is not None:
        _tell_status(status, setup)
    for message in setup.warnings:
        warn(message)
    if setup.silent or setup.player is None or bank is None:
        return []
    from dataclasses import replace

    from pose_coach.sinks.speech import SoundSink

    # open steps that wait for a key get no countdown (the keys end them, not time)
    options = replace(setup.options, open_waits=wait and fmt == "live" and terminal.stdin_keys)
    return [SoundSink(bank, options, setup.player, warn, speed=speed, status=status)]


def _tell_status(status: SoundStatus, setup: SoundSetup) -> None:
    """What the live view shows of the sound before the first cue: what is on, and the
    first problem (a missing program, a machine without a sound card)."""
    options = setup.options
    status.voice, status.beeps, status.metronome = (
        options.voice,
        options.beeps,
        options.metronome,
    )
    if setup.warnings:
        status.fail(setup.warnings[0])
    player = setup.player
    argv = getattr(player, "argv", None)
    if argv and not setup.silent:
        from pose_coach.audio.players import output_problem

        problem = output_problem(argv)
        if problem:
            status.fail(problem)
