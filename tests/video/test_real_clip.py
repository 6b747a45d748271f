"""The whole path on a real clip: decode → BlazePose landmarks → analysis → the command.

../shared/data/video/walking-side-view.mp4 (BSD-3, the Sports2D demo): a woman walking
side-on across the frame while a man steps off a box behind her. The walker must be the
one analysed, never the bystander.
"""

from __future__ import annotations

import numpy as np
import pytest
from clip_files import WALK, needs_stack, needs_walk

pytestmark = [needs_stack, needs_walk]


@pytest.fixture(scope="module")
def walk():
    from pose_coach.video.clip import ClipRequest, analyse_clip_timed

    heard = []
    result = analyse_clip_timed(ClipRequest(WALK, progress=lambda d, t: heard.append((d, t))))
    return result, heard


def test_the_clip_is_decoded_whole_with_progress(walk):
    result, heard = walk
    assert result.info.frame_count == 230 and result.analysis.frames == 230
    assert (result.analysis.width, result.analysis.height) == (1768, 994)  # not the 640 px
    assert heard[0] == (1, 230) and heard[-1] == (230, 230)


def test_a_cut_off_walk_with_too_few_strides_says_where_the_file_stopped(tmp_path):
    """The first 1.5 MB of the walk: 78 frames decode, too few for 4 strides; the error
    says so and where the file stops, not only that strides are missing."""
    from pose_coach.video.clip import ClipRequest, analyse_clip_timed
    from pose_coach.video.errors import TooFewStridesError

    cut = tmp_path / "cut.mp4"
    cut.write_bytes(WALK.read_bytes()[:1_500_000])
    with pytest.raises(TooFewStridesError) as caught:
        analyse_clip_timed(ClipRequest(cut))
    message = caught.value.message
    assert "strides found; the measures need 4" in message
    assert "the file stops at frame 78 of the 230 it states" in message


def test_the_walker_is_analysed_not_the_man_behind_her(walk):
    from pose_coach.video.tracks import hips

    analysis = walk[0].analysis
    assert analysis.people >= 2
    x = hips(analysis.runner.xy)[:, 0]
    y = hips(analysis.runner.xy)[:, 1]
    # she crosses most of the frame, low in it; he stays on his box, high in the frame
    assert np.nanmax(x) - np.nanmin(x) > 0.5 * analysis.width
    assert np.nanmedian(y) > 0.6 * analysis.height
    assert analysis.runner.direction == -1  # she walks towards the left
    assert len(analysis.measures.strides) >= 4


# Her heel strikes, found by eye: every third frame looked at over the walk (frames
# 57-206), then each frame from 92 to 121; frame numbers of the clip, +-1 where the heel
# comes down over two frames. From the first seen at frame 60 (as she comes into the
# frame) to the one at 187, eight strikes, seven steps, take 127 frames at 30 frames/s:
# 0.605 s a step, 99 steps/min.
HEEL_STRIKES = (60, 78, 97, 114, 133, 151, 169, 187)


def test_her_steps_are_found_at_a_walking_cadence(walk):
    analysis = walk[0].analysis
    cadence = analysis.measures.cadence
    assert cadence is not None and 90 <= cadence.value <= 110  # 99 counted by eye
    for stride in analysis.measures.strides:
        assert 90 <= stride.values["cadence"].value <= 110
    frames = [c.index for c in analysis.landings]
    assert len(frames) >= 6
    for frame in frames:  # each within 3 frames (0.1 s) of a heel strike seen
        assert min(abs(frame - seen) for seen in HEEL_STRIKES) <= 3, frames
    feet = [c.foot for c in analysis.landings]
    assert all(a != b for a, b in zip(feet[:-1], feet[1:], strict=True))  # they alternate


def test_her_bounce_is_a_walkers(walk):
    # a walker's hip rises and falls some 4-5 cm a step, about 5 % of her leg; jitter of
    # a few pixels made the highest-minus-lowest reading 20-28 %
    bounce = walk[0].analysis.measures.both["bounce"].value
    assert 2 <= bounce <= 10


def test_key_frames_come_in_order(walk):
    analysis = walk[0].analysis
    landings = analysis.landings
    for s in analysis.measures.strides:
        nxt_other = next(c for c in landings if c.t > s.landing.t)
        assert s.landing.index <= s.pose_index < nxt_other.index
        assert s.landing.index < s.end_index and s.pose_index <= s.end_index
    for key in (analysis.median, analysis.worst):
        assert key.landing <= key.pose <= key.end_of_stance


def test_a_walk_is_not_coached_as_a_run(walk):
    analysis = walk[0].analysis
    assert any(note.startswith("this looks like a walk") for note in analysis.notes)
    assert analysis.faults == () and analysis.prescriptions == ()


def test_key_frames_of_the_analysis_can_be_fetched_as_jpeg(walk):
    from pose_coach.video.decode import read_frames_jpeg

    analysis = walk[0].analysis
    wanted = [analysis.median.landing, analysis.median.pose, analysis.worst.landing]
    pictures = read_frames_jpeg(WALK, wanted, max_width=480)
    assert sorted(pictures) == sorted(set(wanted))
    assert all(p.startswith(b"\xff\xd8") for p in pictures.values())


def test_form_command_end_to_end(cli, tmp_path):
    page = tmp_path / "form.html"
    done = cli("form", str(WALK), "-o", str(page))
    assert done.exit_code == 0, done.output
    assert "walking-side-view.mp4" in done.stdout and "Cadence" in done.stdout
    assert f"pose-coach: wrote {page} (form report)" in done.stderr
    assert "people in the clip; person" in done.stderr  # says who was analysed
    html = page.read_text()
    assert html.count("data:image/jpeg;base64,") >= 3  # the key frames, inline


def test_check_on_the_real_clip(cli):
    done = cli("form", "--check", str(WALK))
    assert done.exit_code == 0, done.output
    assert "230 frames at 30 frames/s, 1768×994, vp90, upright" in done.stdout
    assert "  side-on     yes" in done.stdout


def test_the_report_of_the_real_clip_in_chromium(cli, tmp_path):
    from browser import CHROMIUM, CHROMIUM_SKIP, probe_page

    if CHROMIUM is None:
        pytest.skip(CHROMIUM_SKIP)
    page = tmp_path / "form.html"
    done = cli("form", str(WALK), "-o", str(page), "--no-log")
    assert done.exit_code == 0, done.output
    probe, text = probe_page(page, tmp_path)
    assert len(probe["images"]) in (3, 6)  # the median stride, and the worst when another
    for complete, natural_w, natural_h, shown_w, shown_h in probe["images"]:
        assert complete and natural_w >= 480 and natural_h > 200  # the decoder's JPEGs
        assert shown_w > 100 and shown_h > 100
    assert all(lines > 15 for _, _, lines in probe["svgs"])  # the skeleton is drawn on
    assert "Cadence" in text and "Measures against the bands" in text
