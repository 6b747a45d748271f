"""Sound in real `drill` runs: the player's exact command line, failures, missing programs,
when sound is on by default, and a smoke test with the real `aplay -D null`."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pose_coach.audio.players import CommandPlayer, find_player, player_argv
from pose_coach.audio.programs import install_hint
from pose_coach.audio.setup import SoundRequest, resolve_live

TINY = """
title: Tiny
phase: pose
summary: Two one-second steps, for sound tests.
steps:
  - cue: Stand tall
    seconds: 1
  - cue: Lean
    seconds: 1
    checkpoint: true
"""

FAST = ("--plain", "--speed", "5", "--lead-in", "1", "--no-log")


@pytest.fixture
def tiny(user_drill):
    return user_drill("tiny", TINY)


def test_the_player_gets_exactly_its_arguments_and_one_file_per_step(cli, tiny, fake_bin):
    fake_bin.espeak()
    aplay = fake_bin.player("aplay")
    result = cli("drill", "tiny", "--sound", *FAST)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    calls = fake_bin.calls("aplay")
    assert len(calls) == 3  # the countdown second and the two steps
    for argv in calls:
        assert argv[:2] == [str(aplay), "-q"] and len(argv) == 3
        assert argv[2].endswith(".wav") and "pose-coach-sound-" in argv[2]
    assert not Path(calls[0][2]).exists()  # the session's sound folder is cleaned up


def test_a_failing_player_warns_once_and_the_session_completes(cli, tiny, fake_bin, monkeypatch):
    fake_bin.espeak()
    fake_bin.player("aplay")
    monkeypatch.setenv("FAKE_PLAYER_EXIT", "1")
    result = cli("drill", "tiny", "--sound", "--plain", "--lead-in", "0", "--no-log")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "warning" in line]
    assert warnings == [
        "pose-coach: warning: sound: aplay failed (exit 1: aplay: main:831: audio open error: "
        "No such file or directory); the session goes on"
    ]
    assert result.stdout.splitlines()[-1].endswith("session_end  end")


def test_the_player_setting_overrides_the_search(cli, tiny, fake_bin, monkeypatch, tmp_path):
    fake_bin.espeak()
    mine = fake_bin.player("myplayer")
    fake_bin.player("aplay")
    monkeypatch.setenv("POSE_COACH_PLAYER", "myplayer --device 'my card'")
    result = cli("drill", "tiny", "--sound", *FAST)
    assert result.exit_code == 0, result.output
    assert fake_bin.calls("aplay") == []
    assert [c[:3] for c in fake_bin.calls("myplayer")][0] == [str(mine), "--device", "my card"]


def test_speech_engine_setting_and_voice_options_reach_the_engine(cli, tiny, fake_bin, monkeypatch):
    fake_bin.player("aplay")
    engine = fake_bin.espeak("my-espeak")
    monkeypatch.setenv("POSE_COACH_SPEECH_ENGINE", str(engine))
    result = cli("drill", "tiny", "--voice", "--voice-name", "en-gb", "--rate", "150", *FAST)
    assert result.exit_code == 0, result.output
    calls = fake_bin.calls("my-espeak")
    texts = {argv[-1] for argv in calls}
    assert {"Stand tall", "Lean"} <= texts
    for argv in calls:
        assert argv[:4] == ["-v", "en-gb", "-s", "150"] and argv[4] == "-w" and argv[6] == "--"
    # cached: a second run speaks without calling the engine again
    again = cli("drill", "tiny", "--voice", "--voice-name", "en-gb", "--rate", "150", *FAST)
    assert again.exit_code == 0 and len(fake_bin.calls("my-espeak")) == len(calls)


def test_explicit_voice_without_a_speech_program_exits_1_before_the_session(cli, tiny, fake_bin):
    fake_bin.player("aplay")
    result = cli("drill", "tiny", "--voice", *FAST)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: no speech engine found: espeak-ng is not on PATH "
        f"(install: {install_hint('espeak-ng')})\n"
    )
    assert result.stdout == "" and fake_bin.calls("aplay") == []


def test_voice_from_the_environment_counts_as_asked(cli, tiny, fake_bin, monkeypatch):
    fake_bin.player("aplay")
    monkeypatch.setenv("POSE_COACH_VOICE", "1")
    result = cli("drill", "tiny", *FAST)
    assert result.exit_code == 1 and "no speech engine found" in result.stderr


def test_explicit_cadence_without_a_player_exits_1(cli, tiny, fake_bin):
    fake_bin.espeak()
    result = cli("drill", "tiny", "--cadence", "180", *FAST)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: no audio player found: none of pw-play, paplay, aplay is on PATH "
        f"(install: {install_hint('aplay')})\n"
    )


def test_sound_without_a_speech_engine_warns_and_plays_the_beeps(cli, tiny, fake_bin):
    fake_bin.player("aplay")
    result = cli("drill", "tiny", "--sound", *FAST)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "pose-coach: warning: no speech engine found: espeak-ng is not on PATH "
        f"(install: {install_hint('espeak-ng')}); the cues are not spoken"
    )
    assert len(fake_bin.calls("aplay")) == 3


def test_default_sound_without_programs_warns_and_the_session_runs_silently(fake_bin):
    """The default (live view, normal speed) never fails for want of a program."""
    setup = resolve_live(SoundRequest(), default_on=True)
    assert setup.silent and setup.player is None
    assert setup.warnings == [
        "no audio player found: none of pw-play, paplay, aplay is on PATH "
        f"(install: {install_hint('aplay')}); the session runs without sound"
    ]
    fake_bin.player("aplay")
    setup = resolve_live(SoundRequest(), default_on=True)
    assert setup.player is not None and setup.voice is None
    assert setup.options.beeps and not setup.options.voice
    assert setup.warnings[0].endswith("; the cues are not spoken")


def test_what_each_request_turns_on(fake_bin):
    fake_bin.espeak()
    fake_bin.player("aplay")

    def on(request, default_on=False):
        o = resolve_live(request, default_on).options
        return (o.voice, o.beeps, o.metronome, o.cadence)

    assert on(SoundRequest()) == (False, False, False, None)  # a script's run: silent
    assert on(SoundRequest(), default_on=True) == (True, True, True, None)
    assert on(SoundRequest(cadence=180)) == (False, True, True, 180)
    assert on(SoundRequest(sound=True)) == (True, True, True, None)
    assert on(SoundRequest(voice=True)) == (True, True, True, None)
    assert on(SoundRequest(voice=False), default_on=True) == (False, True, True, None)
    assert on(SoundRequest(sound=False, voice=True, cadence=170)) == (False, False, False, None)


def test_sound_is_off_by_default_in_plain_and_json_runs(cli, tiny, fake_bin):
    fake_bin.espeak()
    fake_bin.player("aplay")
    for fmt in ("--plain", "--json"):
        result = cli("drill", "tiny", fmt, "--speed", "20", "--lead-in", "0", "--no-log")
        assert result.exit_code == 0, result.output
    assert fake_bin.calls("aplay") == [] and fake_bin.calls("espeak-ng") == []


def test_a_silent_run_imports_no_sound_machinery(tiny):
    """A script's --plain or --json run decides it is silent before importing the mixer,
    the players or the speech engines."""
    code = (
        "import sys\n"
        "from pose_coach.cli import cli\n"
        "try:\n"
        "    cli(sys.argv[1:], prog_name='pose-coach')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('pose_coach.audio')\n"
        "             or m == 'pose_coach.sinks.speech'), file=sys.stderr)\n"
    )
    for fmt in ("--plain", "--json"):
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                code,
                "drill",
                "tiny",
                fmt,
                "--speed",
                "100",
                "--lead-in",
                "0",
                "--no-log",
            ],
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr.splitlines()[-1] == "['pose_coach.audio', 'pose_coach.audio.setup']"


def test_no_sound_wins_over_everything(cli, tiny, fake_bin):
    result = cli("drill", "tiny", "--no-sound", "--voice", "--cadence", "170", *FAST)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr


def test_dry_run_plays_nothing(cli, tiny, fake_bin):
    fake_bin.player("aplay")
    result = cli("drill", "tiny", "--dry-run", "--sound")
    assert result.exit_code == 0 and fake_bin.calls("aplay") == []


def test_player_search_prefers_a_running_sound_server(fake_bin, monkeypatch, tmp_path):
    for name in ("pw-play", "paplay", "aplay"):
        fake_bin.player(name)
    assert player_argv("linux") == [str(fake_bin.folder / "aplay"), "-q"]  # no server
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    (runtime / "pulse" / "native").touch()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    assert player_argv("linux") == [str(fake_bin.folder / "paplay")]
    (runtime / "pipewire-0").touch()
    assert player_argv("linux") == [str(fake_bin.folder / "pw-play")]


def test_command_player_reports_a_failure_once_with_its_message(fake_bin, monkeypatch, tmp_path):
    fake_bin.player("aplay")
    monkeypatch.setenv("FAKE_PLAYER_EXIT", "1")
    player = find_player()
    assert isinstance(player, CommandPlayer)
    clip = tmp_path / "x.wav"
    clip.write_bytes(b"RIFF")
    player.play(clip)
    player.wait(10)
    assert player.failures() == [
        "aplay failed (exit 1: aplay: main:831: audio open error: No such file or directory)"
    ]
    assert player.failures() == []


def test_a_stopped_player_is_not_a_failure(fake_bin, tmp_path):
    fake_bin.add("aplay", "#!{python}\nimport time\ntime.sleep(30)\n")
    player = find_player()
    player.play(tmp_path / "x.wav")
    player.stop()
    player.close()
    assert player.failures() == []


@pytest.mark.skipif(shutil.which("aplay") is None, reason="needs aplay (alsa-utils)")
def test_smoke_real_aplay_to_the_null_device(cli, tiny, monkeypatch):
    monkeypatch.setenv("POSE_COACH_PLAYER", "aplay -q -D null")
    if shutil.which("espeak-ng") is None:
        monkeypatch.setenv("POSE_COACH_VOICE", "0")
    result = cli("drill", "tiny", "--sound", "--plain", "--lead-in", "0", "--no-log")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr, result.stderr


@pytest.mark.pty
def test_live_view_has_sound_by_default_and_only_warns_without_speech(tiny, fake_bin):
    """In a real terminal at normal speed sound is on; with no speech engine the session
    warns once and completes, playing its beeps."""
    pexpect = pytest.importorskip("pexpect")
    fake_bin.player("aplay")
    env = {**os.environ, "TERM": "xterm-256color"}
    argv = ["-X", "faulthandler", "-m", "pose_coach", "drill", "tiny", "--lead-in", "1", "--no-log"]
    child = pexpect.spawn(
        sys.executable, argv, env=env, encoding="utf-8", timeout=30, dimensions=(24, 80)
    )
    try:
        child.expect(pexpect.EOF)
    except pexpect.TIMEOUT:  # show where it hangs: faulthandler prints every thread
        os.kill(child.pid, signal.SIGABRT)
        child.expect(pexpect.EOF, timeout=5)
        pytest.fail(child.before)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "no speech engine found" in child.before
    calls = fake_bin.calls("aplay")
    assert calls[0][1:] == ["-l"]  # the live view first asks for a sound card
    assert len(calls[1:]) == 3


def test_voice_without_engine_or_player_names_both_and_one_install_command(cli, tiny, fake_bin):
    from pose_coach.audio.programs import speech_and_player_install_hint

    result = cli("drill", "tiny", "--voice", *FAST)
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: no speech engine and no audio player found: espeak-ng is not on "
        "PATH, nor any of pw-play, paplay, aplay "
        f"(install both: {speech_and_player_install_hint()})\n"
    )
    assert speech_and_player_install_hint("linux").endswith(" espeak-ng alsa-utils")
