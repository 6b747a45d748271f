"""Write output files atomically: a temporary file beside the target, then a rename.

An interrupted write (Ctrl-C or any termination signal), a full disk or an unwritable
folder leaves no partial file and raises OutputError with one line a user can act on.
Several files that belong together are written with :class:`AtomicFiles`: all of them
or none.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pose_coach.errors import OutputError, display_path
from pose_coach.files import NAME_MAX, FileRefused, output_kind, short_prefix
from pose_coach.signals import deferred


def check_target(path: Path, overwrite: bool = True) -> str:
    """What ``path`` is (``files.output_kind``), refused when it cannot be written."""
    try:
        kind = output_kind(path)
    except FileRefused as refused:
        raise OutputError(
            f"cannot write {display_path(path)}: {refused.reason}",
            hint="choose another output path (or -o - for stdout)",
        ) from None
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {_reason(exc)}") from None
    if kind == "regular" and not overwrite:
        raise OutputError(
            f"{display_path(path)} already exists", hint="remove it or pick another name"
        )
    return kind


class Staged:
    """One file written to a temporary file beside its target, waiting to be renamed."""

    def __init__(self, path: Path, tmp: Path, overwrite: bool) -> None:
        self.path = path  # as given, for messages
        self.tmp = tmp
        self.overwrite = overwrite
        self.target = Path(os.path.realpath(path))  # a symlink's file is replaced, not it

    def commit(self) -> None:
        shown = display_path(self.path)
        try:
            os.chmod(self.tmp, 0o644 & ~_umask())
            if self.overwrite:
                os.replace(self.tmp, self.target)
            else:
                _link_exclusive(self.tmp, self.target)
        except FileExistsError:
            self.discard()
            raise OutputError(
                f"{shown} already exists", hint="remove it or pick another name"
            ) from None
        except OSError as exc:
            self.discard()
            raise OutputError(
                f"cannot write {shown}: {_reason(exc)}; nothing was written"
            ) from None

    def discard(self) -> None:
        try:
            self.tmp.unlink()
        except OSError:
            pass


class AtomicFiles:
    """Files written together: each into a temporary file beside it, renamed into place
    only when every one was written (``with`` block ended without an error). An error,
    Ctrl-C or any termination signal removes every temporary file: nothing half-written
    is ever left, and a file that belongs with another (an audio file and its chapter
    list) never appears without it.
    """

    def __init__(self) -> None:
        self.staged: list[Staged] = []
        self.committed: list[Staged] = []

    def __enter__(self) -> AtomicFiles:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        with deferred():  # a signal now would strand temporary files
            if exc_type is not None:
                self.discard()
                return
            try:
                for staged in reversed(self.staged):  # the main file (written first) last
                    staged.commit()
                    self.committed.append(staged)
            except BaseException:
                self.discard()
                for done in self.committed:  # its companion must not stay without it
                    try:
                        done.target.unlink()
                    except OSError:
                        pass
                raise

    def discard(self) -> None:
        for staged in self.staged:
            staged.discard()

    def write(
        self, path: Path, write: Callable[[BinaryIO], object], *, overwrite: bool = True
    ) -> Path:
        """Write ``path`` through ``write(fileobj)``; it appears when the block ends.

        Devices (``/dev/null``, ``/dev/full``) and this process's own stdout
        (``/dev/stdout``) are written directly, since they cannot be renamed onto.
        """
        path = Path(path)
        shown = display_path(path)
        kind = check_target(path, overwrite)
        if kind in ("device", "stdout"):
            try:
                with open(path, "wb") as handle:
                    write(handle)
            except OSError as exc:
                raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
            return path
        target = Path(os.path.realpath(path))
        folder = target.parent
        prefix = f".{short_prefix(target.name, NAME_MAX - _TEMP_EXTRA)}."
        tmp: Path | None = None
        try:
            import tempfile  # only when a file is written: not on every command's start-up

            with deferred():  # the temporary file is known before a signal can strand it
                fd, tmp_name = tempfile.mkstemp(prefix=prefix, suffix=".part", dir=folder)
                tmp = Path(tmp_name)
                self.staged.append(Staged(path, tmp, overwrite))
        except OSError as exc:
            raise OutputError(
                f"cannot write {shown}: {_reason(exc)}",
                hint="check that the folder exists and is writable",
            ) from None
        try:
            with os.fdopen(fd, "wb") as handle:
                write(handle)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                f"cannot write {shown}: {_reason(exc)}; nothing was written"
            ) from None
        return path


_TEMP_EXTRA = len(".") + len(".") + 8 + len(".part")  # mkstemp adds 8 random characters


def write_atomic(
    path: Path, write: Callable[[BinaryIO], object], *, overwrite: bool = True
) -> Path:
    """Call ``write(fileobj)`` on a temporary file, fsync it, then rename it to ``path``.

    Special files that are not regular files (``/dev/stdout``, ``/dev/full``) are written
    directly, since they cannot be renamed onto; errors still become OutputError. A
    FIFO, a socket or a folder is refused; a symlink's target is what gets replaced.
    """
    with AtomicFiles() as files:
        files.write(path, write, overwrite=overwrite)
    return Path(path)


def _link_exclusive(tmp: Path, path: Path) -> None:
    """Move ``tmp`` to ``path`` only if ``path`` does not exist, even if it appeared after
    the first check: a hard link fails with FileExistsError where a rename would replace."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # no hard links here (FAT, some network shares): check, then rename
        if path.exists():
            raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def write_stdout(data: bytes | Callable[[BinaryIO], object]) -> None:
    """Write bytes (or let ``data`` write) to stdout; a full device or closed stream
    becomes OutputError.

    BrokenPipeError (a reader such as `head` went away) is left to the CLI edge.
    """
    import sys

    stream = sys.stdout.buffer
    try:
        if isinstance(data, bytes):
            stream.write(data)
        else:
            data(stream)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write to stdout: {_reason(exc)}") from None


def write_text_atomic(path: Path, text: str, *, overwrite: bool = True) -> Path:
    return write_atomic(path, lambda f: f.write(text.encode("utf-8")), overwrite=overwrite)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    if exc.errno == errno.ENOSPC:
        return "no space left on the device"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.ENOENT:
        return "the folder does not exist"
    if exc.errno == errno.ENAMETOOLONG:
        return "the name is too long"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    return exc.strerror or str(exc)
