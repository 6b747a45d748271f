"""clip.py: decoding ahead in a thread, bounded; errors and early stops come through."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from pose_coach.video.clip import PREFETCH, _prefetched
from pose_coach.video.decode import Frame


def _frames(count: int, made: list[int]):
    for k in range(count):
        made.append(k)
        yield Frame(k, k / 30, np.zeros((2, 2, 3), np.uint8), 2, 2)


def test_the_decoder_runs_at_most_a_few_frames_ahead():
    made: list[int] = []
    ahead = []
    for frame in _prefetched(_frames(200, made)):
        ahead.append(len(made) - frame.index)
    assert len(ahead) == 200
    # the queue, the frame being handed over and the one being made
    assert max(ahead) <= PREFETCH + 2


def test_an_error_while_decoding_reaches_the_reader():
    def broken():
        yield Frame(0, 0.0, np.zeros((2, 2, 3), np.uint8), 2, 2)
        raise ValueError("damaged")

    with pytest.raises(ValueError, match="damaged"):
        list(_prefetched(broken()))


def test_stopping_early_ends_the_decoding_thread():
    made: list[int] = []
    stream = _prefetched(_frames(10_000, made))
    next(stream)
    stream.close()
    assert not [t for t in threading.enumerate() if t.name == "pose-coach-decode"]
    assert len(made) < 20


def test_an_interrupted_analysis_stops_the_thread_before_the_decoder_is_released(
    clips, monkeypatch
):
    from clip_files import STACK_SKIP

    if STACK_SKIP:
        pytest.skip(STACK_SKIP)
    from clip_files import no_one_landmarker

    from pose_coach.video import clip

    released: list[str] = []
    Landmarker = no_one_landmarker(released=released)

    def progress(done, total):  # Ctrl-C while the bar is drawn
        if done == 5:
            raise KeyboardInterrupt

    from pose_coach.video import landmarks

    monkeypatch.setattr(landmarks, "Landmarker", Landmarker)
    with clip.FrameStream(clips["landscape"]) as stream:
        with pytest.raises(KeyboardInterrupt):
            list(clip.clip_poses(stream, progress))
        alive = [t for t in threading.enumerate() if t.name == "pose-coach-decode"]
        assert released == ["landmarker"] and alive == []
