"""The live view: frames fit every terminal size, drill text stays literal, redraws are rare."""

from __future__ import annotations

import io
import re

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from pose_coach.library.model import Drill, ItemKind, Phase, Routine, RoutineItem, Side, Step
from pose_coach.play.clock import FakeClock
from pose_coach.play.scheduler import PlayState, SessionResult, play
from pose_coach.sinks.frame import frame_lines
from pose_coach.sinks.live import LiveSink
from pose_coach.sinks.view import View, ViewPlan, make_view
from pose_coach.terminal import Terminal
from pose_coach.timeline import Dose, Event, Timeline, compile_timeline

FALL = Drill(
    "fall",
    "Fall from the pose",
    Phase.FALL,
    "s",
    (
        Step("Stand in the pose, free foot under the hip", 5),
        Step("Lean from the ankles, not the waist", 6, checkpoint=True),
        Step("Hold the pose", 4, side=Side.BOTH),
        Step("Pull and run out 20 metres, hold the lean", 15, until_key=True),
    ),
    sets=2,
    rest=15,
    checkpoints=(
        "Body tips as one straight piece; the bend is at the ankle, not the hips",
        "Head stays up and the eyes look ahead",
        "The pull starts only when the fall forces it",
    ),
)
CHECKPOINTS = {"fall": FALL.checkpoints}
SIZES = [(12, 4), (20, 5), (30, 8), (39, 30), (40, 10), (60, 14), (80, 24), (132, 43), (8, 2)]


class ViewRecorder:
    """A redrawing sink that keeps the view at every tick."""

    wants_ticks = True

    def __init__(self, timeline: Timeline, keys: bool = True) -> None:
        self.plan = ViewPlan.of(timeline, CHECKPOINTS)
        self.keys = keys
        self.views: list[View] = []

    def start(self, timeline: Timeline) -> None:
        pass

    def event(self, event: Event, state: PlayState) -> None:
        pass

    def tick(self, state: PlayState) -> None:
        self.views.append(make_view(self.plan, state, self.keys))
        assert len(self.views) < 10_000, "an open step is waiting for a key no test sends"

    def finish(self, result: SessionResult, state: PlayState) -> None:
        pass


# pause 4-6 s; Enter 18 s into the first run-out, 6 s into the second
KEYS = ((4, " "), (6, " "), (42, "\n"), (82, "\n"))


def session_views(entry=FALL, keys=KEYS, library=None, wait=True) -> list[View]:
    """Every view of a session; ``wait``: open steps wait for Enter (``--wait``)."""
    tl = compile_timeline(entry, library, Dose(lead_in=3))
    rec = ViewRecorder(tl)
    play(tl, FakeClock(keys=keys, interactive=True), [rec], wait_open=wait)
    return rec.views


def draw(view: View, width: int, height: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, height=height, color_system=None)
    frame = Text("\n", no_wrap=True, overflow="crop").join(
        frame_lines(view, width, height, console)
    )
    console.print(frame)
    return console.file.getvalue().splitlines()


@pytest.mark.parametrize("width, height", SIZES)
def test_every_frame_of_a_session_fits_the_terminal(width, height):
    views = session_views()
    assert {v.mode for v in views} == {"countdown", "cue", "open", "rest"}
    assert any(v.paused for v in views)
    for view in set(views):
        lines = draw(view, width, height)
        assert 1 <= len(lines) <= height, (view, lines)
        assert all(cell_len(line) <= width for line in lines), lines


def frame_of(views: list[View], **match) -> View:
    return next(v for v in views if all(getattr(v, k) == x for k, x in match.items()))


def test_full_view_at_80x24_shows_what_a_coach_would():
    view = frame_of(session_views(), mode="cue", step=2, paused=False)
    screen = "\n".join(draw(view, 80, 24))
    assert "LEAN FROM THE ANKLES, NOT THE WAIST" in screen
    assert "★ checkpoint" in screen
    assert "Fall from the pose · fall" in screen and "set 1/2 · step 2/10" in screen
    assert "next  Hold the pose (left leg)" in screen
    assert "checkpoints" in screen
    assert "  ▸ Body tips as one straight piece" in screen  # set 1 focuses on the first
    assert "    Head stays up and the eyes look ahead" in screen
    assert re.search(r"━+─+ session \d:\d\d left", screen)
    assert "space pause · n next · + / - 10 s · q quit" in screen
    assert "█" in screen  # the big countdown digits


def test_side_switch_open_step_rest_and_pause_read_clearly():
    views = session_views()
    right = frame_of(views, mode="cue", side="right")
    screen = "\n".join(draw(right, 80, 24))
    assert "RIGHT LEG · stand on the right foot · switch legs" in screen
    open_step = frame_of(views, mode="open")
    screen = "\n".join(draw(open_step, 80, 24))
    assert "press Enter when done" in screen and "next  rest 0:15, then Stand" in screen
    rest = frame_of(views, mode="rest")
    assert "REST" in "\n".join(draw(rest, 80, 24))
    paused = frame_of(views, paused=True)
    assert "PAUSED · space to resume" in "\n".join(draw(paused, 80, 24))
    assert "PAUSED" in "\n".join(draw(paused, 12, 4))
    set2 = frame_of(views, mode="cue", set=2)
    assert "  ▸ Head stays up" in "\n".join(draw(set2, 80, 24))  # the focus moves each set


def test_time_taken_counts_up_during_an_open_step():
    taken = [v.seconds for v in session_views() if v.mode == "open"]
    first = taken[: taken.index(0, 1)]
    assert first == list(range(18))  # Enter 18 s in: past the 15 s fallback, still counting
    assert taken[len(first) :] == list(range(len(taken) - len(first)))


def test_a_timed_open_step_says_when_the_session_goes_on():
    views = session_views(keys=((4, " "), (6, " ")), wait=False)
    assert "open" not in {v.mode for v in views}
    going = [v.goes_on_in for v in views if v.goes_on_in is not None]
    assert going[:3] == [15, 14, 13] and going[-1] == 1
    view = frame_of(views, goes_on_in=5)
    screen = "\n".join(draw(view, 80, 24))
    assert "goes on in 0:05 · Enter when back" in screen
    assert "Enter done · space pause · q quit" in screen
    assert "goes on in 0:05" in "\n".join(draw(view, 40, 6))
    assert frame_of(views, mode="rest").goes_on_in is None


def test_compact_view_down_to_12x4():
    view = frame_of(session_views(), mode="cue", step=2, paused=False)
    lines = [line.rstrip() for line in draw(view, 12, 4)]
    assert lines == [" WORK", "Lean from…", "0:06 left", "next Hold t…"]
    lines = [line.rstrip() for line in draw(view, 30, 8)]
    assert lines[:4] == [
        " WORK     set 1/2 · step 2/10",
        "Lean from the ankles, not the",
        "waist",
        "0:06 left",
    ]
    assert re.fullmatch(r"━*─* session 1:18 left", lines[-1])
    assert "█" not in "".join(lines)


def test_drill_text_is_never_markup():
    trap = Drill(
        "trap", "[bold]Title[/bold]", Phase.POSE, "s", (Step("[red]Lean[/red] :smile: now", 3),)
    )
    views = session_views(trap, keys=())
    view = frame_of(views, mode="cue")
    full = "\n".join(draw(view, 80, 24))
    assert "[RED]LEAN[/RED] :SMILE: NOW" in full and "[bold]Title[/bold]" in full
    assert "[red]Lean[/r" in "".join(draw(view, 12, 4))


def test_routine_progress_shows_the_drill_number():
    pose = Drill("pose", "Running pose", Phase.POSE, "s", (Step("Stand tall", 3),))
    items = (RoutineItem(ItemKind.DRILL, "pose"), RoutineItem(ItemKind.DRILL, "fall"))
    routine = Routine("warm", "Warm-up", "s", items)
    views = session_views(
        routine, keys=((30, "\n"), (80, "\n")), library={"pose": pose, "fall": FALL}
    )
    second = frame_of(views, mode="cue", item=2)
    screen = "\n".join(draw(second, 80, 24))
    assert "Warm-up · drill 2/2 Fall from the pose · fall" in screen
    assert re.search(r"\d:\d\d left of \d:\d\d", screen)


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal_of(stream: io.StringIO, color: bool = True) -> Terminal:
    """The terminal a test stream stands for: a FakeTty is a terminal, a StringIO a pipe."""
    return Terminal(stdout_tty=stream.isatty(), stdin_keys=True, color=color, size=(80, 24))


def run_live(
    stream: io.StringIO, keys=(), color: bool = True, **options
) -> tuple[LiveSink, SessionResult]:
    tl = compile_timeline(FALL, dose=Dose(lead_in=2))
    sink = LiveSink(stream, terminal_of(stream, color), checkpoints=CHECKPOINTS, **options)
    result = play(tl, FakeClock(keys=keys, interactive=bool(keys)), [sink], speed=1.0)
    return sink, result


def test_live_sink_redraws_only_when_the_view_changes():
    sink, result = run_live(io.StringIO())
    # about one frame per second shown, not one per tick or per event
    assert result.completed
    assert result.position - 5 <= sink.frames <= result.position + 20
    out = sink.stream.getvalue()
    assert "Fall from the pose · fall\n✓ completed 10 steps in" in out


def test_live_sink_rewrites_only_the_lines_that_changed():
    stream = FakeTty()
    sink = LiveSink(stream, terminal_of(stream), checkpoints=CHECKPOINTS, title=False)
    tl = compile_timeline(FALL, dose=Dose(lead_in=0))
    sink.start(tl)
    cue = tl.cues[0]
    state = PlayState(tl, position=cue.at, current=cue, current_end=cue.end, total=tl.total)
    state.steps_done = 1
    sink.tick(state)
    before = len(stream.getvalue())
    sink.tick(state)  # nothing changed: nothing written
    assert len(stream.getvalue()) == before
    state.position += 1  # one second later: the big number and the bar change
    sink.tick(state)
    update = stream.getvalue()[before:]
    rows = {int(r) for r in re.findall(r"\x1b\[(\d+);1H", update)}
    assert rows == {*range(7, 14), 22}  # the digit rows ("0:05" to "0:04"); the bar
    assert "checkpoints" not in update and "STAND IN THE POSE" not in update


def test_live_sink_on_a_terminal_sets_and_restores_the_title_and_cursor():
    sink, result = run_live(FakeTty(), keys=[(5, "q")], color=False)
    out = sink.stream.getvalue()
    assert "\x1b[22;0t" in out and out.rstrip().count("\x1b[23;0t") == 1
    assert re.search(r"\x1b\]0;\d:\d\d left · Fall from the pose\x07", out)
    assert out.rindex("\x1b[?25h") > out.rindex("\x1b]0;")
    assert "\x1b[?1049h" in out and "\x1b[?1049l" in out  # alternate screen, then back
    plain = re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", out)
    assert plain.endswith("Fall from the pose · fall\n■ stopped at step 1/10 after 0:05\n")
    assert result.reason == "quit"
    assert not re.search(r"\x1b\[[0-9;]*3[0-7]m|\x1b\[38;", out)  # no colour


def test_no_title_means_no_title_escape(monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm-256color")
    sink, _ = run_live(FakeTty(), keys=[(3, "q")], title=False, color=True)
    out = sink.stream.getvalue()
    assert "\x1b]0;" not in out and "\x1b[22;0t" not in out
    assert re.search(r"\x1b\[[0-9;]*3[0-7]m", out)  # colour where allowed


def test_close_is_idempotent_and_restores_after_an_error():
    stream = FakeTty()
    sink = LiveSink(stream, terminal_of(stream))
    sink.start(compile_timeline(FALL))
    sink.close()
    sink.close()
    out = stream.getvalue()
    assert out.endswith("\x1b[?25h") and out.count("\x1b[23;0t") == 1


def draw_in_colour(view: View, width: int, height: int) -> list[str]:
    console = Console(
        file=io.StringIO(), width=width, height=height, color_system="standard", force_terminal=True
    )
    out = []
    for line in frame_lines(view, width, height, console):
        with console.capture() as capture:
            console.print(line, end="", no_wrap=True, overflow="crop", crop=False)
        out.append(capture.get())
    return out


def test_reverse_video_labels_start_at_their_text_not_at_the_left_edge():
    views = session_views()
    for view, label in (
        (frame_of(views, paused=True), "PAUSED"),
        (frame_of(views, mode="open"), "press Enter"),
    ):
        line = next(x for x in draw_in_colour(view, 80, 24) if f"{label} " in x and "·" in x)
        reverse = re.search(r"\x1b\[(?:\d+;)*7(?:;\d+)*m", line)
        assert reverse, line
        before = re.sub(r"\x1b\[[0-9;]*m", "", line[: reverse.start()])
        after = re.sub(r"\x1b\[[0-9;]*m", "", line[reverse.end() :])
        assert before.startswith("   ") and after.startswith(f" {label}"), line
        assert "\x1b[7m" not in line[: reverse.start()]


def test_a_rest_header_names_what_comes_next_not_a_step():
    rest = frame_of(session_views(), mode="rest")
    header = draw(rest, 80, 24)[0]
    assert header.endswith("rest · next: set 2/2") and "step" not in header


def test_ctrl_z_gives_the_screen_back_and_fg_draws_it_anew():
    stream = FakeTty()
    sink, result = run_live(stream, keys=((1, "suspend"), (30, "resumed"), (31, " ")))
    out = stream.getvalue()
    assert result.completed
    # entered at the start, left at Ctrl-Z, entered again after fg, left at the end
    assert out.count("\x1b[?1049h") == 2 and out.count("\x1b[?1049l") == 2
    suspended = out.index("\x1b[?1049l")
    assert "\x1b[?25h" in out[suspended : out.index("\x1b[?1049h", suspended)]
    back = out.index("\x1b[?1049h", suspended)
    assert "PAUSED" in out[back:]
