"""Keys from a terminal, one at a time, without polling; the terminal always restored.

``KeyboardInput`` puts the terminal in cbreak mode (keys arrive at once, unechoed, and
ISIG stays on so Ctrl-C still arrives as SIGINT) and waits with ``select`` on stdin
and a self-pipe fed by SIGWINCH, so the scheduler sleeps until the next deadline, a
key or a resize, whichever comes first. POSIX only: the live view is for terminals.
"""

from __future__ import annotations

import math
import os
import select
import signal
from types import TracebackType
from typing import TextIO

from pose_coach.play.scheduler import KEY_INTERRUPT, KEY_LAP, KEY_RESIZE

_ESC = "\x1b"


class KeyboardInput:
    """Context manager: cbreak mode on enter, the saved termios settings back on exit."""

    def __init__(self, stream: TextIO) -> None:
        self.fd = stream.fileno()
        self.saved: list | None = None
        self.pending: list[str] = []
        self.closed = False  # stdin hit end of file (the terminal went away)
        self._wake_r = self._wake_w = -1
        self._old_winch: object = None

    def __enter__(self) -> KeyboardInput:
        import termios
        import tty

        # tcgetattr first: tty.setcbreak only returns the old settings from Python 3.12
        self.saved = termios.tcgetattr(self.fd)
        try:
            tty.setcbreak(self.fd, termios.TCSANOW)
            # no XON/XOFF: a stray Ctrl-S must not freeze the output (and, with it, the
            # scheduler inside a write) until Ctrl-Q
            mode = termios.tcgetattr(self.fd)
            mode[0] &= ~termios.IXON
            termios.tcsetattr(self.fd, termios.TCSANOW, mode)
            self._watch_resize()
        except BaseException:
            self._restore()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._restore()

    def _watch_resize(self) -> None:
        """SIGWINCH writes a byte to a pipe that ``read`` also waits on."""
        try:
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_w, False)
            self._old_winch = signal.signal(signal.SIGWINCH, self._on_winch)
        except (ValueError, AttributeError, OSError):  # not the main thread, or no SIGWINCH
            self._close_pipe()

    def _on_winch(self, signum: int, frame: object) -> None:
        try:
            os.write(self._wake_w, b"w")
        except OSError:  # the pipe is full: a wake-up is already pending
            pass

    def _close_pipe(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            if fd >= 0:
                os.close(fd)
        self._wake_r = self._wake_w = -1

    def _restore(self) -> None:
        from pose_coach.signals import held

        with held():  # a signal now must not leave the terminal half restored
            self._restore_now()

    def _restore_now(self) -> None:
        import termios

        if self._old_winch is not None:
            signal.signal(signal.SIGWINCH, self._old_winch)  # type: ignore[arg-type]
            self._old_winch = None
        self._close_pipe()
        if self.saved is not None:
            try:
                # TCSAFLUSH: keys typed but never read don't spill into the shell
                termios.tcsetattr(self.fd, termios.TCSAFLUSH, self.saved)
            except termios.error:  # the terminal is gone; nothing left to restore
                pass
            self.saved = None

    def read(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds (``inf``: no limit) for one key; None if none came.

        Returns " ", "n", "+", "-", "q", "\\n" (Enter), any other single character, a
        whole escape sequence (arrow keys; ignored by the scheduler), "resize" when the
        window changed size, or "interrupt" when the terminal went away.
        """
        if self.pending:
            return self.pending.pop(0)
        if self.closed:
            return KEY_INTERRUPT
        fds = [self.fd] + ([self._wake_r] if self._wake_r >= 0 else [])
        ready, _, _ = select.select(fds, [], [], None if math.isinf(timeout) else timeout)
        if not ready:
            return None
        if self._wake_r in ready:
            os.read(self._wake_r, 64)
            return KEY_RESIZE
        try:
            data = os.read(self.fd, 64)
        except OSError:  # EIO: the terminal was hung up
            data = b""
        if not data:
            self.closed = True
            return KEY_INTERRUPT
        self.pending = split_keys(data.decode("utf-8", "replace"))
        return self.pending.pop(0) if self.pending else None


def split_keys(text: str) -> list[str]:
    """Split what one read returned into keys: characters, with escape sequences kept whole."""
    keys: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == _ESC and i + 1 < len(text) and text[i + 1] in "[O":
            j = i + 2
            # CSI/SS3: parameters and intermediates, then one final byte in @..~
            while j < len(text) and not ("@" <= text[j] <= "~"):
                j += 1
            keys.append(text[i : j + 1])
            i = j + 1
            continue
        keys.append(KEY_LAP if ch == "\r" else ch)
        i += 1
    return keys
