"""The live view: a full-screen coach in the terminal, redrawn only when what it shows changes.

The scheduler calls ``tick`` after each batch of events and at each whole second of
the current step; the sink reduces the play state to a ``View`` and redraws only when
that view or the terminal size changed (about once a second). There is no refresh
thread (``Live(auto_refresh=False)``). The alternate screen keeps the shell's
scrollback intact and makes resizing safe; a short summary is printed on the normal
screen at the end.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from ..scheduler import PlayState, SessionResult
from ..timeline import Event, Timeline
from .frame import render_frame, summary_lines
from .view import Plan, View, make_view

_SHOW_CURSOR = "\x1b[?25h"
_HOME = "\x1b[H"
_TITLE_PUSH = "\x1b[22;0t"  # xterm: save the window title on a stack...
_TITLE_POP = "\x1b[23;0t"  # ...and put it back (ignored where unsupported)


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _clean_title(text: str) -> str:
    # the title goes inside an escape sequence: no control characters may end it early
    return "".join(ch for ch in text if ch.isprintable())


class LiveSink:
    """Draws the session on a terminal; see ``view.py`` for what is shown."""

    wants_ticks = True

    def __init__(
        self,
        stream: TextIO,
        title: bool = True,
        color: bool = True,
        checkpoints: Mapping[str, Sequence[str]] | None = None,
        keys: bool = True,
    ) -> None:
        self.stream = stream
        self.terminal = _isatty(stream)
        self.title = title and self.terminal
        self.color = color
        self.checkpoints = checkpoints or {}
        self.keys = keys
        self.plan: Plan | None = None
        self.console = None
        self.live = None
        self.frames = 0  # frames drawn, for tests and benchmarks
        self._shown: tuple[View, tuple[int, int]] | None = None
        self._window_title: str | None = None
        self._closed = False

    def start(self, timeline: Timeline) -> None:
        from rich.console import Console
        from rich.live import Live

        self.plan = Plan.of(timeline, self.checkpoints)
        self.console = Console(
            file=self.stream,
            markup=False,
            emoji=False,
            highlight=False,
            no_color=not self.color,
        )
        self.live = Live(
            console=self.console,
            auto_refresh=False,
            screen=True,
            redirect_stdout=False,
            # warnings from other sinks (speech) show above the view, not through it
            redirect_stderr=_isatty(sys.stderr),
        )
        if self.title:
            self._write(_TITLE_PUSH)
        self.live.start()

    def event(self, event: Event, state: PlayState) -> None:
        # the scheduler ticks right after each batch of events; drawing happens there once
        pass

    def tick(self, state: PlayState) -> None:
        if self._closed or self.plan is None or self.live is None:
            return
        view = make_view(self.plan, state, self.keys)
        size = self._size()
        if self._shown == (view, size):
            return
        self._shown = (view, size)
        assert self.console is not None
        if self.console.size != size:
            self.console.size = size
        self.live.update(render_frame(view, size[0], size[1], self.console), refresh=True)
        self.frames += 1
        # park the (hidden) cursor top-left: a terminal that shrinks then drops rows from
        # the bottom instead of scrolling the frame into the shell's screen (tmux does)
        extra = _HOME if self.terminal else ""
        if self.title and view.window_title != self._window_title:
            self._window_title = view.window_title
            extra += f"\x1b]0;{_clean_title(view.window_title)}\x07"
        if extra:
            self._write(extra)

    def finish(self, result: SessionResult, state: PlayState) -> None:
        self.close(result)

    def close(self, result: SessionResult | None = None) -> None:
        """Leave the screen as found: normal screen, cursor shown, title back. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            if self.live is not None:
                if self.terminal:
                    # blank the alternate screen before leaving it: a terminal that was
                    # resized meanwhile (tmux) may otherwise copy some of it back
                    self._write(_HOME + "\x1b[2J")
                self.live.stop()
        finally:
            if self.title:
                self._write("\x1b]0;\x07" + _TITLE_POP)
            if self.terminal:
                self._write(_SHOW_CURSOR)
        if result is not None and self.plan is not None and self.console is not None:
            self.console.print(summary_lines(self.plan.timeline, result))

    def _size(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self.stream.fileno())
            return size.columns, size.lines
        except (AttributeError, ValueError, OSError):
            assert self.console is not None
            return self.console.width, self.console.height

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal is gone; nothing to restore on it
            pass
