"""Where a command's ``-o`` sends its output: a file, written atomically, or stdout.

One value for every command that writes a document or a file (``sheet``, ``export``,
``render``, ``log export``): it parses the option (``-`` or nothing is stdout), refuses
binary data on a terminal, writes, and words the one "wrote …" message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from pose_coach.errors import UsageError, display_path
from pose_coach.terminal import Terminal

Writer = Callable[[BinaryIO], object]  # writes the whole output into the open file


@dataclass(frozen=True)
class OutputTarget:
    path: Path | None  # None: stdout

    @classmethod
    def parse(cls, value: str | Path | None) -> OutputTarget:
        """``-o`` as given: None or ``-`` is stdout."""
        if value is None or str(value) == "-":
            return cls(None)
        target = cls(Path(value))
        target.check()
        return target

    def check(self) -> None:
        """Refuse now, before any work, a path that cannot be written: a FIFO, a folder,
        a socket, a name longer than the file system allows (OutputError)."""
        if self.path is not None:
            from pose_coach.atomic import check_target

            check_target(self.path)

    @property
    def to_stdout(self) -> bool:
        return self.path is None

    @property
    def suffix(self) -> str:
        """The file name's suffix, lower-case (``.pdf``); empty for stdout."""
        return self.path.suffix.lower() if self.path is not None else ""

    @property
    def shown(self) -> str:
        """The path as messages show it; ``-`` for stdout."""
        return display_path(self.path) if self.path is not None else "-"

    def refuse_binary_on_terminal(self, terminal: Terminal, what: str, name: str) -> None:
        """Binary output (a PDF, a FIT file, audio) is never sprayed onto a terminal."""
        if self.to_stdout and terminal.stdout_tty:
            raise UsageError(
                f"{what} is binary and stdout is a terminal",
                hint=f"write it to a file: -o {name} (or redirect: > {name})",
            )

    def write(self, data: bytes | Writer) -> Path | None:
        """Write ``data`` (bytes, or a function writing into the open file): a file
        atomically, never half of it; stdout directly. Returns the file written."""
        if self.path is None:
            from pose_coach.atomic import write_stdout

            write_stdout(data)
            return None
        from pose_coach.atomic import write_atomic

        writer = data if callable(data) else (lambda handle: handle.write(data))
        return write_atomic(self.path, writer)


def wrote(path: Path | str, detail: str) -> str:
    """The one message after a file is written: ``pose-coach: wrote x.pdf (cue sheet)``."""
    shown = path if isinstance(path, str) else display_path(path)
    return f"pose-coach: wrote {shown} ({detail})"
