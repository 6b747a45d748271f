"""The one exception tree of pose-coach, and the exit codes scripts rely on.

The core raises these and never prints or exits; ``cli.py`` turns each into one
stderr line (plus an optional hint line) and its exit code, in one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0  # the command did what was asked (a session played to the end)
    ERROR = 1  # bad file, missing program, I/O failure
    USAGE = 2  # unknown id, bad option or argument
    INTERRUPTED = 130  # Ctrl-C, SIGTERM or `q` stopped a session (128 + SIGINT)


class PoseCoachError(Exception):
    """An expected failure the user can act on: a message and, often, a fix."""

    exit_code: int = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(PoseCoachError):
    """The user asked for something that does not exist or cannot be combined."""

    exit_code = ExitCode.USAGE


class UnknownIdError(UsageError):
    """No drill or routine has this id."""


class UnknownFaultError(UsageError):
    """No fault of the fault index has this id."""


@dataclass(frozen=True)
class Problem:
    """One located problem in a file: ``path:line:col: field: message``."""

    path: str
    line: int | None
    column: int | None
    field: str
    message: str
    warning: bool = False

    @property
    def where(self) -> str:
        """``path:line:col``, as much of it as is known."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        return f"{self.where}:{field} {self.message}"


class DrillFileError(PoseCoachError):
    """A drill, routine or config file is invalid; carries every problem found."""

    def __init__(self, problems: list[Problem], hint: str | None = None) -> None:
        self.problems = problems
        first = str(problems[0]) if problems else "invalid file"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more, hint)


class ConfigError(PoseCoachError):
    """The configuration file or a POSE_COACH_* variable holds a bad value."""


class OutputError(PoseCoachError):
    """A file could not be written (full disk, unwritable path, wrong kind of file)."""


class MissingProgramError(PoseCoachError):
    """A system program (speech engine, audio player, encoder) is not installed."""


class MissingExtraError(PoseCoachError):
    """An optional Python dependency is not installed."""


class SessionStopped(PoseCoachError):
    """A session was stopped before its end (quit key, Ctrl-C, SIGTERM)."""

    exit_code = ExitCode.INTERRUPTED


def printable(text: str) -> str:
    """``text`` with every non-printable character escaped, safe to show in a terminal."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def display_path(path: Path | str) -> str:
    """A path for messages: as given, relative to the cwd when inside it; never a control
    sequence. (No ``resolve()``: a syscall per path component, and symlinks stay as typed.)
    """
    text = os.fspath(path)
    if os.path.isabs(text):
        try:
            cwd = os.path.join(os.getcwd(), "")
        except OSError:  # the cwd was removed: the path as given
            cwd = None
        if cwd and text.startswith(cwd):
            text = text[len(cwd) :]
    else:
        text = os.path.normpath(text)
    return printable(text)
