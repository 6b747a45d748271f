"""The mixer and tones: exact onsets, windows that add up, clamped overlaps, clicks."""

from __future__ import annotations

from array import array

import pytest
from sound_helpers import fake_bank, first_loud, speechlike

from pose_coach.audio import SAMPLE_RATE
from pose_coach.audio.clips import fade_out, holds_sound, resample, trim
from pose_coach.audio.mixer import SoundBank, mix_window, sample_at, total_samples
from pose_coach.audio.plan import (
    AudioOptions,
    AudioPlan,
    Placement,
    Sound,
    plan_audio,
    speech_texts,
)
from pose_coach.audio.tones import TONE_NAMES, get_tone, tone_seconds
from pose_coach.library.model import Drill, Phase, Step
from pose_coach.timeline import Dose, compile_timeline


def test_tones_are_distinct_short_and_leave_headroom():
    lengths = {name: tone_seconds(name) for name in TONE_NAMES}
    assert lengths["click"] < 0.02 and lengths["count"] < lengths["step"] < lengths["end"]
    assert lengths["end"] == pytest.approx(1.0, abs=0.01)
    for name in TONE_NAMES:
        samples = get_tone(name)
        assert 0 < max(abs(s) for s in samples) <= 0.5 * 32767 + 1
        assert abs(samples[0]) < 200 and abs(samples[-1]) < 200  # faded: no click at the edges


def test_a_clip_lands_at_its_exact_sample_onset():
    clip = speechlike(0.5)
    plan = AudioPlan(3.0, (Placement(1.2345, Sound.SPEECH, "x", 0.5, "cue"),))
    out = mix_window(plan, SoundBank({"x": clip}), 0, total_samples(plan))
    assert len(out) == 3 * SAMPLE_RATE
    onset = sample_at(1.2345)
    assert out[onset : onset + len(clip)] == clip
    assert not any(out[:onset]) and not any(out[onset + len(clip) :])


def test_windows_mixed_separately_join_into_the_whole():
    steps = (Step("Pony in place", 12, cadence=180), Step("Fall from the ankles", 9))
    tl = compile_timeline(Drill("t", "T", Phase.PULL, "s", steps, sets=2, rest=5), dose=Dose())
    bank = fake_bank(speech_texts(tl, AudioOptions()))
    plan = plan_audio(tl, bank.durations(), AudioOptions())
    n = total_samples(plan)
    whole = mix_window(plan, bank, 0, n)
    pieces = array("h")
    for start in range(0, n, 12345):  # windows that cut through clips and clicks
        pieces.extend(mix_window(plan, bank, start, min(start + 12345, n)))
    assert pieces == whole


def test_overlapping_sounds_add_and_clamp_instead_of_wrapping():
    loud = array("h", [30000] * 100)
    plan = AudioPlan(
        0.01,
        (
            Placement(0.0, Sound.SPEECH, "a", 100 / SAMPLE_RATE, "cue"),
            Placement(50 / SAMPLE_RATE, Sound.SPEECH, "b", 100 / SAMPLE_RATE, "cue"),
        ),
    )
    bank = SoundBank({"a": loud, "b": array("h", [10000] * 100)})
    out = mix_window(plan, bank, 0, 200)
    assert out[:50] == array("h", [30000] * 50)
    assert out[50:100] == array("h", [32767] * 50)  # clamped, not wrapped negative
    assert out[100:150] == array("h", [10000] * 50)
    assert not any(out[150:])


def test_metronome_clicks_every_60_over_cadence_seconds_without_drift():
    plan = AudioPlan(
        600.0, (Placement(0.0, Sound.METRONOME, "click", 600.0, "metronome", cadence=170),)
    )
    out = mix_window(plan, SoundBank(), 0, total_samples(plan))
    onsets, i = [], 0
    while (i := first_loud(out, i, level=0)) is not None:
        onsets.append(i)
        i += int(0.1 * SAMPLE_RATE)
    interval = 60 / 170
    assert len(onsets) == int((600 - tone_seconds("click")) / interval)  # k = 1 .. last that fits
    for k, onset in enumerate(onsets, 1):
        # the first non-zero sample is one sample in (a sine starts at zero)
        assert abs((onset - 1) / SAMPLE_RATE - k * interval) < 1 / SAMPLE_RATE


def test_cut_speech_fades_out_and_stops_at_its_placement_length():
    clip = speechlike(2.0)
    plan = AudioPlan(3.0, (Placement(0.5, Sound.SPEECH, "x", 1.0, "cue", cut=True),))
    out = mix_window(plan, SoundBank({"x": clip}), 0, total_samples(plan))
    end = sample_at(1.5)
    assert any(out[end - 2000 : end - 1000]) and not any(out[end:])
    assert abs(out[end - 1]) < abs(out[end - 1000])


def test_clip_helpers_trim_check_and_resample():
    padded = array("h", bytes(2 * 5000)) + speechlike(0.5) + array("h", bytes(2 * 8000))
    trimmed = trim(padded)
    assert len(trimmed) == pytest.approx(0.54 * SAMPLE_RATE, abs=2)
    assert holds_sound(trimmed) and not holds_sound(array("h", [10] * 5000))
    assert len(resample(speechlike(1.0), 22050, 16000)) == 16000
    assert fade_out(array("h", [1000] * 1000))[-1] < 50
