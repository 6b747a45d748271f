"""`pose-coach render`: real drills rendered and analysed; formats, chapters, atomic writes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sound_helpers import first_loud, read_samples

from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.mixer import sample_at
from pose_coach.audio.plan import AudioOptions, Sound, plan_audio, speech_texts
from pose_coach.audio.programs import install_hint
from pose_coach.audio.speech import Voice, find_engine, synthesise_all
from pose_coach.library.catalog import load_catalog
from pose_coach.render.audio import chapter_list, cue_sheet
from pose_coach.timeline import Dose, EventKind, compile_timeline

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


def timeline_of(entry_id: str, **dose):
    catalog = load_catalog()
    return compile_timeline(catalog.entries[entry_id], catalog.entries, Dose(**dose))


def sounding(plan) -> list[tuple[float, float]]:
    """Merged (start, end) stretches where the plan has something sounding."""
    spans = sorted((p.at, p.end) for p in plan.placements)
    merged: list[list[float]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


@needs_espeak
def test_a_rendered_drill_lasts_its_timeline_speaks_at_each_onset_and_is_silent_between(
    cli, tmp_path
):
    out = tmp_path / "fall.wav"
    result = cli("render", "fall", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("pose-coach: wrote ")
    tl = timeline_of("fall")
    samples = read_samples(out)
    assert abs(len(samples) / SAMPLE_RATE - tl.total) <= 0.05
    if shutil.which("soxi"):
        seconds = float(
            subprocess.run(
                ["soxi", "-D", str(out)], capture_output=True, text=True, check=True
            ).stdout
        )
        assert abs(seconds - tl.total) <= 0.05
    # the same plan the renderer used (the clips are cached now)
    voice = Voice(find_engine())
    clips = synthesise_all(voice, speech_texts(tl, AudioOptions()))
    plan = plan_audio(tl, {t: len(c) / SAMPLE_RATE for t, c in clips.items()}, AudioOptions())
    cues = [p for p in plan.speech() if p.role == "cue"]
    assert len(cues) >= tl.step_count - 1
    for p in plan.speech():
        onset = sample_at(p.at)
        energy = first_loud(samples, onset)
        assert energy is not None and (energy - onset) / SAMPLE_RATE <= 0.1, p
    for a, b in zip(sounding(plan), sounding(plan)[1:], strict=False):
        gap = samples[sample_at(a[1]) + 1 : sample_at(b[0]) - 1]
        assert not any(gap), (a, b)  # digital silence between sounds


@needs_espeak
def test_metronome_clicks_in_a_rendered_file_are_60_over_cadence_apart(cli, tmp_path):
    out = tmp_path / "pony.wav"
    result = cli("render", "pony", "-o", str(out), "--no-voice", "--sets", "1")
    assert result.exit_code == 0, result.output
    samples = read_samples(out)
    plan = plan_audio(timeline_of("pony", sets=1), {}, AudioOptions(voice=False))
    runs = [p for p in plan.placements if p.sound is Sound.METRONOME]
    assert runs and {p.cadence for p in runs} == {180}
    tones = [p for p in plan.placements if p.sound is Sound.TONE]
    checked = 0
    for run in runs:
        onsets = []
        i = sample_at(run.at + 0.25)
        while (i := first_loud(samples, i, level=0)) is not None and i < sample_at(run.end):
            t = i / SAMPLE_RATE
            if not any(p.at - 0.02 <= t <= p.end + 0.02 for p in tones):
                onsets.append(t)
            i += int(0.1 * SAMPLE_RATE)
        for a, b in zip(onsets, onsets[1:], strict=False):
            if b - a < 0.5:  # neighbours (a tone may hide one click)
                assert abs((b - a) - 60 / 180) <= 0.001
                checked += 1
    assert checked > 20


@needs_ffmpeg
@pytest.mark.parametrize("suffix", [".mp3", ".ogg", ".m4a"])
def test_compressed_formats_go_through_ffmpeg(cli, tmp_path, suffix):
    out = tmp_path / f"fall{suffix}"
    result = cli("render", "fall", "-o", str(out), "--no-voice", "--sets", "1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == suffix[1:] and data["encoder"] == "ffmpeg"
    assert data["bytes"] == out.stat().st_size > 1000
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert abs(float(probe.stdout) - timeline_of("fall", sets=1).total) < 0.15
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no leftovers


def test_wav_needs_no_program_at_all(cli, tmp_path, fake_bin):
    out = tmp_path / "pose.wav"
    result = cli("render", "pose", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[0] == (
        "pose-coach: warning: no speech engine found: espeak-ng is not on PATH "
        f"(install: {install_hint('espeak-ng')}); the cues are not spoken"
    )
    assert abs(len(read_samples(out)) / SAMPLE_RATE - timeline_of("pose").total) < 0.05


def test_explicit_voice_without_an_engine_is_an_error_before_any_work(cli, tmp_path, fake_bin):
    out = tmp_path / "pose.wav"
    result = cli("render", "pose", "-o", str(out), "--voice")
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: no speech engine found: espeak-ng is not on PATH "
        f"(install: {install_hint('espeak-ng')})\n"
    )
    assert not out.exists()


def test_mp3_without_any_encoder_says_what_to_install(cli, tmp_path, fake_bin):
    result = cli("render", "pose", "-o", str(tmp_path / "pose.mp3"), "--no-voice")
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: cannot write .mp3 files: no encoder found (ffmpeg, lame or sox "
        f"with MP3 support); install: {install_hint('ffmpeg')}, or render to .wav\n"
    )
    assert list(tmp_path.glob("pose*")) == []


def test_lame_is_the_mp3_fallback(tmp_path, fake_bin):
    from pose_coach.render.audio import encoder_command

    fake_bin.add("lame", "#!/bin/sh\nexit 0\n")
    assert encoder_command(".mp3", tmp_path / "x.mp3") == [
        str(fake_bin.folder / "lame"),
        "--quiet",
        "-V",
        "6",
        "-",
        str(tmp_path / "x.mp3"),
    ]


def test_a_failing_encoder_is_quoted_by_its_last_line_however_much_it_wrote(
    cli, tmp_path, fake_bin
):
    # (shell builtins only: the fake PATH holds nothing else)
    fake_bin.add(
        "ffmpeg",
        "#!/bin/sh\ni=0\nwhile [ $i -lt 300 ]; do\n"
        "  echo 'a warning of no interest' >&2; i=$((i + 1))\ndone\n"
        "echo 'Unknown encoder libmp3lame' >&2\nexit 1\n",
    )
    result = cli("render", "pose", "-o", str(tmp_path / "pose.mp3"), "--no-voice")
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: ffmpeg could not encode .mp3: Unknown encoder libmp3lame\n"
    )
    assert list(tmp_path.glob("*pose*")) == []


def test_unknown_format_is_a_usage_error(cli, tmp_path):
    result = cli("render", "pose", "-o", str(tmp_path / "pose.flac"))
    assert result.exit_code == 2
    assert "unknown audio format '.flac'" in result.stderr
    assert "hint: end the file name in .wav, .mp3, .ogg or .m4a" in result.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_is_one_line_and_exit_1(cli):
    result = cli("render", "pose", "-o", "/dev/full", "--no-voice")
    assert result.exit_code == 1
    assert result.stderr == (
        "pose-coach: error: cannot write /dev/full: no space left on the device\n"
    )


def test_a_missing_folder_is_one_line_and_exit_1(cli, tmp_path):
    result = cli("render", "pose", "-o", str(tmp_path / "nope" / "pose.wav"), "--no-voice")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith("pose.wav: the folder does not exist")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_is_one_line_and_exit_1(cli, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        result = cli("render", "pose", "-o", str(folder / "pose.wav"), "--no-voice")
    finally:
        folder.chmod(0o700)
    assert result.exit_code == 1
    assert "permission denied" in result.stderr.splitlines()[0]


def test_an_interrupted_render_leaves_no_file(cli, tmp_path, monkeypatch):
    from pose_coach.render import audio as render_audio

    real = render_audio.mix_window
    calls = []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(render_audio, "mix_window", interrupted)
    result = cli("render", "warmup", "-o", str(tmp_path / "warmup.wav"), "--no-voice")
    assert result.exit_code == 130
    assert result.stderr == "pose-coach: error: render interrupted; no file was written\n"
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


def test_wav_on_stdout(cli, tmp_path):
    result = cli("render", "pose", "-o", "-", "--no-voice", "--lead-in", "0")
    assert result.exit_code == 0, result.output
    (tmp_path / "x.wav").write_bytes(result.stdout_bytes)
    assert (
        abs(
            len(read_samples(tmp_path / "x.wav")) / SAMPLE_RATE
            - timeline_of("pose", lead_in=0).total
        )
        < 0.001
    )


def test_chapters_cue_and_txt_sidecars(cli, tmp_path):
    out = tmp_path / "warmup.wav"
    result = cli("render", "warmup", "-o", str(out), "--no-voice", "--chapters")
    assert result.exit_code == 0, result.output
    cue = (tmp_path / "warmup.cue").read_text()
    assert cue == cue_sheet(timeline_of("warmup"), "warmup.wav")
    assert cue.splitlines()[:6] == [
        'TITLE "Pre-run warm-up"',
        'PERFORMER "pose-coach"',
        'FILE "warmup.wav" WAVE',
        "  TRACK 01 AUDIO",
        '    TITLE "Get ready"',
        "    INDEX 01 00:00:00",
    ]
    assert '    TITLE "1. Ball-of-foot perception"\n    INDEX 01 00:03:00' in cue
    result = cli("render", "warmup", "-o", str(out), "--no-voice", "--chapters", "txt")
    assert result.exit_code == 0, result.output
    txt = (tmp_path / "warmup.txt").read_text()
    assert txt == chapter_list(timeline_of("warmup"))
    assert txt.splitlines()[:3] == [
        "00:00:00.000 Get ready",
        "00:00:03.000 1. Ball-of-foot perception",
        "00:00:53.000 2. Running pose",
    ]


def test_a_drill_has_a_chapter_per_step():
    text = chapter_list(timeline_of("fall", sets=2))
    # the fall drill as re-timed after the coach's review: the pose, then "Fall… pull!"
    assert text.splitlines()[:3] == [
        "00:00:00.000 Get ready",
        "00:00:03.000 Stand in the pose (left) (set 1/2)",
        "00:00:10.000 Fall… pull! Run out 20 metres (set 1/2)",
    ]


def test_render_json_describes_the_file(cli, tmp_path):
    out = tmp_path / "pose.wav"
    result = cli("render", "pose", "-o", str(out), "--no-voice", "--json", "--chapters")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "path": data["path"],
        "format": "wav",
        "seconds": timeline_of("pose").total,
        "bytes": out.stat().st_size,
        "encoder": None,
        "chapters": data["chapters"],
    }
    assert Path(data["path"]).name == "pose.wav" and data["chapters"].endswith("pose.cue")


@needs_espeak
def test_every_say_of_the_library_is_spoken_with_real_clip_lengths():
    """The library's every cue and say, placed by the audio plan with espeak-ng's real
    clip lengths: each is spoken whole inside its own step (none dropped for the cue)."""
    catalog = load_catalog()
    voice = Voice(find_engine())
    for entry_id, entry in sorted(catalog.entries.items()):
        tl = compile_timeline(entry, catalog.entries, Dose())
        clips = synthesise_all(voice, speech_texts(tl, AudioOptions()))
        durations = {t: len(c) / SAMPLE_RATE for t, c in clips.items()}
        spoken = plan_audio(tl, durations, AudioOptions()).speech()
        for event in tl.events:
            if event.kind is EventKind.CUE:
                here = {p.name for p in spoken if event.at <= p.at < event.end and not p.cut}
                assert (event.say or event.text) in here, (entry_id, event.set, event.text)
