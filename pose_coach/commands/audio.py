"""``render`` and ``doctor``, and the sound of live sessions (see docs/audio.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pose_coach.commands.common import (
    apply_options,
    complete_ids,
    current_terminal,
    dose_options,
    json_option,
    load_library,
    output_option,
    say,
    sound_options,
    warn,
)
from pose_coach.errors import ExitCode, SessionStopped, printable

if TYPE_CHECKING:
    from pose_coach.audio.doctor import Check

# -- render -----------------------------------------------------------------------------


@click.command()
@click.argument("entry_id", metavar="ID", shell_complete=complete_ids(None))
@output_option(
    "The audio file: .wav, or .mp3/.ogg/.m4a through ffmpeg; - for WAV on stdout.",
    required=True,
)
@click.option(
    "--chapters",
    type=click.Choice(["cue", "txt"]),
    is_flag=False,
    flag_value="cue",
    default=None,
    help="Also write a chapter list beside the file: FILE.cue (default) or FILE.txt.",
)
@apply_options(dose_options() + sound_options(live=False))
@json_option
def render(
    entry_id: str,
    output: str,
    chapters: str | None,
    lead_in: float,
    sets: int | None,
    rest: float | None,
    as_json: bool,
    runner_cadence: int | None = None,
    **sound: Any,
) -> None:
    """Render a drill or routine to one audio file, to play on a phone.

    Speech at each cue's moment, the beeps and the metronome of a live session, in a
    file exactly as long as the session. Written atomically: an interrupted render or a
    full disk leaves no partial file.

    \b
    Example:
      pose-coach render warmup -o warmup.mp3
      pose-coach render fall -o fall.wav --sets 2 --cadence 180 --chapters
    """
    from dataclasses import replace

    from pose_coach.atomic import AtomicFiles
    from pose_coach.audio.plan import plan_audio
    from pose_coach.audio.setup import SoundRequest, prepare_bank, resolve_render
    from pose_coach.commands.common import timeline_dose
    from pose_coach.errors import display_path
    from pose_coach.output_target import OutputTarget, wrote
    from pose_coach.progress import progress_bar
    from pose_coach.render.audio import (
        chapters_path,
        encoder_command,
        file_size,
        output_format,
        render_audio,
        write_chapters,
    )
    from pose_coach.timeline import compile_session

    target = OutputTarget.parse(output)
    terminal = current_terminal()
    if target.path is not None:
        suffix = output_format(target.path)  # an unknown suffix or a missing encoder fails now
        if suffix != ".wav":
            encoder_command(suffix, target.path)
        target.check()
        if chapters:
            OutputTarget(chapters_path(target.path, chapters)).check()
    elif chapters:
        raise click.BadParameter("needs a file name, not -", param_hint="'--chapters'")
    target.refuse_binary_on_terminal(terminal, "audio", f"{entry_id}.wav")
    catalog = load_library(entry_id)
    entry = catalog.get(entry_id)
    dose = timeline_dose(sets, rest, lead_in, runner_cadence)
    timeline = compile_session(entry, catalog.entries, dose)
    setup = resolve_render(SoundRequest(**sound))
    name = target.path.name if target.path is not None else "audio"
    written = None
    try:
        with progress_bar(terminal, "Preparing speech", "clips") as update:
            bank = prepare_bank(timeline, setup, update)
        for message in setup.warnings:
            warn(message)
        plan = plan_audio(timeline, bank.durations(), setup.options)
        # the audio file and its chapter list appear together, or neither does
        with AtomicFiles() as files:
            with progress_bar(terminal, f"Rendering {name}", "s") as update:
                result = render_audio(plan, bank, target, timeline.title, update, files)
            if chapters and target.path is not None:
                written = write_chapters(timeline, target.path, chapters, files)
    except KeyboardInterrupt as stop:  # Ctrl-C, or any termination signal
        stopped = SessionStopped("render interrupted; no file was written")
        stopped.exit_code = getattr(stop, "exit_code", stopped.exit_code)
        raise stopped from None
    if target.path is not None:
        result = replace(result, bytes=file_size(target.path))
    if written is not None:
        result = replace(result, chapters=display_path(written))
    if as_json:
        from pose_coach.output import print_json

        print_json(result.to_dict())
    elif result.path != "-":
        from pose_coach import words

        size = f", {result.bytes / 1e6:.1f} MB" if result.bytes else ""
        extra = f" and {result.chapters}" if result.chapters else ""
        click.echo(wrote(result.path, f"{words.clock(result.seconds)}{size}") + extra, err=True)


# -- doctor -----------------------------------------------------------------------------


@click.command()
# first named --sound-test so the `sound` setting (config, POSE_COACH_SOUND) never turns it on
@click.option(
    "--sound-test",
    "--sound",
    "test_sound",
    is_flag=True,
    help="Also play a test beep and a spoken sentence.",
)
@json_option
def doctor(test_sound: bool, as_json: bool) -> ExitCode:
    """Check the speech engine, audio player, encoders and folders; say what to install.

    Exits 1 when a spoken session is not possible (no speech engine or player), or when
    --sound could not play; missing encoders only limit `render` formats. The video
    lines say whether `pose-coach form` can run: OpenCV (and the system libraries it
    loads), MediaPipe, and the model file it uses, checked by size and hash.

    \b
    Example:
      pose-coach doctor
      pose-coach doctor --sound
    """
    from pose_coach.audio.doctor import all_checks, platform_name

    checks = all_checks() + _video_checks()
    played: dict[str, Any] | None = None
    if test_sound:
        played = _play_test_sound()
    ok = all(c.found for c in checks if c.required) and (played is None or played["ok"])
    if as_json:
        from pose_coach.output import print_json

        data: dict[str, Any] = {
            "ok": ok,
            "platform": sys.platform,
            "checks": [c.to_dict() for c in checks],
        }
        if played is not None:
            data["sound_test"] = played
        print_json(data)
    else:
        _print_checks(checks, platform_name(), current_terminal().styled)
        if played is not None:
            click.echo(printable(f"sound test: {played['message']}"))
    return ExitCode.OK if ok else ExitCode.ERROR


def _video_checks() -> list[Check]:
    """The form check's stack, as doctor lines: never required for a spoken session."""
    from pose_coach.audio.doctor import Check
    from pose_coach.video.doctor import video_checks

    return [
        Check(
            c.name,
            c.label,
            c.found,
            c.value,
            False,
            c.install,
            note=c.note,
        )
        for c in video_checks()
    ]


def _print_checks(checks: list[Check], platform: str, colour: bool) -> None:
    """One aligned line per item (never cut short: paths and install commands are long)."""
    styles = {"ok": "green", "MISSING": "red", "missing": "yellow"}
    click.echo(f"pose-coach doctor ({platform})")
    for check in checks:
        parts = [check.value or ""]
        if not check.found and check.install:
            parts = [f"install: {check.install}"]
        elif check.note:
            parts.append(f"({check.note})")
        if check.source == "config file" or (check.source or "").startswith("env "):
            parts.append(f"[from {check.source}]")
        state = f"{check.state:<8}"
        if colour and check.state in styles:
            state = click.style(state, fg=styles[check.state], bold=check.state == "MISSING")
        detail = printable("  ".join(p for p in parts if p))  # paths: POSE_COACH_HOME
        click.echo(f"{check.label:<16}{state} {detail}".rstrip())


def _play_test_sound() -> dict[str, Any]:
    """Play a beep, then speak a sentence; report what happened."""
    import tempfile

    from pose_coach.audio.doctor import test_sound_files
    from pose_coach.audio.players import configured_player, find_player, missing_player_error
    from pose_coach.audio.speech import Voice, configured_engine, find_engine, missing_engine_error

    player_setting = configured_player()
    player = find_player(player_setting)
    if player is None:
        return {"ok": False, "message": missing_player_error(player_setting).message}
    with tempfile.TemporaryDirectory(prefix="pose-coach-doctor-") as tmp:
        beep, sentence = test_sound_files(Path(tmp))
        say("sound test: playing a beep...")
        player.play(beep)
        player.wait(10)
        failures = player.failures()
        if failures:
            return {"ok": False, "message": failures[0]}
        engine_setting = configured_engine()
        engine = find_engine(engine_setting)
        if engine is None:
            return {
                "ok": False,
                "message": "beep played; " + missing_engine_error(engine_setting).message,
            }
        from pose_coach.audio.clips import write_wav
        from pose_coach.audio.speech import synthesise
        from pose_coach.errors import PoseCoachError

        try:
            samples = synthesise(Voice(engine), sentence)
        except PoseCoachError as error:
            return {"ok": False, "message": f"beep played; speech failed: {error.message}"}
        spoken = Path(tmp) / "speech.wav"
        write_wav(spoken, samples)
        say(f"sound test: speaking {sentence!r}...")
        player.play(spoken)
        player.wait(20)
        failures = player.failures()
        if failures:
            return {"ok": False, "message": failures[0]}
    return {
        "ok": True,
        "message": f"played a beep and a sentence through {player.name}; "
        "if you heard nothing, check the volume and the output device",
    }
