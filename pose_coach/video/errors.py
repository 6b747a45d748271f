"""What can stop a form check, each a one-line PoseCoachError (exit 1) with the fix."""

from __future__ import annotations

from pose_coach.errors import PoseCoachError


class VideoError(PoseCoachError):
    """The clip cannot be analysed; the message says what was found, the hint what to do."""


class NoPersonError(VideoError):
    """No person was found in the clip (or not the one ``--person`` names)."""


class NotSideOnError(VideoError):
    """The runner faces the camera (or runs towards or away from it) instead of across
    the frame: where the foot lands against the hip cannot be seen."""


class TooFewStridesError(VideoError):
    """Fewer complete strides than the measures need (4)."""


class NotAVideoError(VideoError):
    """The file is not a video the decoder can read, or it holds no decodable frame."""


class SlowMotionError(VideoError):
    """The clip plays slower than it was filmed: its timestamps are not the running's,
    so cadence and contact times cannot be trusted without ``--capture-fps``."""
