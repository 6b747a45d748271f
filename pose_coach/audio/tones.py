"""Generated sounds: beeps, chimes and the metronome click, in pure Python.

Nothing is shipped as a binary: each tone is computed once per process (a few ms) and
kept. Levels leave headroom for mixing over speech (espeak-ng peaks at about 0.85).
"""

from __future__ import annotations

import math
from array import array
from functools import cache

from pose_coach.audio import SAMPLE_RATE

FULL_SCALE = 32767


def tone(
    freq: float, seconds: float, level: float = 0.5, fade: float = 0.006, decay: float = 0.0
) -> array:
    """A sine tone with short linear fades (no clicks at the edges); ``decay`` per second."""
    n = max(int(round(seconds * SAMPLE_RATE)), 1)
    ramp = max(int(fade * SAMPLE_RATE), 1)
    step = 2 * math.pi * freq / SAMPLE_RATE
    out = array("h", bytes(2 * n))
    for i in range(n):
        envelope = min(1.0, i / ramp, (n - 1 - i) / ramp)
        if decay:
            envelope *= math.exp(-decay * i / SAMPLE_RATE)
        out[i] = int(FULL_SCALE * level * envelope * math.sin(step * i))
    return out


def sequence(*parts: tuple[float, float], level: float = 0.5, gap: float = 0.03) -> array:
    """Notes one after another: ``(frequency, seconds)`` pairs with short silent gaps."""
    out = array("h")
    silence = array("h", bytes(2 * int(gap * SAMPLE_RATE)))
    for n, (freq, seconds) in enumerate(parts):
        if n:
            out.extend(silence)
        out.extend(tone(freq, seconds, level))
    return out


# name -> how it sounds. 'count' ticks the lead-in and the last 3 s of each step; 'step'
# marks a step change; 'checkpoint' (two rising notes) a checkpoint cue; 'end' (three
# rising notes, one second in all) the end of the session.
TONE_NAMES = ("count", "step", "checkpoint", "end", "click")


@cache
def get_tone(name: str) -> array:
    """The samples of a named tone (computed once)."""
    if name == "count":
        return tone(880, 0.12, 0.45)
    if name == "step":
        return tone(1320, 0.2, 0.5)
    if name == "checkpoint":
        return sequence((1320, 0.1), (1760, 0.14), level=0.5)
    if name == "end":
        return sequence((660, 0.25), (880, 0.25), (1320, 0.44), level=0.5)
    if name == "click":
        # short and percussive; about -12 dB so it sits under speech without clipping
        return tone(1500, 0.015, 0.25, fade=0.001, decay=120.0)
    raise KeyError(f"unknown tone {name!r}")


def tone_seconds(name: str) -> float:
    return len(get_tone(name)) / SAMPLE_RATE
