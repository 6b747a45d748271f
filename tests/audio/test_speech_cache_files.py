"""A cached speech clip is read like any file by name: a FIFO, a folder or a symlink to a
device where a clip should be is never waited on; the clip is made again."""

from __future__ import annotations

import os
import threading

import pytest

from pose_coach.audio.clips import ClipError, read_wav
from pose_coach.audio.speech import SpeechEngine, Voice, synthesise


def _in_time(function, *args):
    """Run ``function`` on a thread; fail (instead of hanging the suite) if it blocks."""
    result: dict = {}

    def target():
        try:
            result["value"] = function(*args)
        except BaseException as error:  # noqa: BLE001 - handed to the test
            result["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive(), f"{function.__name__} blocked"
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_read_wav_refuses_a_fifo_at_once(tmp_path):
    fifo = tmp_path / "clip.wav"
    os.mkfifo(fifo)
    with pytest.raises(ClipError, match="not a clip: it is not a regular file but a FIFO"):
        _in_time(read_wav, fifo)


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_a_special_file_in_the_speech_cache_is_replaced_by_a_real_clip(fake_bin, kind):
    engine = SpeechEngine("espeak-ng", (str(fake_bin.espeak()),))
    voice = Voice(engine)
    path = voice.clip_path("Lean from the ankles")
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    else:
        path.symlink_to("/dev/zero")
    samples = _in_time(synthesise, voice, "Lean from the ankles")
    assert len(samples) > 1000
    assert path.is_file() and not path.is_symlink()
    assert len(read_wav(path)) == len(samples)
