"""decode.py: upright frames, presentation times, bounded reads, clear errors."""

from __future__ import annotations

import pytest
from clip_files import needs_stack

from pose_coach.video.errors import NotAVideoError

pytestmark = needs_stack


def _frames(path, size=640):
    from pose_coach.video.decode import FrameStream

    with FrameStream(path, size) as stream:
        frames = list(stream)
    return stream, frames


def test_landscape_h264_streams_every_frame_with_its_time(clips):
    from pose_coach.video.decode import probe

    info = probe(clips["landscape"])
    assert (info.width, info.height, info.fps, info.frame_count) == (320, 180, 30.0, 60)
    assert (info.rotation, info.codec, info.capture_fps) == (0, "h264", None)
    stream, frames = _frames(clips["landscape"])
    assert [f.index for f in frames] == list(range(60))
    assert frames[1].t == pytest.approx(1 / 30) and frames[-1].t == pytest.approx(59 / 30)
    assert frames[0].image.shape == (180, 320, 3) and (frames[0].width, frames[0].height) == (
        320,
        180,
    )
    assert stream.stopped_early is None


def test_portrait_clip_is_turned_upright_from_its_rotation_metadata(clips):
    from pose_coach.video.decode import probe

    info = probe(clips["portrait"])
    assert (info.width, info.height) == (180, 320) and info.portrait
    assert info.rotation in (90, 270)
    _, frames = _frames(clips["portrait"])
    assert frames[0].image.shape == (320, 180, 3)
    assert (frames[0].width, frames[0].height) == (180, 320)


def test_frames_for_the_landmarker_are_scaled_and_the_clip_size_kept(clips):
    _, frames = _frames(clips["portrait"], size=160)
    assert frames[0].image.shape == (160, 90, 3)
    assert (frames[0].width, frames[0].height) == (180, 320)


@pytest.mark.parametrize(
    ("size", "longest", "shrunk"),
    [
        ((1080, 1920), 640, (360, 640)),  # halved, then two thirds
        ((2160, 3840), 640, (360, 640)),  # halved twice, then two thirds
        ((994, 1768), 640, (360, 640)),  # halved, then linear
        ((720, 1280), 640, (360, 640)),  # exactly halved
        ((1920, 1080), 640, (640, 360)),  # portrait
        ((181, 321), 640, (181, 321)),  # never enlarged
    ],
)
def test_frames_shrink_to_the_landmarker_size_and_keep_the_picture(size, longest, shrunk):
    import numpy as np

    from pose_coach.video.decode import _shrunk, _target_size

    h, w = size
    # a bright square on a dark field: it keeps its place and its brightness when shrunk
    image = np.zeros((h, w, 3), np.uint8)
    image[h // 4 : h // 2, w // 4 : w // 2] = 200
    out = _shrunk(image, _target_size(w, h, longest))
    assert out.shape[:2] == shrunk
    oh, ow = shrunk
    assert out[oh * 3 // 8, ow * 3 // 8, 0] == 200 and out[oh * 3 // 4, ow * 3 // 4, 0] == 0
    assert abs(float(out.mean()) - float(image.mean())) < 2


def test_hevc_in_mov(clips):
    from pose_coach.video.decode import probe

    assert probe(clips["hevc"]).codec in ("hevc", "hvc1")
    _, frames = _frames(clips["hevc"])
    assert len(frames) == 60


def test_variable_frame_rate_keeps_presentation_times(clips):
    _, frames = _frames(clips["vfr"])
    times = [f.t for f in frames]
    assert times[29] == pytest.approx(29 / 30, abs=1e-3)
    assert times[30] == pytest.approx(1.0, abs=1e-3)
    assert times[31] - times[30] == pytest.approx(1 / 60, abs=1e-3)


def test_slow_motion_tag_gives_the_capture_rate(clips):
    from pose_coach.video.decode import probe

    assert probe(clips["slowmo"]).capture_fps == 240.0


def test_a_cut_off_file_is_read_as_far_as_it_decodes_and_says_where_it_stopped(clips):
    stream, frames = _frames(clips["cut"])
    assert 0 < len(frames) < 60
    assert stream.stopped_early == (
        f"the file stops at frame {len(frames)} of the 60 it states "
        f"({frames[-1].t:.1f} s of 2.0 s): damaged or cut off; "
        f"the {len(frames)} frames that decode are analysed"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("no-index", "an MP4/MOV file whose index (the moov box) is missing or damaged"),
        ("text", "not a video file (FFmpeg cannot read it)"),
        ("empty", "the file is empty"),
        ("picture", "a single picture, not a video"),
    ],
)
def test_what_is_not_a_readable_video_is_one_clear_error(clips, name, message):
    with pytest.raises(NotAVideoError) as caught:
        _frames(clips[name])
    assert message in caught.value.message
    assert caught.value.message.startswith(str(clips[name].name)) or str(clips[name]) in (
        caught.value.message
    )


def test_a_folder_or_missing_file_is_refused_before_decoding(tmp_path):
    from pose_coach.video.decode import probe

    with pytest.raises(NotAVideoError, match="not a regular file but a folder"):
        probe(tmp_path)
    with pytest.raises(NotAVideoError, match="no such file"):
        probe(tmp_path / "nothing.mp4")


def test_read_frames_jpeg_returns_the_asked_frames_by_index(clips):
    import cv2
    import numpy as np

    from pose_coach.video.decode import read_frames, read_frames_jpeg

    pictures = read_frames_jpeg(clips["portrait"], [59, 5, 0, 500], max_width=90)
    assert sorted(pictures) == [0, 5, 59]  # past the end: left out
    image = cv2.imdecode(np.frombuffer(pictures[5], np.uint8), cv2.IMREAD_COLOR)
    assert image.shape == (160, 90, 3)  # upright, scaled to the width asked
    # the same pixels as the stream's frame 5 (testsrc changes every frame)
    _, frames = _frames(clips["portrait"], size=None)
    exact = read_frames(clips["portrait"], [5, 6])
    assert np.array_equal(exact[5][:, :, ::-1], frames[5].image)
    assert not np.array_equal(exact[6], exact[5])


@pytest.mark.parametrize("name", ["landscape", "vfr", "hevc", "portrait"])
def test_frames_far_ahead_are_sought_by_time_and_are_the_same_frames(clips, monkeypatch, name):
    import numpy as np

    from pose_coach.video import decode

    stream, _ = _frames(clips[name])
    wanted = [3, 40, 41, 58]
    counted = decode.read_frames(clips[name], wanted)
    sought_at = []
    real_seek = decode._seek_to

    def seek(decoder, target_ms, step_ms):
        found = real_seek(decoder, target_ms, step_ms)
        sought_at.append((target_ms, found is not None))
        return found

    monkeypatch.setattr(decode, "SEEK_GAP", 5)
    monkeypatch.setattr(decode, "_seek_to", seek)
    sought = decode.read_frames(clips[name], wanted, times=stream.times)
    assert sought_at and sorted(sought) == wanted
    for index in wanted:
        assert np.array_equal(sought[index], counted[index]), index


def test_a_seek_that_misses_falls_back_to_counting(clips, monkeypatch):
    import numpy as np

    from pose_coach.video import decode

    stream, _ = _frames(clips["landscape"])
    monkeypatch.setattr(decode, "SEEK_GAP", 5)
    wrong = [t + 100 for t in stream.times]  # past the end: the seek finds nothing
    sought = decode.read_frames(clips["landscape"], [30], times=wrong)
    assert np.array_equal(sought[30], decode.read_frames(clips["landscape"], [30])[30])
