"""Files opened by name: looked at before they are opened, read within a size limit.

A name can point anywhere: at a FIFO (reading blocks until someone writes, forever),
``/dev/zero`` or a ``/proc`` file (reading never ends), a device whose opening does
something (``/dev/watchdog``), a folder, or a symlink to any of them. Every file
pose-coach reads by name (drills, the config file, a log export to import, a cached
speech clip, the practice log's header) goes through :func:`read_bytes`: symlinks are
followed to what they name, anything but a regular file is refused before it is opened,
the file is opened without blocking and read up to a limit. Every file written by name
goes through :func:`output_kind` first (``atomic.py``).
"""

from __future__ import annotations

import errno
import os
import stat

NAME_MAX = 255  # bytes in one file name on the file systems people use (ext4, APFS, NTFS)


class FileRefused(Exception):
    """A file that is not what it claims to be: ``reason`` says what it is instead."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileTooLarge(FileRefused):
    """A regular file over the reader's limit."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"it is {size} bytes; the limit is {_size(limit)}")
        self.size = size
        self.limit = limit


def _size(limit: int) -> str:
    if limit >= 1 << 20 and limit % (1 << 20) == 0:
        return f"{limit >> 20} MiB"
    return f"{limit} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for messages: ``a FIFO``, ``a folder``."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def regular_stat(path: str | os.PathLike[str]) -> os.stat_result:
    """``stat`` of what ``path`` names (symlinks followed), refused unless a regular file.

    FileNotFoundError when nothing is there (a dangling symlink included); FileRefused
    for anything but a regular file; other OSErrors as they come.
    """
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused(f"it is not a regular file but {kind_of(info.st_mode)}")
    return info


def read_bytes(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file ``path`` names, refusing more than ``limit`` bytes.

    Never blocks and never reads without end: a FIFO, a device or a folder is refused
    before it is opened (and again after, in case it was swapped meanwhile); the file is
    read without blocking (a ``/proc`` file that would wait is refused) and at most
    ``limit + 1`` bytes are read (a file that lies about its size is caught too).
    Raises FileRefused, FileTooLarge, FileNotFoundError or another OSError.
    """
    regular_stat(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused(f"it is not a regular file but {kind_of(info.st_mode)}")
        if info.st_size > limit:
            raise FileTooLarge(info.st_size, limit)
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            try:
                chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            except BlockingIOError:
                raise FileRefused("reading it would wait forever (not a real file)") from None
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise FileTooLarge(max(total, info.st_size), limit)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_stream(stream, limit: int) -> bytes:  # noqa: ANN001 - a binary file object
    """At most ``limit`` bytes of an open binary stream (stdin); FileTooLarge past it."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(len(data), limit)
    return data


def name_bytes(name: str) -> int:
    """The length of a file name as the file system counts it: bytes, not characters."""
    return len(os.fsencode(name))


def check_name(path: str | os.PathLike[str]) -> None:
    """Refuse a file name longer than the file system allows, before any work is done."""
    name = os.path.basename(os.fspath(path))
    length = name_bytes(name)
    if length > NAME_MAX:
        raise FileRefused(f"the file name is {length} bytes; the limit is {NAME_MAX}")


def short_prefix(name: str, room: int) -> str:
    """``name`` cut to at most ``room`` bytes, at a character boundary (for temp names)."""
    data = os.fsencode(name)
    if len(data) <= room:
        return name
    return os.fsdecode(data[:room].decode("utf-8", "ignore").encode("utf-8"))


def output_kind(path: str | os.PathLike[str]) -> str:
    """What writing to ``path`` means: ``new`` (nothing there yet), ``regular`` (a file to
    replace), ``device`` (``/dev/null``, ``/dev/full``, a terminal: written directly) or
    ``stdout`` (the path names this process's own standard output, ``/dev/stdout``).

    Symlinks are followed. A FIFO (writing would block until a reader comes), a socket,
    a folder or a block device is refused (FileRefused); so is a name too long.
    """
    check_name(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            raise FileRefused("the path is too long") from None
        raise
    if stat.S_ISREG(info.st_mode):
        return "regular"
    try:
        out = os.fstat(1)
        if (out.st_dev, out.st_ino) == (info.st_dev, info.st_ino):
            return "stdout"
    except OSError:
        pass
    if stat.S_ISCHR(info.st_mode):
        return "device"
    raise FileRefused(f"it is not a regular file but {kind_of(info.st_mode)}")


def is_null_device(info: os.stat_result) -> bool:
    """``info`` is of ``/dev/null`` (or the platform's null device): an empty input."""
    if not stat.S_ISCHR(info.st_mode):
        return False
    try:
        null = os.stat(os.devnull)
    except OSError:
        return False
    return (info.st_rdev, info.st_dev, info.st_ino) == (null.st_rdev, null.st_dev, null.st_ino)
