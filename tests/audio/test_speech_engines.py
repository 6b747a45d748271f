"""Speech engines and the clip cache: exact arguments, lying exit codes, voices, caching."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.clips import holds_sound
from pose_coach.audio.speech import (
    SpeechEngine,
    SpeechError,
    Voice,
    find_engine,
    speech_cache_dir,
    synthesise,
    synthesise_all,
)
from pose_coach.errors import UsageError


def test_espeak_gets_the_text_as_one_argument_after_a_double_dash(fake_bin):
    fake_bin.espeak()
    voice = Voice(find_engine(), "en-us", 170)
    samples = synthesise(voice, "-5 degrees — lean; rm -rf /")
    assert holds_sound(samples)
    (argv,) = fake_bin.calls("espeak-ng")
    out = argv[5]
    assert argv == ["-v", "en-us", "-s", "170", "-w", out, "--", "-5 degrees — lean; rm -rf /"]
    assert Path(out).parent.parent == speech_cache_dir()


def test_clips_are_cached_by_text_voice_rate_and_engine(fake_bin):
    fake_bin.espeak()
    engine = find_engine()
    synthesise(Voice(engine), "Lean")
    synthesise(Voice(engine), "Lean")
    assert len(fake_bin.calls("espeak-ng")) == 1
    synthesise(Voice(engine, "en-gb"), "Lean")
    synthesise(Voice(engine, rate=200), "Lean")
    synthesise(Voice(engine), "Pull")
    assert len(fake_bin.calls("espeak-ng")) == 4
    assert len(list(speech_cache_dir().glob("*.wav"))) == 4


def test_a_damaged_cache_entry_is_made_again(fake_bin):
    fake_bin.espeak()
    voice = Voice(find_engine())
    synthesise(voice, "Lean")
    voice.clip_path("Lean").write_bytes(b"RIFF garbage")
    assert holds_sound(synthesise(voice, "Lean"))
    assert len(fake_bin.calls("espeak-ng")) == 2


@pytest.mark.parametrize("mode", ["nothing", "silent"])
def test_exit_0_with_no_sound_written_is_an_error(fake_bin, monkeypatch, mode):
    fake_bin.espeak()
    monkeypatch.setenv("FAKE_ESPEAK_MODE", mode)
    with pytest.raises(SpeechError, match=r"espeak-ng wrote no sound for 'Lean'"):
        synthesise(Voice(find_engine()), "Lean")
    assert not list(speech_cache_dir().glob("*.wav"))  # nothing bad is cached


def test_an_unknown_voice_is_a_usage_error_with_a_hint(fake_bin):
    fake_bin.espeak()
    with pytest.raises(UsageError) as caught:
        synthesise(Voice(find_engine(), "nosuch"), "Lean")
    assert caught.value.message == "espeak-ng has no voice 'nosuch'"
    assert caught.value.hint == "list voices with: espeak-ng --voices"


def test_an_unknown_voice_name_stops_a_render_with_exit_2(cli, tmp_path, fake_bin):
    fake_bin.espeak()
    result = cli("render", "pose", "-o", str(tmp_path / "p.wav"), "--voice-name", "nosuch")
    assert result.exit_code == 2
    assert result.stderr == (
        "pose-coach: error: espeak-ng has no voice 'nosuch'\n"
        "  hint: list voices with: espeak-ng --voices\n"
    )


def test_all_clips_are_made_in_parallel_with_progress(fake_bin):
    fake_bin.espeak()
    seen = []
    texts = [f"Cue number {n}" for n in range(12)] + ["Cue number 3", ""]
    clips = synthesise_all(
        Voice(find_engine()), texts, lambda done, total: seen.append((done, total)), workers=4
    )
    assert list(clips) == [f"Cue number {n}" for n in range(12)]  # unique, in order
    assert seen[0] == (0, 12) and seen[-1] == (12, 12)
    assert len(fake_bin.calls("espeak-ng")) == 12
    seen.clear()
    synthesise_all(Voice(find_engine()), texts + ["One more"], lambda d, t: seen.append((d, t)))
    assert seen == [(0, 1), (1, 1)]  # only new clips count
    seen.clear()
    synthesise_all(Voice(find_engine()), texts, lambda d, t: seen.append((d, t)))
    assert seen == []  # all cached: no progress bar at all


def test_engine_search_order_and_override(fake_bin):
    assert find_engine() is None
    fake_bin.espeak("espeak")
    assert find_engine().argv == (str(fake_bin.folder / "espeak"),)
    fake_bin.espeak("espeak-ng")
    assert find_engine().argv == (str(fake_bin.folder / "espeak-ng"),)
    custom = fake_bin.espeak("my-tts")
    assert find_engine([str(custom), "-a", "150"]) == SpeechEngine(
        "espeak-ng", (str(custom), "-a", "150")
    )
    assert find_engine(["not-installed"]) is None


def test_macos_say_and_windows_speech_commands(tmp_path):
    out = tmp_path / "c.wav"
    say = SpeechEngine("say", ("/usr/bin/say",))
    argv, env = say.command("Lean", out, "Samantha", 180)
    assert argv == [
        "/usr/bin/say",
        "-v",
        "Samantha",
        "-r",
        "180",
        "-o",
        str(out),
        "--data-format=LEI16@22050",
        "--",
        "Lean",
    ]
    assert env is None
    windows = SpeechEngine("windows", ("powershell.exe",))
    argv, env = windows.command('Say "hi"; Remove-Item *', out, None, 220)
    assert argv[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-Command"]
    assert "hi" not in argv[4]  # the text travels in the environment, never in the script
    assert env == {
        "PC_TEXT": 'Say "hi"; Remove-Item *',
        "PC_OUT": str(out),
        "PC_VOICE": "",
        "PC_RATE": "2",
    }


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
def test_real_espeak_ng_clip_is_22050_hz_speech_of_plausible_length():
    samples = synthesise(Voice(find_engine(["espeak-ng"])), "Lean from the ankles, not the waist")
    seconds = len(samples) / SAMPLE_RATE
    assert 1.0 < seconds < 4.0 and holds_sound(samples)
    assert abs(samples[0]) < 2000  # trimmed to the speech, starting quietly
