"""No signal during `render` leaves a partial file, a temporary folder or an encoder
running; an audio file never appears without the chapter list asked for with it."""

from __future__ import annotations

import shutil
import signal
import subprocess

import pytest
from signal_helpers import alive, children, command, environment, expected_status, wait_for

from pose_coach.signals import signal_name

LONG = ("render", "warmup", "--sets", "12", "--no-voice")


def _part(folder):
    return next((p for p in folder.iterdir() if p.name.endswith(".part")), None)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=signal_name)
def test_a_signal_during_a_wav_render_leaves_nothing(signum, isolated_home, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tmp = tmp_path / "tmp"
    process = subprocess.Popen(
        command(*LONG, "-o", str(out / "warmup.wav")),
        stderr=subprocess.PIPE,
        text=True,
        env=environment(isolated_home, tmp),
    )
    # the marker: the temporary file exists and sound is going into it
    wait_for(lambda: (part := _part(out)) and part.stat().st_size > 0, "the render to start")
    process.send_signal(signum)
    err = process.communicate(timeout=60)[1]
    assert process.returncode == expected_status(signum)
    assert err == "pose-coach: error: render interrupted; no file was written\n"
    assert list(out.iterdir()) == []
    assert list(tmp.iterdir()) == []


@pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=signal_name)
def test_a_signal_during_an_mp3_render_stops_ffmpeg_and_removes_its_folder(
    signum, isolated_home, tmp_path
):
    out = tmp_path / "out"
    out.mkdir()
    tmp = tmp_path / "tmp"
    process = subprocess.Popen(
        command(*LONG, "-o", str(out / "warmup.mp3")),
        stderr=subprocess.PIPE,
        text=True,
        env=environment(isolated_home, tmp),
    )
    encoder = wait_for(lambda: children(process.pid), "ffmpeg to start")
    wait_for(lambda: any(tmp.iterdir()), "the encoder's folder")
    process.send_signal(signum)  # to pose-coach only: ffmpeg must be stopped by it
    err = process.communicate(timeout=60)[1]
    assert process.returncode == expected_status(signum), err
    assert "render interrupted; no file was written" in err
    assert [pid for pid in encoder if alive(pid)] == []
    assert list(out.iterdir()) == []
    assert list(tmp.iterdir()) == []


def test_a_failing_chapter_file_takes_its_audio_with_it(cli, tmp_path, monkeypatch):
    from pose_coach.render import audio as render_audio

    out = tmp_path / "warmup.wav"
    out.write_bytes(b"the previous render")
    real = render_audio.cue_sheet

    def chapters_then_trouble(timeline, name):
        (tmp_path / "warmup.cue").mkdir()  # the chapter file's place is taken meanwhile
        return real(timeline, name)

    monkeypatch.setattr(render_audio, "cue_sheet", chapters_then_trouble)
    result = cli("render", "warmup", "-o", str(out), "--no-voice", "--chapters")
    assert result.exit_code == 1
    assert "warmup.cue: it is not a regular file but a folder" in result.stderr
    assert out.read_bytes() == b"the previous render"  # never replaced by a lone file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warmup.cue", "warmup.wav"]


def test_a_chapter_file_that_cannot_be_written_is_refused_before_rendering(cli, tmp_path):
    (tmp_path / "fall.txt").mkdir()
    result = cli("render", "fall", "-o", str(tmp_path / "fall.wav"), "--chapters", "txt")
    assert result.exit_code == 1
    assert "fall.txt: it is not a regular file but a folder" in result.stderr.splitlines()[0]
    assert [p.name for p in tmp_path.iterdir()] == ["fall.txt"]
