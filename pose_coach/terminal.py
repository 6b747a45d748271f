"""The terminal a command runs in, read once at the edge and passed down as one value.

Whether stdout, stderr and stdin are terminals, the window's size, and whether colour is
allowed (NO_COLOR, https://no-color.org) are facts of the process, not of any one module:
``cli.py`` reads them once into a :class:`Terminal`, and everything that draws asks it.
Tests build the terminal they need (``Terminal(stdout_tty=True, size=(80, 24))``) instead
of patching helpers.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_SIZE = (80, 24)


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # closed, or not a real stream
        return False


def _keys_readable(stream: Any) -> bool:
    """Keys can be read one at a time from ``stream``: a terminal, on POSIX (termios)."""
    try:
        import termios  # noqa: F401  (absent on Windows)
    except ImportError:
        return False
    return _isatty(stream)


@dataclass(frozen=True)
class Terminal:
    """What the process's standard streams are; a pipe with no colour by default."""

    stdout_tty: bool = False
    stderr_tty: bool = False
    stdin_keys: bool = False  # keys can be read from stdin (a terminal, on POSIX)
    color: bool = True  # NO_COLOR is not set
    dumb: bool = False  # TERM=dumb: a terminal that cannot draw a full-screen view
    size: tuple[int, int] | None = None  # fixed (columns, rows); None: ask the window

    @classmethod
    def detect(
        cls,
        stdout: Any = None,
        stderr: Any = None,
        stdin: Any = None,
        environ: Mapping[str, str] | None = None,
    ) -> Terminal:
        """The terminal of this process (or of the streams given)."""
        environ = os.environ if environ is None else environ
        return cls(
            stdout_tty=_isatty(sys.stdout if stdout is None else stdout),
            stderr_tty=_isatty(sys.stderr if stderr is None else stderr),
            stdin_keys=_keys_readable(sys.stdin if stdin is None else stdin),
            color="NO_COLOR" not in environ,
            dumb=environ.get("TERM") == "dumb",
        )

    @property
    def interactive(self) -> bool:
        """stdout can show the full-screen live view."""
        return self.stdout_tty and not self.dumb

    @property
    def styled(self) -> bool:
        """stdout may carry rich styling: a terminal, and colour allowed (NO_COLOR means
        plain text with no escape codes at all, not even bold)."""
        return self.stdout_tty and self.color

    @property
    def progress(self) -> bool:
        """A progress bar may be drawn on stderr."""
        return self.stderr_tty

    def window_size(self, stream: IO[str] | None = None) -> tuple[int, int]:
        """(columns, rows) of the window now: it changes while a session plays."""
        if self.size is not None:
            return self.size
        try:
            fd = (sys.stdout if stream is None else stream).fileno()
            measured = os.get_terminal_size(fd)
            return measured.columns, measured.lines
        except (AttributeError, ValueError, OSError):
            return DEFAULT_SIZE

    def console(self, stream: IO[str] | None = None, width: int | None = None) -> Console:
        """A rich console on ``stream`` (stdout) that never reads text as markup."""
        return plain_console(sys.stdout if stream is None else stream, self.color, width)


def plain_console(stream: IO[str], color: bool, width: int | None = None) -> Console:
    """A rich console whose text is never markup, emoji or auto-highlighted: text from
    files is shown as written, styled only through ``Text`` objects."""
    from rich.console import Console

    return Console(
        file=stream,
        markup=False,
        emoji=False,
        highlight=False,
        no_color=not color,
        width=width,
    )
