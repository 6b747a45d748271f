"""The video extra: PyAV, OpenCV, LiteRT and the model file, imported only when a clip is read.

Each is imported here, inside a function, so ``pose-coach --help`` and every other command
load none of them. When one is missing the error is one line naming what to install: the
Python extra, or the system libraries the OpenCV wheels link against (``libGL.so.1`` and
``libglib-2.0.so.0``, absent on a bare Debian or a slim container).
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from typing import Any

from pose_coach.errors import MissingExtraError

INSTALL_EXTRA = 'pip install "pose-coach[video]"'
SYSTEM_LIBRARIES = "libgl1 libglib2.0-0"
# the shared libraries the OpenCV wheels need from the system, by the name in the error
_SYSTEM_LIBRARY_NAMES = ("libGL", "libglib", "libgthread", "libgobject", "libSM", "libXext")
_SYSTEM_SONAMES = ("libGL.so.1", "libglib-2.0.so.0")  # what the two Debian packages provide


@dataclass(frozen=True)
class StackProblem:
    """Why the video stack cannot be imported, for ``doctor`` and the error."""

    module: str  # numpy, av, cv2, ai_edge_litert
    message: str  # one line: what is missing and what to install
    system: bool  # True: a system library is missing, not the Python package


def _missing_system_library() -> str | None:
    """The first shared library the OpenCV wheels need that cannot be loaded, or None.

    Asked directly because cv2's own ImportError does not always name it: its loader
    retries a failed native import and then reports only "recursion is detected"."""
    import ctypes

    for soname in _SYSTEM_SONAMES:
        try:
            ctypes.CDLL(soname)
        except OSError:
            return soname
    return None


def _problem(module: str, error: ImportError) -> StackProblem:
    text = str(error)
    missing: str | None = None
    if module == "cv2":
        if any(name in text for name in _SYSTEM_LIBRARY_NAMES):
            missing = text.split(":", 1)[0].strip() or "a system library"
        elif importlib.util.find_spec("cv2") is not None:  # installed, yet cannot load
            missing = _missing_system_library()
    if missing is not None:
        return StackProblem(
            module,
            f"OpenCV (cv2) cannot load {missing}: install the system libraries "
            f"(Debian/Ubuntu: apt-get install {SYSTEM_LIBRARIES})",
            True,
        )
    return StackProblem(
        module,
        f"the form check needs the video extra ({module} is not installed): {INSTALL_EXTRA}",
        False,
    )


def stack_problem() -> StackProblem | None:
    """The first part of the video stack that does not import, or None when all do."""
    for module in ("numpy", "av", "cv2", "ai_edge_litert"):
        try:
            if module == "cv2":
                import_cv2()
            else:
                __import__(module)
        except ImportError as error:
            return _problem(module, error)
    return None


def require_stack() -> None:
    """Raise MissingExtraError (exit 1, one line) unless the whole video stack imports."""
    problem = stack_problem()
    if problem is not None:
        raise MissingExtraError(problem.message)


def import_cv2() -> Any:
    """``cv2``, with FFmpeg's own messages (``moov atom not found``) kept off stderr: the
    decoder's failures are reported as pose-coach errors instead."""
    # read by OpenCV when it first loads FFmpeg; -8 is AV_LOG_QUIET
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    import cv2

    # OpenCV's own worker threads (resizing, colour conversion) would compete with the
    # decoders and landmarkers already running one per core, for little gain
    cv2.setNumThreads(1)
    return cv2


def cv2_or_error() -> Any:
    """``cv2``, or MissingExtraError naming what to install."""
    try:
        return import_cv2()
    except ImportError as error:
        raise MissingExtraError(_problem("cv2", error).message) from None


def av_or_error() -> Any:
    """``av`` (PyAV: FFmpeg's decoders), or MissingExtraError naming what to install.
    PyAV keeps FFmpeg's own log lines off stderr unless asked (its default since 13)."""
    try:
        import av
    except ImportError as error:
        raise MissingExtraError(_problem("av", error).message) from None
    return av
