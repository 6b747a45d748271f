"""Write output files atomically: a temporary file beside the target, then a rename.

An interrupted write, a full disk or an unwritable folder leaves no partial file and
raises OutputError with one line a user can act on.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from pose_coach.errors import OutputError, display_path


def _check_target(path: Path, overwrite: bool) -> None:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot write {display_path(path)}: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise OutputError(
            f"cannot write {display_path(path)}: it exists and is not a regular file",
            hint="choose another output path",
        )
    if not overwrite:
        raise OutputError(
            f"{display_path(path)} already exists", hint="remove it or pick another name"
        )


def write_atomic(
    path: Path, write: Callable[[BinaryIO], object], *, overwrite: bool = True
) -> Path:
    """Call ``write(fileobj)`` on a temporary file, fsync it, then rename it to ``path``.

    Special files that are not regular files (``/dev/stdout``, ``/dev/full``) are written
    directly, since they cannot be renamed onto; errors still become OutputError.
    """
    path = Path(path)
    shown = display_path(path)
    if path.exists() and not path.is_file() and not path.is_dir() and str(path).startswith("/dev/"):
        try:
            with open(path, "wb") as handle:
                write(handle)
        except OSError as exc:
            raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
        return path
    _check_target(path, overwrite)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        import tempfile  # only when a file is written: not on every command's start-up

        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(
            f"cannot write {shown}: {_reason(exc)}",
            hint="check that the folder exists and is writable",
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_exclusive(tmp, path)
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise OutputError(
            f"{shown} already exists", hint="remove it or pick another name"
        ) from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {shown}: {_reason(exc)}; nothing was written") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


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
    return exc.strerror or str(exc)
