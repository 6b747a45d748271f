"""The live view: a full-screen coach in the terminal, redrawn only when what it shows changes.

The scheduler calls ``tick`` after each batch of events and at each whole second of
the current step; the sink reduces the play state to a ``View`` (``view.py``) and
redraws only when that view or the terminal size changed, about once a second. There
is no refresh thread.

Drawing: ``frame.py`` lays the view out as rich ``Text`` lines that fit the terminal;
rich renders each line's styles, and only the lines that differ from what is on screen
are rewritten. That is rich's ``Live(auto_refresh=False, screen=True)`` without its
full-screen repaint, which cost twice the CPU and two and a half times the bytes per
frame (benchmarks/timing.py): a frame is ready ~1 ms after its cue fires. The
alternate screen keeps the shell's scrollback intact and makes resizing safe; a short
summary is printed on the normal screen at the end. While the view is up, the session
holds its warnings back and prints them after it (``play/session.py``), so nothing
scribbles over it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from pose_coach.audio.status import SoundStatus
from pose_coach.play.scheduler import PlayState, SessionResult
from pose_coach.sinks.frame import frame_lines, summary_lines
from pose_coach.sinks.view import View, ViewPlan, make_view
from pose_coach.terminal import Terminal, plain_console
from pose_coach.timeline import Event, Timeline

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

_ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"  # alternate screen, cursor hidden, cleared
# blank the alternate screen before leaving it: a terminal resized meanwhile (tmux) may
# otherwise copy some of it back onto the normal screen
_LEAVE = "\x1b[H\x1b[2J\x1b[?1049l"
_SHOW_CURSOR = "\x1b[?25h"
_TITLE_PUSH = "\x1b[22;0t"  # xterm: save the window title on a stack...
_TITLE_POP = "\x1b[23;0t"  # ...and put it back (ignored where unsupported)
_CACHE_LINES = 512  # rendered lines kept: the checkpoint list, borders, key help recur


def _clean_title(text: str) -> str:
    # the title goes inside an escape sequence: no control characters may end it early
    return "".join(ch for ch in text if ch.isprintable())


class LiveSink:
    """Draws the session on a terminal; see ``view.py`` for what is shown."""

    wants_ticks = True

    def __init__(
        self,
        stream: TextIO,
        terminal: Terminal,
        title: bool = True,
        checkpoints: Mapping[str, Sequence[str]] | None = None,
        sound: SoundStatus | None = None,
    ) -> None:
        self.stream = stream
        self.window = terminal
        self.terminal = terminal.stdout_tty  # a real screen: alternate screen, cursor, title
        self.title = title and self.terminal
        self.color = terminal.color
        self.checkpoints = checkpoints or {}
        self.sound = sound  # what the header says of sound; failures as they happen
        self.keys = terminal.stdin_keys  # key help is shown only where keys can be read
        self.plan: ViewPlan | None = None
        self.console: Console | None = None
        self.frames = 0  # frames drawn, for tests and benchmarks
        self._shown: tuple[View, tuple[int, int]] | None = None
        self._screen: list[str] = []  # the rendered lines now on screen
        self._rendered: dict[tuple, str] = {}
        self._window_title: str | None = None
        self._started = False
        self._closed = False
        self._away = False  # suspended (Ctrl-Z): the normal screen is the shell's
        self._redraw = 0  # the state's redraw count last drawn

    def start(self, timeline: Timeline) -> None:
        self.plan = ViewPlan.of(timeline, self.checkpoints)
        self.console = plain_console(self.stream, self.color)
        self._started = True
        self._write((_TITLE_PUSH if self.title else "") + (_ENTER if self.terminal else ""))
        # draw "get ready" now, before the session clock starts, and render (unseen) the
        # first cue's frame: first renders are the slow ones, and the first cue and the
        # countdown's first second should not pay for them
        self.tick(PlayState(timeline, total=timeline.total))
        self._warm_up(timeline)

    def event(self, event: Event, state: PlayState) -> None:
        # the scheduler ticks right after each batch of events; drawing happens there once
        pass

    def tick(self, state: PlayState) -> None:
        if self._closed or self.plan is None or self.console is None:
            return
        if state.suspended:  # Ctrl-Z: the shell gets its own screen back until ``fg``
            if not self._away:
                self._away = True
                self._write(self._leave_sequence())
            return
        if self._away or state.redraw != self._redraw:
            # back after ``fg``: whatever the shell drew meanwhile, draw everything anew
            if self._away:
                self._write((_TITLE_PUSH if self.title else "") + (_ENTER if self.terminal else ""))
            self._away = False
            self._redraw = state.redraw
            self._shown = None
            self._window_title = None
        view = make_view(self.plan, state, self.keys, self.sound)
        size = self._size()
        if self._shown == (view, size):
            return
        resized = self._shown is None or self._shown[1] != size
        self._shown = (view, size)
        out = []
        if resized:  # whatever the terminal did to the old frame, start from a blank one
            out.append("\x1b[H\x1b[2J")
            self._screen = []
            self.console.size = size
        lines = [self._render(line) for line in frame_lines(view, *size, self.console)]
        for row, line in enumerate(lines):
            if row >= len(self._screen) or self._screen[row] != line:
                out.append(f"\x1b[{row + 1};1H\x1b[2K{line}")
        for row in range(len(lines), len(self._screen)):
            out.append(f"\x1b[{row + 1};1H\x1b[2K")
        self._screen = lines
        if self.title and view.window_title != self._window_title:
            self._window_title = view.window_title
            out.append(f"\x1b]0;{_clean_title(view.window_title)}\x07")
        # park the (hidden) cursor top-left: a terminal that shrinks then drops rows from
        # the bottom instead of scrolling the frame into the shell's screen (tmux does)
        out.append("\x1b[H")
        self._write("".join(out))
        self.frames += 1

    def finish(self, result: SessionResult, state: PlayState) -> None:
        self.close(result)

    def close(self, result: SessionResult | None = None) -> None:
        """Leave the screen as found: normal screen, cursor shown, title back. Idempotent."""
        if self._closed or not self._started:
            return
        self._closed = True
        if not self._away:  # (after Ctrl-Z the screen was given back already)
            self._write(self._leave_sequence())
        if result is not None and self.plan is not None and self.console is not None:
            try:
                self.console.print(summary_lines(self.plan.timeline, result))
            except (OSError, ValueError):  # the terminal was closed (SIGHUP): nobody to tell
                pass

    def _leave_sequence(self) -> str:
        """Normal screen, title back, cursor shown: the terminal as the shell left it."""
        restore = _LEAVE if self.terminal else ""
        if self.title:
            restore += "\x1b]0;\x07" + _TITLE_POP
        return restore + (_SHOW_CURSOR if self.terminal else "")

    def _warm_up(self, timeline: Timeline) -> None:
        plan = self.plan
        if plan is None or not plan.cues or self.console is None:
            return
        cues = plan.cues
        cue = cues[0]
        state = PlayState(
            timeline,
            position=cue.at,
            current=cue,
            current_start=cue.at,
            current_end=cue.end,
            total=timeline.total,
            steps_done=cue.step or 1,
        )
        size = self._size()
        for line in frame_lines(make_view(plan, state, self.keys), *size, self.console):
            self._render(line)

    def _render(self, line: Text) -> str:
        """One line as text with escape codes; lines that recur are rendered once.

        The line's segments are styled here directly, as ``Console._render_buffer``
        does, rather than through ``console.print`` and a capture: a frame of block
        letters has up to 60 new lines, and printing each cost ~1 ms more.
        """
        key = (line.plain, tuple(line.spans), str(line.style))
        text = self._rendered.get(key)
        if text is None:
            from rich.segment import Segment

            console = self.console
            assert console is not None
            if len(self._rendered) >= _CACHE_LINES:
                self._rendered.clear()
            if line.style and not line.spans:
                # Text.render leaves a line's own style to the caller unless it has spans
                line = line.copy()
                line.stylize_before(line.style)
            segments = line.render(console)
            if console.no_color:
                segments = Segment.remove_color(segments)
            system = console._color_system  # noqa: SLF001 - what print would style with
            text = self._rendered[key] = "".join(
                style.render(part, color_system=system) if style else part
                for part, style, _ in segments
            )
        return text

    def _size(self) -> tuple[int, int]:
        return self.window.window_size(self.stream)

    def _write(self, text: str) -> None:
        if not text:
            return
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal is gone; nothing to restore on it
            pass
