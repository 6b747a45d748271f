"""The live view at five window sizes: snapshots, and the sizes of what must read from afar.

Snapshots are in tests/snapshots/live-*.txt; UPDATE_SNAPSHOTS=1 rewrites them after an
intended change of layout (then read the diff).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from rich.text import Text

from pose_coach.sinks.frame import frame_lines
from pose_coach.sinks.view import View

SNAPSHOTS = Path(__file__).parents[1] / "snapshots"
SIZES = [(30, 8), (60, 12), (80, 24), (100, 30), (200, 60)]
BLOCKS = re.compile(r"[█▀▄]")

# one leg of a per-leg step, a checkpoint, 12 s left: the richest moment the view draws
HOLD = View(
    title="Fall from the pose",
    phase="fall",
    mode="cue",
    cue="Hold the pose",
    seconds=12,
    side="left",
    checkpoint=True,
    next_cue="Hold the pose",
    next_side="right",
    step=3,
    steps=10,
    set=1,
    sets=2,
    left=78,
    total=96,
    checkpoints=(
        "Body tips as one straight piece; the bend is at the ankle, not the hips",
        "Head stays up and the eyes look ahead",
        "The pull starts only when the fall forces it",
    ),
    focus=0,
)
REST = replace(
    HOLD, mode="rest", cue="rest", seconds=12, side=None, checkpoint=False, set=2, step=5
)


def console(width: int, height: int, colour: bool = False) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        height=height,
        color_system="standard" if colour else None,
        force_terminal=colour,
    )


def draw(view: View, width: int, height: int) -> list[str]:
    out = console(width, height)
    lines = frame_lines(view, width, height, out)
    out.print(Text("\n", no_wrap=True, overflow="crop").join(lines))
    return [line.rstrip() for line in out.file.getvalue().splitlines()]


def check_snapshot(name: str, text: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no snapshot {path}; run the tests once with UPDATE_SNAPSHOTS=1"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("width, height", SIZES)
def test_snapshot_of_a_per_leg_step(width, height):
    lines = draw(HOLD, width, height)
    assert len(lines) <= height and all(len(line) <= width for line in lines)
    check_snapshot(f"live-{width}x{height}.txt", "\n".join(lines) + "\n")


@pytest.mark.parametrize("width, height", [(30, 8), (60, 12)])
def test_small_windows_label_the_time_and_keep_the_cue(width, height):
    screen = "\n".join(draw(HOLD, width, height))
    assert "0:12 left" in screen and "hold the pose" in screen.lower()
    assert "LEFT LEG" in screen
    assert "step 3/10" in screen and "session 1:18 left" in screen
    rest = "\n".join(draw(REST, width, height))
    assert "0:12 rest left" in rest and "REST" in rest and "rest · next: set 2/2" in rest
    # no number stands alone: each is followed or led by what it counts
    for line in draw(HOLD, width, height):
        assert not re.fullmatch(r"\s*\d+(:\d\d)?\s*", line), line


def digit_rows(view: View, width: int, height: int) -> int:
    """Rows of the block digits: block characters on a line outside the band."""
    lines = frame_lines(view, width, height, console(width, height))
    return sum(1 for x in lines if BLOCKS.search(x.plain) and " on " not in str(x.style))


def test_the_digits_grow_with_the_window():
    assert digit_rows(HOLD, 80, 24) >= 7
    assert digit_rows(HOLD, 100, 30) >= 7
    assert digit_rows(HOLD, 200, 60) >= 15  # a quarter of the screen's height
    assert digit_rows(replace(HOLD, seconds=600), 200, 60) >= 15  # "10:00" fits too
    assert digit_rows(HOLD, 60, 12) == 0  # "0:12 left" in words instead


def band_lines(view: View, width: int, height: int) -> list[Text]:
    lines = frame_lines(view, width, height, console(width, height))
    return [x for x in lines if " on " in str(x.style)]


@pytest.mark.parametrize("width, height", [(100, 30), (200, 60)])
def test_the_cue_and_the_leg_are_in_block_letters_from_100x30(width, height):
    band = band_lines(HOLD, width, height)
    blocks = [x for x in band if BLOCKS.search(x.plain)]
    assert len(blocks) >= 6  # HOLD THE POSE and LEFT LEG, 3 rows or more each
    assert any("stand on the left foot" in x.plain for x in band)
    assert all(x.cell_len == width for x in band)  # colour over the full width


def test_a_cue_too_long_for_block_letters_is_bold_text_on_the_band():
    long = replace(HOLD, cue="Lean from the ankles, not the waist, " * 3)
    band = band_lines(long, 100, 30)
    assert any("LEAN FROM THE ANKLES, NOT THE WAIST" in x.plain for x in band)
    odd = replace(HOLD, cue="Lehne dich nach vorn, ohne Hüftknick")  # no glyph for Ü
    assert any("LEHNE DICH NACH VORN" in x.plain for x in band_lines(odd, 100, 30))


@pytest.mark.parametrize(
    "view, word",
    [
        (HOLD, "WORK"),
        (REST, "REST"),
        (replace(HOLD, seconds=3), "LAST 3 S"),
        (replace(REST, seconds=2), "LAST 3 S"),
        (replace(HOLD, paused=True), "PAUSED"),
        (replace(HOLD, mode="countdown", seconds=3, step=0), "GET READY"),
    ],
)
def test_the_kind_of_moment_is_said_in_words_at_every_size(view, word):
    for width, height in SIZES:
        assert any(line.startswith(f" {word}") for line in draw(view, width, height))


def test_the_kind_of_moment_is_a_colour_over_the_full_width(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    seen = set()
    for view in (HOLD, REST, replace(HOLD, seconds=3), replace(HOLD, paused=True)):
        out = console(100, 30, colour=True)
        line = band_lines(view, 100, 30)[0]
        with out.capture() as capture:
            out.print(line, end="", no_wrap=True, overflow="crop", crop=False)
        rendered = capture.get()
        background = re.search(r"\x1b\[[0-9;]*;(4[0-7]|10[0-7])m", rendered)
        assert background, repr(rendered)
        seen.add(background.group(1))
        assert len(re.sub(r"\x1b\[[0-9;]*m", "", rendered)) == 100
    assert len(seen) == 4  # work, rest, the last 3 s and a pause: four colours


def test_a_step_that_goes_on_by_itself_says_when_at_every_size():
    run_out = replace(HOLD, cue="Pull and run out 20 metres", side=None, goes_on_in=5, seconds=5)
    for width, height in SIZES:
        assert "goes on in 0:05" in "\n".join(draw(run_out, width, height))
    assert "goes on in 0:05 · Enter when back" in "\n".join(draw(run_out, 100, 30))
    assert "Enter done · space pause · q quit" in "\n".join(draw(run_out, 100, 30))


def test_every_moment_of_a_session_keeps_the_digits_big():
    from tests.sinks.test_live import session_views

    views = set(session_views())
    wordy = "Lean from the ankles, not the waist, the body straight as a board, head up"
    views |= {replace(v, cue=wordy) for v in views}
    assert min(digit_rows(v, 100, 30) for v in views) >= 7
    assert min(digit_rows(v, 200, 60) for v in views) >= 15


def test_the_key_help_names_m_while_there_is_sound_to_mute():
    playing = replace(HOLD, sound="voice on · beeps on · metronome off")
    assert "+ / - 10 s · m mute · q quit" in "\n".join(draw(playing, 100, 30))
    assert "space pause · n next · m mute · q quit" in "\n".join(draw(playing, 40, 24))
    muted = replace(playing, sound="muted (m)", paused=True)
    assert "space resume · m unmute · q quit" in "\n".join(draw(muted, 100, 30))
    silent = replace(HOLD, sound="sound off")
    assert "mute" not in "\n".join(draw(silent, 100, 30)).replace("sound off", "")
