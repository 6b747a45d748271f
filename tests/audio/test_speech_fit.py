"""`validate` warns about a step too short for its spoken cue (an estimate: no engine)."""

from __future__ import annotations

import pytest

SHORT = """
id: short
title: Short
phase: fall
summary: A drill with a step too short for its cue.
steps:
  - cue: Pull the foot straight up, let it drop
    seconds: 2
  - cue: Lean
    seconds: 5
"""


def test_validate_warns_about_a_cue_longer_than_its_step(cli, write_file, fake_bin):
    path = write_file("short.yaml", SHORT)
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output  # advice, not an error
    assert "(drill short, 1 warning)" in result.stdout
    warning = next(
        line
        for line in result.output.splitlines()
        if "warning" in line.lower() and "steps[0]" in line
    )
    assert "too short for its spoken cue" in warning and "steps[1]" not in result.output


NEVER_SPOKEN = """
id: quiet
title: Quiet
phase: pose
summary: A say that never fits.
steps:
  - cue: Stand tall
    seconds: 5
    say: Stand tall with the feet under the hips and the weight on the balls of the feet.
  - cue: Pull foot under hip, hold
    seconds: 20
    say: Pull the free foot up under the hip and hold still.
"""


def test_validate_warns_about_a_say_that_is_never_spoken(cli, write_file):
    path = write_file("quiet.yaml", NEVER_SPOKEN)
    result = cli("validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith("(drill quiet, 1 warning)\n")
    assert result.stderr.startswith(f"{path}: warning: steps[0].say: never spoken: ")
    assert "steps[1]" not in result.stderr


def test_validate_warns_about_long_cues_and_off_vocabulary(cli, write_file):
    text = NEVER_SPOKEN.replace("Stand tall\n", "Stand tall and lift one foot under the hip now\n")
    path = write_file("quiet.yaml", text)
    lines = cli("validate", str(path)).stderr.splitlines()
    at = f"{path}: warning: steps[0].cue:"
    assert f"{at} 10 words; a cue read at a glance has at most 8 (put the rest in 'say')" in lines
    assert f"{at} 'lift': Pose cues say 'pull' (the foot is pulled, not lifted)" in lines


def test_the_say_rule_matches_the_audio_plan():
    """speech_fit repeats the audio plan's timing as numbers; they must agree."""
    from pose_coach.audio import plan
    from pose_coach.audio.tones import tone_seconds
    from pose_coach.library import speech_fit

    assert speech_fit.WARN_SECONDS == plan.WARN_SECONDS
    assert speech_fit.BEEP_MARGIN == plan.MARGIN
    onset = max(plan.GAP, tone_seconds("checkpoint") + 0.05)
    assert speech_fit.ONSET == pytest.approx(onset, abs=0.01)
