"""`validate` warns about a step too short for its spoken cue (an estimate: no engine)."""

from __future__ import annotations

SHORT = """
id: short
title: Short
phase: fall
summary: A drill with a step too short for its cue.
steps:
  - cue: Pull the foot straight up under the hip and let it drop
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
