"""The practice log: every played session, remembered in one SQLite file in the data dir.

Data safety comes first. A file we did not make is never written to: the header is read
as plain bytes before SQLite touches the file, and the application id, schema version and
tables are checked before the first write. Writers take the lock up front
(``BEGIN IMMEDIATE``) and wait for each other (busy timeout), and the file is in WAL mode,
so several sessions ending at once are all recorded. Every statement takes its values as
parameters.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pose_coach.errors import PoseCoachError, display_path
from pose_coach.log.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    PLAN_TABLES,
    PLANS_VERSION,
    RUNS_VERSION,
    SCHEMA_VERSION,
)
from pose_coach.paths import data_dir

BUSY_TIMEOUT = 10.0  # seconds a writer waits while another process holds the lock
SQLITE_MAGIC = b"SQLite format 3\x00"
OUTCOMES = ("completed", "quit", "interrupted", "error")
KINDS = ("drill", "routine")

# SQLite result codes that mean "the bytes are bad", as opposed to "cannot write now".
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def log_db_path() -> Path:
    """Where the practice log lives: ``<data dir>/log.sqlite3``."""
    return data_dir() / "log.sqlite3"


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


def _reason(exc: sqlite3.Error) -> str:
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        return "the file or its folder is read-only"
    if "full" in text:
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
    return LogWriteError(f"cannot use the practice log {display_path(path)}: {_reason(exc)}")


def _read_head(path: Path) -> bytes:
    # A file another process is creating right now can show a half-written first page;
    # only bytes that stay wrong for a moment are taken as not being a database.
    for attempt in range(4):
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
        if not head or head == SQLITE_MAGIC or attempt == 3:
            return head
        time.sleep(0.01 * (attempt + 1))
    return head


def _check_header(path: Path) -> bool:
    """Read the first bytes ourselves: anything but SQLite is refused before SQLite opens it.

    Returns whether a file exists. An empty file is a log not yet initialised.
    """
    try:
        head = _read_head(path)
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        raise LogFileError(
            f"{display_path(path)} is a folder, not a practice log; {_move_aside(path)}"
        ) from None
    except OSError as exc:
        raise LogWriteError(
            f"cannot read the practice log {display_path(path)}: {exc.strerror}"
        ) from None
    if head and head != SQLITE_MAGIC:
        raise _not_ours(path, "not an SQLite database")
    return True


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
    if version < 1 or not needed <= tables:
        raise _not_ours(path, "tables are missing")
    return version


class PracticeLog:
    """An open, checked, up-to-date practice log."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

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
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
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
                    " steps_total, sets_done, sets_total, outcome, speed, app_version)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    ) -> list[SessionRecord]:
        """Sessions matching the filters; ``limit`` None or 0 means all."""
        # only fixed fragments are joined into the statement; every value is a parameter
        where: list[str] = []
        params: list[int | str] = []
        if since_epoch is not None:
            where.append("started_epoch >= ?")
            params.append(since_epoch)
        if entry_id is not None:
            where.append("entry_id = ?")
            params.append(entry_id)
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
                " sets_total, outcome, speed, app_version " + chosen,
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


def _prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Check the file, then create or migrate the schema in one locked transaction."""
    try:
        conn.execute("BEGIN")  # one snapshot: another process may be creating the file
        try:
            version = _inspect(conn, path)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        if version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                version = _inspect(conn, path)  # another process may have migrated it meanwhile
                for target in range(version + 1, SCHEMA_VERSION + 1):
                    MIGRATIONS[target](conn)
                    # our own integer constant: PRAGMA takes no parameters
                    conn.execute(f"PRAGMA user_version = {int(target)}")
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        _use_wal(conn)
    except sqlite3.Error as exc:
        raise _sqlite_error(path, exc) from None


def open_log(path: Path | None = None, *, create: bool = True) -> PracticeLog | None:
    """The practice log, checked and migrated; None when there is none and ``create`` is off.

    Raises LogFileError (a file that is not our log, left untouched) or LogWriteError
    (the log cannot be opened or written now).
    """
    path = Path(path) if path is not None else log_db_path()
    exists = _check_header(path)
    if not exists and not create:
        return None
    if not exists:
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
        _prepare(conn, path)
    except BaseException:
        conn.close()
        raise
    return PracticeLog(path, conn)


def check_log(path: Path | None = None) -> None:
    """Before a session plays: refuse a file that is not our log (LogFileError).

    Trouble writing is not reported here: the session plays and a warning follows it.
    """
    try:
        log = open_log(path, create=False)
    except LogWriteError:
        return
    except LogFileError as error:
        raise LogFileError(f"{error.message} (or play with --no-log)") from None
    if log is not None:
        log.close()
