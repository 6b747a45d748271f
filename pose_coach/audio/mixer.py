"""Mix an audio plan into samples: clips copied into silence at exact sample onsets.

Slice assignment copies a clip at C speed; only the short stretches where two sounds
overlap (a metronome click over speech) are added sample by sample, clamped to 16 bits.
Any window of the session can be mixed on its own, and the same window always comes out
the same, so the renderer can stream a long session in chunks and the live sink can mix
just the step it is about to play.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping

from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.clips import fade_out
from pose_coach.audio.plan import AudioPlan, Placement, Sound
from pose_coach.audio.tones import get_tone

_MAX, _MIN = 32767, -32768


def sample_at(seconds: float) -> int:
    """The sample index of a moment: rounded, so onsets land within half a sample."""
    return int(round(seconds * SAMPLE_RATE))


class SoundBank:
    """The samples behind a plan: speech clips by text; tones come from ``tones``."""

    def __init__(self, speech: Mapping[str, array] | None = None) -> None:
        self.speech: dict[str, array] = dict(speech or {})
        self._cut: dict[tuple[str, int], array] = {}

    def durations(self) -> dict[str, float]:
        return {text: len(clip) / SAMPLE_RATE for text, clip in self.speech.items()}

    def samples(self, placement: Placement) -> array:
        if placement.sound is Sound.TONE:
            return get_tone(placement.name)
        clip = self.speech[placement.name]
        if placement.cut:
            n = min(sample_at(placement.duration), len(clip))
            key = (placement.name, n)
            if key not in self._cut:
                self._cut[key] = fade_out(clip[:n])
            return self._cut[key]
        return clip


def _clicks(placement: Placement, start: int, end: int) -> Iterator[tuple[int, array]]:
    """The metronome clicks of one run that touch samples ``[start, end)``.

    Click k sounds at ``at + k * 60 / cadence`` (k = 1, 2, ...: the step tone takes the
    onset), each rounded on its own, so spacing never drifts over a long step.
    """
    click = get_tone("click")
    assert placement.cadence
    interval = 60.0 / placement.cadence
    last_onset = placement.end - len(click) / SAMPLE_RATE
    first_k = max(1, math.floor((start / SAMPLE_RATE - placement.at) / interval) - 1)
    k = first_k
    while True:
        t = placement.at + k * interval
        if t > last_onset + 1e-9:
            return
        onset = sample_at(t)
        if onset >= end:
            return
        if onset + len(click) > start:
            yield onset, click
        k += 1


def pieces(plan: AudioPlan, bank: SoundBank, start: int, end: int) -> list[tuple[int, array]]:
    """Every (onset sample, samples) sounding in ``[start, end)``, ordered by onset."""
    out: list[tuple[int, array]] = []
    for placement in plan.placements:
        onset = sample_at(placement.at)
        if onset >= end:
            continue
        if placement.sound is Sound.METRONOME:
            out += _clicks(placement, start, end)
            continue
        if placement.sound is Sound.SPEECH and placement.name not in bank.speech:
            continue
        samples = bank.samples(placement)
        if onset + len(samples) > start:
            out.append((onset, samples))
    out.sort(key=lambda piece: piece[0])
    return out


def mix_window(plan: AudioPlan, bank: SoundBank, start: int, end: int) -> array:
    """Samples ``[start, end)`` of the session (absolute sample indexes)."""
    n = max(end - start, 0)
    buf = array("h", bytes(2 * n))
    written = 0  # nothing at or after this index has been written yet
    for onset, samples in pieces(plan, bank, start, end):
        src = max(start - onset, 0)
        dst = max(onset - start, 0)
        length = min(len(samples) - src, n - dst)
        if length <= 0:
            continue
        overlap_end = min(dst + length, written)
        if overlap_end > dst:  # add into what is already there, clamped
            k = overlap_end - dst
            buf[dst:overlap_end] = array(
                "h",
                (
                    _MAX if s > _MAX else _MIN if s < _MIN else s
                    for s in map(int.__add__, buf[dst:overlap_end], samples[src : src + k])
                ),
            )
            src += k
            dst = overlap_end
            length -= k
        if length > 0:
            buf[dst : dst + length] = samples[src : src + length]
            written = max(written, dst + length)
    return buf


def total_samples(plan: AudioPlan) -> int:
    return sample_at(plan.total)
