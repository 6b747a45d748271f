"""What can be wrong with an activity file, each a one-line PoseCoachError (exit 1)."""

from __future__ import annotations

from pose_coach.errors import PoseCoachError


class ActivityFileError(PoseCoachError):
    """The file cannot be analysed as a run: not a FIT/TCX/GPX file, damaged, too big,
    too short, or hostile XML. The message names the file and what was found."""


class NotARunError(ActivityFileError):
    """The file is a ride, a swim, a walk...: ``not a run: cycling``."""
