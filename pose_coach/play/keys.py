"""Keys from a terminal, one at a time, without polling; the terminal always restored.

``KeyboardInput`` puts the terminal in cbreak mode (keys arrive at once, unechoed, and
ISIG stays on so Ctrl-C still arrives as SIGINT) and waits with ``select`` on stdin
and a self-pipe fed by SIGWINCH, so the scheduler sleeps until the next deadline, a
key or a resize, whichever comes first. POSIX only: the live view is for terminals.

Ctrl-Z (SIGTSTP) goes through the same pipe, so nothing is done inside the signal
handler: ``read`` first returns "suspend" (the scheduler pauses, the live view gives the
screen back), and on the next ``read`` the terminal settings are put back and the
process stops itself. After ``fg`` (SIGCONT) cbreak mode is set again and ``read``
returns "resumed": the view is drawn anew and the session stays paused until space.
"""

from __future__ import annotations

import math
import os
import select
import signal
from types import TracebackType
from typing import TextIO

from pose_coach.play.scheduler import (
    KEY_INTERRUPT,
    KEY_LAP,
    KEY_RESIZE,
    KEY_RESUMED,
    KEY_SUSPEND,
)

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
        self._old_tstp: object = None
        self._old_cont: object = None
        self._stop_next = False  # "suspend" was returned: the next read stops the process

    def __enter__(self) -> KeyboardInput:
        import termios

        # tcgetattr first: tty.setcbreak only returns the old settings from Python 3.12
        self.saved = termios.tcgetattr(self.fd)
        try:
            self._cbreak()
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

    def _cbreak(self) -> None:
        import termios
        import tty

        tty.setcbreak(self.fd, termios.TCSANOW)
        # no XON/XOFF: a stray Ctrl-S must not freeze the output (and, with it, the
        # scheduler inside a write) until Ctrl-Q
        mode = termios.tcgetattr(self.fd)
        mode[0] &= ~termios.IXON
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)

    def _watch_resize(self) -> None:
        """SIGWINCH, SIGTSTP and SIGCONT write a byte each to a pipe that ``read`` also
        waits on."""
        try:
            self._wake_r, self._wake_w = os.pipe()
            os.set_blocking(self._wake_w, False)
            self._old_winch = signal.signal(signal.SIGWINCH, self._on_signal)
            self._old_tstp = signal.signal(signal.SIGTSTP, self._on_signal)
            self._old_cont = signal.signal(signal.SIGCONT, self._on_signal)
        except (ValueError, AttributeError, OSError):  # not the main thread, or no SIGWINCH
            self._put_back_handlers()
            self._close_pipe()

    _BYTES = {"SIGWINCH": b"w", "SIGTSTP": b"z", "SIGCONT": b"c"}

    def _on_signal(self, signum: int, frame: object) -> None:
        try:
            os.write(self._wake_w, self._BYTES.get(signal.Signals(signum).name, b"w"))
        except OSError:  # the pipe is full: a wake-up is already pending
            pass

    def _put_back_handlers(self) -> None:
        for name, attr in (
            ("SIGWINCH", "_old_winch"),
            ("SIGTSTP", "_old_tstp"),
            ("SIGCONT", "_old_cont"),
        ):
            old = getattr(self, attr)
            if old is not None:
                signal.signal(getattr(signal, name), old)
                setattr(self, attr, None)

    def _stop_here(self) -> None:
        """Ctrl-Z, for real: the terminal as it was, then stop as the shell expects; after
        ``fg`` the handler and cbreak mode are back."""
        import termios

        if self.saved is not None:
            try:
                termios.tcsetattr(self.fd, termios.TCSANOW, self.saved)
            except termios.error:
                pass
        old = signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        try:
            # stops here (in an orphaned process group the kernel ignores it: go on)
            os.kill(os.getpid(), signal.SIGTSTP)
        finally:
            signal.signal(signal.SIGTSTP, old)
            try:
                self._cbreak()
            except termios.error:  # the terminal went away while stopped
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

        self._put_back_handlers()
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
        window changed size, "suspend" for Ctrl-Z (the next call stops the process and,
        after ``fg``, returns "resumed"), or "interrupt" when the terminal went away.
        """
        if self._stop_next:
            self._stop_next = False
            self._stop_here()
            return KEY_RESUMED
        if self.pending:
            return self.pending.pop(0)
        if self.closed:
            return KEY_INTERRUPT
        fds = [self.fd] + ([self._wake_r] if self._wake_r >= 0 else [])
        ready, _, _ = select.select(fds, [], [], None if math.isinf(timeout) else timeout)
        if not ready:
            return None
        if self._wake_r in ready:
            woken = os.read(self._wake_r, 64)
            if b"z" in woken:
                self._stop_next = True  # once the scheduler has paused and the view gone
                return KEY_SUSPEND
            if b"c" in woken:  # continued after a stop from elsewhere (SIGSTOP, SIGCONT)
                try:
                    self._cbreak()
                except OSError:
                    pass
                return KEY_RESUMED
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
