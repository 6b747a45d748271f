"""What ``pose-coach doctor`` says about the form check: PyAV, OpenCV, LiteRT, the model."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class VideoCheck:
    name: str  # video_pyav, video_opencv, video_litert, video_model
    label: str
    found: bool
    value: str | None  # a version, or the model file with its size and hash
    install: str | None  # what to do when it is missing
    note: str | None = None


def _version(distribution: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def video_checks() -> list[VideoCheck]:
    """PyAV and LiteRT (by their metadata), OpenCV (imported: a missing libGL shows only
    then) and the model file (size and SHA-256)."""
    from pose_coach.video.landmarks import MODEL_NAME, find_model
    from pose_coach.video.stack import INSTALL_EXTRA, stack_problem

    problem = stack_problem()
    cv2_problem = problem.message if problem is not None and problem.module == "cv2" else None
    numpy_missing = problem is not None and problem.module == "numpy"
    pyav = _version("av")
    out = [
        VideoCheck(
            "video_pyav",
            "video PyAV",
            pyav is not None,
            f"av {pyav}" if pyav else None,
            None if pyav else INSTALL_EXTRA,
            "FFmpeg's decoders, for the clip's frames",
        )
    ]
    if cv2_problem or numpy_missing:
        out.append(
            VideoCheck(
                "video_opencv",
                "video OpenCV",
                False,
                None,
                cv2_problem or INSTALL_EXTRA,
            )
        )
    else:
        import cv2

        out.append(
            VideoCheck(
                "video_opencv",
                "video OpenCV",
                True,
                f"cv2 {cv2.__version__}",
                None,
                "libGL and libglib load",
            )
        )
    litert = _version("ai-edge-litert")
    out.append(
        VideoCheck(
            "video_litert",
            "video LiteRT",
            litert is not None,
            f"ai-edge-litert {litert}" if litert else None,
            None if litert else INSTALL_EXTRA,
            "runs BlazePose's networks",
        )
    )
    model = find_model()
    out.append(
        VideoCheck(
            "video_model",
            "video model",
            model.ok,
            f"{model.path} ({model.size:,} bytes, sha256 ok)" if model.ok else None,
            model.problem,
            MODEL_NAME,
        )
    )
    return out
