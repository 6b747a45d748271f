"""Will a step's spoken cue fit in the step? Estimated from words per minute.

The live player and the renderer measure real clip lengths; ``validate`` uses this
estimate so it needs no speech engine.
"""

from __future__ import annotations

from pose_coach.errors import Problem
from pose_coach.library.model import Drill, Entry

DEFAULT_RATE_WPM = 165
SPEECH_MARGIN = 0.5  # seconds kept free before the next cue


def estimate_seconds(text: str, rate_wpm: int = DEFAULT_RATE_WPM) -> float:
    """Rough spoken length: words at ``rate_wpm`` plus a short lead."""
    words = max(len(text.split()), 1)
    return 0.3 + words * 60.0 / rate_wpm


def warnings(entry: Entry, rate_wpm: int = DEFAULT_RATE_WPM) -> list[Problem]:
    if not isinstance(entry, Drill):
        return []
    out = []
    for i, step in enumerate(entry.steps):
        needed = estimate_seconds(step.cue, rate_wpm) + SPEECH_MARGIN
        if needed > step.seconds:
            out.append(
                Problem(
                    entry.source,
                    None,
                    None,
                    f"steps[{i}]",
                    f"step of {step.seconds:g} s is too short for its spoken cue "
                    f"(about {needed:.1f} s); lengthen it or shorten the cue",
                    warning=True,
                )
            )
    return out
