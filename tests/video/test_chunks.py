"""chunks.py: a clip read in parallel chunks gives every frame once, in order, with the
times, record and early stop of a read from start to end, whatever the file."""

from __future__ import annotations

import threading

import pytest
from clip_files import STACK_SKIP

pytestmark = pytest.mark.skipif(STACK_SKIP is not None, reason=STACK_SKIP or "")


@pytest.fixture
def seen_pictures(monkeypatch):
    """A landmarker that finds no one and notes each frame's time and picture."""
    from clip_files import no_one_landmarker

    from pose_coach.video import landmarks

    seen: list[tuple[float, bytes]] = []
    Landmarker = no_one_landmarker(seen=seen)
    monkeypatch.setattr(landmarks, "Landmarker", Landmarker)
    return seen


def _read(path, chunks):
    from pose_coach.video import clip

    heard = []
    with clip.FrameStream(path) as stream:
        poses = list(clip.clip_poses(stream, lambda d, t: heard.append((d, t)), chunks))
        record = (stream.frames_read, list(stream.times), stream.stopped_early)
    return poses, record, heard


@pytest.mark.parametrize("name", ["six-seconds", "vfr", "cut"])
@pytest.mark.parametrize("chunks", [2, 3])
def test_chunks_give_what_one_read_gives(clips, seen_pictures, name, chunks):
    one, one_record, _ = _read(clips[name], 1)
    one_pictures = sorted(seen_pictures)
    seen_pictures.clear()
    many, many_record, heard = _read(clips[name], chunks)
    assert [p.index for p in many] == list(range(len(one)))
    assert [p.t for p in many] == pytest.approx([p.t for p in one], abs=1e-6)
    assert many_record[0] == one_record[0] and many_record[2] == one_record[2]
    assert many_record[1] == pytest.approx(one_record[1], abs=1e-6)
    # each frame landmarked once (a chunk given up may have seen a few more)
    assert set(one_pictures) <= set(seen_pictures)
    done = [d for d, _ in heard]
    assert done[-1] == len(one) and done == sorted(done)
    assert not [t for t in threading.enumerate() if t.name.startswith("pose-coach-landmarks")]


def test_an_error_in_a_chunk_reaches_the_reader(clips, monkeypatch, seen_pictures):
    from pose_coach.video import landmarks

    detect = landmarks.Landmarker.detect

    def broken(self, frame):
        if frame.t > 4:
            raise ValueError("landmarker failed")
        return detect(self, frame)

    monkeypatch.setattr(landmarks.Landmarker, "detect", broken)
    with pytest.raises(ValueError, match="landmarker failed"):
        _read(clips["six-seconds"], 2)
    assert not [t for t in threading.enumerate() if t.name.startswith("pose-coach-landmarks")]
