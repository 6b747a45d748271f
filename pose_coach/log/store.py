"""The practice log: every played session, remembered in one SQLite file in the data dir.

Data safety comes first. A file we did not make is never written to: the header is read
as plain bytes before SQLite touches the file, and the application id, schema version and
tables are checked before the first write. Writers take the lock up front
(``BEGIN IMMEDIATE``) and wait for each other (busy timeout), and the file is in WAL mode,
so several sessions ending at once are all recorded. Every statement takes its values as
parameters.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pose_coach.errors import PoseCoachError, display_path
from pose_coach.files import FileRefused, kind_of
from pose_coach.log.schema import (
    APPLICATION_ID,
    FORM_TABLES,
    FORMS_VERSION,
    MIGRATIONS,
    PLAN_TABLES,
    PLANS_VERSION,
    PLAYED_AS_VERSION,
    RUNS_VERSION,
    SCHEMA_VERSION,
)
from pose_coach.paths import log_db_path

BUSY_TIMEOUT = 10.0  # seconds a writer waits while another process holds the lock
SQLITE_MAGIC = b"SQLite format 3\x00"
_HEADER_BYTES = 100  # bytes 18 and 19 say the journal mode: 2 and 2 is WAL
OUTCOMES = ("completed", "quit", "interrupted", "error")
KINDS = ("drill", "routine")
# How a session was played: at speed 1 on a terminal, at another speed, or with no
# terminal at all (a script, cron). ``stats`` and streaks count LIVE by default.
LIVE, TRYOUT, SCRIPTED = "live", "tryout", "scripted"
PLAYED_AS = (LIVE, TRYOUT, SCRIPTED)


def played_as(speed: float, on_terminal: bool) -> str:
    """How a session played at ``speed`` counts: no terminal is ``scripted`` whatever the
    speed (nobody was there to practise), else speed 1 is ``live`` and any other a
    ``tryout``."""
    if not on_terminal:
        return SCRIPTED
    return LIVE if speed == 1 else TRYOUT


def played_as_of_old_row(speed: float) -> str:
    """What a row from before ``played_as`` existed (an older log or export) counts as:
    whether a terminal was there is not known, so speed 1 is ``live``, as it always counted."""
    return LIVE if speed == 1 else TRYOUT


# SQLite result codes that mean "the bytes are bad", as opposed to "cannot write now".
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


class LogFileError(PoseCoachError):
    """The file at the log path is not a practice log this version can use; left untouched."""


class LogWriteError(PoseCoachError):
    """The log could not be written now (read-only, full disk, locked): nothing was recorded."""


@dataclass(frozen=True)
class Part:
    """Session seconds spent in one drill (and its phase) within a session."""

    drill: str | None  # None for rows migrated from v1, which only knew their phases
    title: str | None
    phase: str
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "drill": self.drill,
            "title": self.title,
            "phase": self.phase,
            "seconds": self.seconds,
        }


@dataclass(frozen=True)
class SessionRecord:
    """One played session, as stored, exported and printed by ``log --json``."""

    session_id: str  # uuid4 hex: the same session imported twice is one row
    id: str  # the drill or routine id
    kind: str  # 'drill' or 'routine'
    title: str
    phases: tuple[str, ...]
    started_at: str  # UTC, ISO 8601, whole seconds
    planned_seconds: float  # timeline length at speed 1
    actual_seconds: float  # session seconds played, pauses excluded, at speed 1
    steps_done: int
    steps_total: int
    sets_done: int
    sets_total: int
    outcome: str  # one of OUTCOMES
    speed: float
    app_version: str
    played_as: str = LIVE  # one of PLAYED_AS
    parts: tuple[Part, ...] = ()

    @property
    def completed(self) -> bool:
        return self.outcome == "completed"

    @property
    def started_epoch(self) -> int:
        return int(parse_utc(self.started_at).timestamp())

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "phases": list(self.phases),
            "started_at": self.started_at,
            "planned_seconds": self.planned_seconds,
            "actual_seconds": self.actual_seconds,
            "steps_done": self.steps_done,
            "steps_total": self.steps_total,
            "sets_done": self.sets_done,
            "sets_total": self.sets_total,
            "outcome": self.outcome,
            "completed": self.completed,
            "speed": self.speed,
            "played_as": self.played_as,
            "app_version": self.app_version,
            "parts": [part.to_dict() for part in self.parts],
        }


def parse_utc(text: str) -> datetime:
    """An ISO 8601 time with an offset (or ``Z``) → aware UTC datetime; ValueError otherwise."""
    value = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    if value.tzinfo is None:
        raise ValueError("no UTC offset")
    return value.astimezone(timezone.utc)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def new_session_id() -> str:
    import uuid  # only when a session is recorded: it costs a few ms to import

    return uuid.uuid4().hex


# -- opening -----------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    """The one place that opens the file (tests swap in read-only or full databases)."""
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None)


def _move_aside(path: Path) -> str:
    return (
        f"move it aside (e.g. mv {display_path(path)} {display_path(path)}.bad) and "
        "pose-coach will start a new log"
    )


def _not_ours(path: Path, why: str) -> LogFileError:
    return LogFileError(
        f"{display_path(path)} is not a pose-coach practice log ({why}); {_move_aside(path)}"
    )


def _is_corruption(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return (code & 0xFF) in _CORRUPT_CODES
    text = str(exc)
    return "malformed" in text or "not a database" in text


def _disk_full(path: Path) -> bool:
    """No space left where the log lives: SQLite reports it in several ways (an I/O error
    growing the WAL index, "cannot rollback" after the journal write failed)."""
    try:
        info = os.statvfs(path.parent if str(path.parent) else ".")
    except (OSError, AttributeError):
        return False
    return info.f_bavail == 0 or info.f_favail == 0


def _reason(exc: sqlite3.Error, path: Path | None = None) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the file or its folder is read-only"
    if "full" in text or (path is not None and _disk_full(path)):
        return "the disk is full"
    if "locked" in text or "busy" in text:
        return "another process kept the log locked"
    if "unable to open" in text:
        return "the file cannot be opened or created"
    return text


def sqlite_error(path: Path, exc: sqlite3.Error) -> PoseCoachError:
    """An SQLite error as our one-line error: a damaged file, or a write that failed."""
    return _sqlite_error(path, exc)


def _sqlite_error(path: Path, exc: sqlite3.Error) -> PoseCoachError:
    if _is_corruption(exc):
        return _not_ours(path, f"damaged: {exc}")
    return LogWriteError(f"cannot use the practice log {display_path(path)}: {_reason(exc, path)}")


def _read_head(path: Path) -> bytes:
    """The first 100 bytes (the SQLite header), read without ever blocking: the path was
    checked to be a regular file, and is checked again once open (it may be swapped)."""
    # A file another process is creating right now can show a half-written first page;
    # only bytes that stay wrong for a moment are taken as not being a database.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    for attempt in range(4):
        fd = os.open(path, flags)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise FileRefused(f"it is not a regular file but {kind_of(info.st_mode)}")
            head = os.read(fd, _HEADER_BYTES)
        finally:
            os.close(fd)
        if not head or head.startswith(SQLITE_MAGIC) or attempt == 3:
            return head
        time.sleep(0.01 * (attempt + 1))
    return head


def _check_path(path: Path) -> None:
    """Refuse a log path that is not a regular file, before anything opens it: a symlink
    to ``/dev/null`` (SQLite would create ``/dev/null-journal``), a dangling symlink, a
    FIFO (every open would block), a socket, a device. A symlink to a regular file is
    followed: the log may live elsewhere."""
    shown = display_path(path)
    try:
        link = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):  # (a data folder that is a file)
        return
    except OSError as exc:
        raise LogWriteError(f"cannot read the practice log {shown}: {exc.strerror}") from None
    if stat.S_ISDIR(link.st_mode):
        raise LogFileError(f"{shown} is a folder, not a practice log; {_move_aside(path)}")
    if stat.S_ISLNK(link.st_mode):
        try:
            info = os.stat(path)
        except FileNotFoundError:
            raise LogFileError(
                f"{shown} is a symlink to nothing ({os.readlink(path)}), not a practice log; "
                f"remove it, or point it at a log file"
            ) from None
        except OSError as exc:
            raise LogFileError(
                f"{shown} is a symlink that cannot be followed: {exc.strerror}"
            ) from None
        if stat.S_ISREG(info.st_mode):
            return
        kind = kind_of(info.st_mode)
        raise LogFileError(
            f"{shown} is a symlink to {kind} ({os.readlink(path)}), not a practice log; "
            f"remove it, or point it at a log file"
        )
    if not stat.S_ISREG(link.st_mode):
        raise LogFileError(
            f"{shown} is {kind_of(link.st_mode)}, not a practice log; {_move_aside(path)}"
        )


def _check_header(path: Path) -> bytes | None:
    """Read the first bytes ourselves: anything but SQLite is refused before SQLite opens it.

    Returns the header (empty for an empty file: a log not yet initialised), or None when
    there is no file.
    """
    _check_path(path)
    try:
        head = _read_head(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except FileRefused as refused:
        raise LogFileError(
            f"{display_path(path)} is not a practice log: {refused.reason}; {_move_aside(path)}"
        ) from None
    except IsADirectoryError:
        raise LogFileError(
            f"{display_path(path)} is a folder, not a practice log; {_move_aside(path)}"
        ) from None
    except OSError as exc:
        raise LogWriteError(
            f"cannot read the practice log {display_path(path)}: {exc.strerror}"
        ) from None
    if head and not head.startswith(SQLITE_MAGIC):
        raise _not_ours(path, "not an SQLite database")
    return head


def _connect_readonly(path: Path, immutable: bool = False) -> sqlite3.Connection:
    """A connection that cannot write the file: ``mode=ro``, or ``immutable=1`` for a WAL
    log whose folder is read-only (a WAL reader needs a ``-shm`` file it could not make
    there; immutable reads the file as it is)."""
    uri = path.absolute().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
    return sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT, isolation_level=None)


def _writable(path: Path) -> bool:
    folder = path.parent if str(path.parent) else Path(".")
    return os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)


def _healthy(conn: sqlite3.Connection, path: Path) -> None:
    """Before anything writes: SQLite's own check of every page (``quick_check``). A
    damaged file is refused, never written: no WAL switch, no migration, no new row."""
    try:
        rows = conn.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_corruption(exc):
            raise _not_ours(path, f"damaged: {exc}") from None
        raise
    if [tuple(row) for row in rows] != [("ok",)]:
        detail = "; ".join(str(row[0]) for row in rows)[:200]
        raise _not_ours(path, f"damaged: {detail}")


def _inspect(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open file; raises if it is not a log we can use."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if app_id == 0 and version == 0 and not tables:
        return 0  # an empty database: nothing in it to lose
    if app_id != APPLICATION_ID:
        raise _not_ours(path, "another program's SQLite database")
    if version > SCHEMA_VERSION:
        raise LogFileError(
            f"{display_path(path)} was written by a newer pose-coach (log schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade pose-coach, or "
            f"{_move_aside(path)}"
        )
    needed = {"sessions"} | ({"session_parts"} if version >= 2 else set())
    if version >= RUNS_VERSION:
        needed |= {"runs", "run_splits"}
    if version >= PLANS_VERSION:
        needed |= set(PLAN_TABLES)
    if version >= FORMS_VERSION:
        needed |= set(FORM_TABLES)
    if version < 1 or not needed <= tables:
        raise _not_ours(path, "tables are missing")
    if version >= PLAYED_AS_VERSION:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
        if "played_as" not in columns:
            raise _not_ours(path, "columns are missing")
    return version


class PracticeLog:
    """An open, checked, up-to-date practice log."""

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        read_only: bool = False,
        notes: tuple[str, ...] = (),
    ) -> None:
        self.path = path
        self.conn = conn
        self.read_only = read_only  # opened to read: nothing can be written through it
        self.notes = notes  # what a command should say about it (recording is off, ...)

    def __enter__(self) -> PracticeLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection for queries; SQLite errors become our one-line errors."""
        try:
            yield self.conn
        except sqlite3.Error as exc:
            raise _sqlite_error(self.path, exc) from None

    @contextmanager
    def writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, the lock taken up front, for the modules beside this one
        (runs.py, plans.py); it yields the connection."""
        with self._write():
            yield self.conn

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, lock taken up front so concurrent writers queue."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                _rollback(self.conn)
                raise
        except sqlite3.Error as exc:
            raise _sqlite_error(self.path, exc) from None

    def add(self, records: Iterable[SessionRecord]) -> tuple[int, int]:
        """Insert sessions not already present (by session id): (added, skipped)."""
        added = skipped = 0
        with self._write():
            for record in records:
                cursor = self.conn.execute(
                    "INSERT OR IGNORE INTO sessions (session_id, entry_id, kind, title, phases,"
                    " started_at, started_epoch, planned_seconds, actual_seconds, steps_done,"
                    " steps_total, sets_done, sets_total, outcome, speed, app_version,"
                    " played_as) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.session_id,
                        record.id,
                        record.kind,
                        record.title,
                        ",".join(record.phases),
                        record.started_at,
                        record.started_epoch,
                        record.planned_seconds,
                        record.actual_seconds,
                        record.steps_done,
                        record.steps_total,
                        record.sets_done,
                        record.sets_total,
                        record.outcome,
                        record.speed,
                        record.app_version,
                        record.played_as,
                    ),
                )
                if cursor.rowcount != 1:
                    skipped += 1
                    continue
                added += 1
                row_id = cursor.lastrowid
                self.conn.executemany(
                    "INSERT INTO session_parts (session, drill_id, drill_title, phase, seconds)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(row_id, p.drill, p.title, p.phase, p.seconds) for p in record.parts],
                )
        return added, skipped

    def sessions(
        self,
        *,
        since_epoch: int | None = None,
        entry_id: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
        kinds: tuple[str, ...] | None = None,
    ) -> list[SessionRecord]:
        """Sessions matching the filters; ``limit`` None or 0 means all; ``kinds``: only
        sessions played so (``played_as``), None for every kind."""
        # only fixed fragments are joined into the statement; every value is a parameter
        where: list[str] = []
        params: list[int | str] = []
        if since_epoch is not None:
            where.append("started_epoch >= ?")
            params.append(since_epoch)
        if entry_id is not None:
            where.append("entry_id = ?")
            params.append(entry_id)
        if kinds is not None:
            where.append(f"played_as IN ({', '.join('?' * len(kinds))})")
            params.extend(kinds)
        order = "DESC" if newest_first else "ASC"
        chosen = (
            "FROM sessions"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY started_epoch {order}, id {order} LIMIT ?"
        )
        params.append(limit or -1)
        parts: dict[int, list[Part]] = {}
        try:
            rows = self.conn.execute(
                "SELECT id, session_id, entry_id, kind, title, phases, started_at,"
                " planned_seconds, actual_seconds, steps_done, steps_total, sets_done,"
                " sets_total, outcome, speed, app_version, played_as " + chosen,
                params,
            ).fetchall()
            for row_id, drill, title, phase, seconds in self.conn.execute(
                "SELECT session, drill_id, drill_title, phase, seconds FROM session_parts"
                f" WHERE session IN (SELECT id {chosen}) ORDER BY rowid",
                params,
            ):
                parts.setdefault(row_id, []).append(Part(drill, title, phase, seconds))
        except sqlite3.Error as exc:
            raise _sqlite_error(self.path, exc) from None
        return [
            SessionRecord(
                session_id=row[1],
                id=row[2],
                kind=row[3],
                title=row[4],
                phases=tuple(p for p in row[5].split(",") if p),
                started_at=row[6],
                planned_seconds=row[7],
                actual_seconds=row[8],
                steps_done=row[9],
                steps_total=row[10],
                sets_done=row[11],
                sets_total=row[12],
                outcome=row[13],
                speed=row[14],
                app_version=row[15],
                played_as=row[16],
                parts=tuple(parts.get(row[0], ())),
            )
            for row in rows
        ]


def _use_wal(conn: sqlite3.Connection) -> None:
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass  # read-only or busy now: the rollback journal and busy timeout still queue writers


def _prepare(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Check the file, then create or migrate the schema in one locked transaction.

    Returns what the migration has to say (rows it had to keep aside)."""
    notes: list[str] = []
    try:
        conn.execute("BEGIN")  # one snapshot: another process may be creating the file
        try:
            version = _inspect(conn, path)
        except BaseException:
            _rollback(conn)
            raise
        conn.execute("COMMIT")
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = _inspect(conn, path)  # another process may have migrated it meanwhile
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    notes += MIGRATIONS[target](conn) or []
                    # our own integer constant: PRAGMA takes no parameters
                    conn.execute(f"PRAGMA user_version = {int(target)}")
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        _use_wal(conn)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    return notes


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo what a failed transaction did, if SQLite has not already: after a full disk it
    has, and ROLLBACK would fail ("no transaction is active") in place of the real error."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def open_log(path: Path | None = None, *, create: bool = True) -> PracticeLog | None:
    """The practice log, checked and migrated; None when there is none and ``create`` is off.

    ``create`` on: opened to write (record a session, import). Off: opened to read
    (``log``, ``stats``, ``log export``), and then nothing is written unless the file
    needs migrating. Either way the file is first opened read-only and looked at: not a
    regular file, not SQLite, another program's database, a newer schema or a damaged
    file is refused (LogFileError) before anything could write to it; a migration or a
    write happens only to a file SQLite checked page by page. LogWriteError: the log
    cannot be opened or written now.
    """
    path = Path(path) if path is not None else log_db_path()
    head = _check_header(path)
    if head is None or not head:  # no file, or an empty one: a log not yet initialised
        if not create:
            return None
        return _open_for_writing(path, new=head is None)
    wal = len(head) > 19 and head[18] == 2 and head[19] == 2
    conn, notes = _open_readonly(path, wal)
    try:
        version = _inspect_readonly(conn, path)
        if version == 0 and not create:  # an SQLite file with nothing in it yet
            conn.close()
            return None
        if not create and version == SCHEMA_VERSION:
            return PracticeLog(path, conn, read_only=True, notes=notes)
        _healthy(conn, path)  # a write (a row, a migration, the WAL switch) comes next
    except BaseException:
        conn.close()
        raise
    conn.close()
    return _open_for_writing(path, new=False)


def _open_readonly(path: Path, wal: bool) -> tuple[sqlite3.Connection, tuple[str, ...]]:
    shown = display_path(path)
    try:
        conn = _connect_readonly(path)
        conn.execute("PRAGMA schema_version").fetchone()  # opens the file (and its WAL)
        notes: tuple[str, ...] = ()
        if not _writable(path):
            notes = (f"the practice log {shown} is read-only: sessions are not recorded",)
        return conn, notes
    except sqlite3.Error as exc:
        if _is_corruption(exc):
            raise _not_ours(path, f"damaged: {exc}") from None
        if not wal:
            raise _sqlite_error(path, exc) from None
        try:
            conn.close()
        except sqlite3.Error:
            pass
    # a WAL log whose -shm cannot be made (a read-only folder, a full disk): read the
    # file as it is
    why = "the disk is full" if _disk_full(path) else "its folder is read-only"
    try:
        conn = _connect_readonly(path, immutable=True)
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    return conn, (f"{why}: the practice log {shown} is read as it is; sessions are not recorded",)


def _inspect_readonly(conn: sqlite3.Connection, path: Path) -> int:
    try:
        return _inspect(conn, path)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None


def _open_for_writing(path: Path, new: bool) -> PracticeLog:
    if new:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LogWriteError(
                f"cannot create the practice log {display_path(path)}: {exc.strerror}"
            ) from None
    try:
        conn = _connect(path)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None
    try:
        notes = _prepare(conn, path)
    except BaseException:
        conn.close()
        raise
    return PracticeLog(path, conn, notes=tuple(notes))


def check_log(path: Path | None = None) -> tuple[str, ...]:
    """Before a session plays: refuse a file that is not our log, or a damaged one
    (LogFileError). Returns what the log's opening had to say (an upgrade's notes).

    Trouble writing is not reported here: the session plays and a warning follows it.
    """
    try:
        log = open_log(path, create=False)
        if log is None:
            return ()
        with log:
            _healthy(log.conn, log.path)  # a damaged file is refused before playing
            return tuple(note for note in log.notes if "not recorded" not in note)
    except (LogWriteError, sqlite3.Error):
        return ()
    except LogFileError as error:
        raise LogFileError(f"{error.message} (or play with --no-log)") from None
