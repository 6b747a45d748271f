"""The practice log: every played session, remembered in one SQLite file in the data dir.

Data safety comes first. A file we did not make is never written to: the header is read
as plain bytes before SQLite touches the file, and the application id, schema version and
tables are checked before the first write. Writers take the lock up front
(``BEGIN IMMEDIATE``) and wait for each other (busy timeout), and the file is in WAL mode,
so several sessions ending at once are all recorded. Every statement takes its values as
parameters.
"""

from __future__ import annotations

import math
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import PoseCoachError, display_path
from .paths import data_dir

if TYPE_CHECKING:
    from .scheduler import SessionResult
    from .timeline import Timeline

APPLICATION_ID = 0x50434C47  # "PCLG" in the file header: this file is a pose-coach log
SCHEMA_VERSION = 2
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
        return {"drill": self.drill, "title": self.title, "phase": self.phase,
                "seconds": self.seconds}


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
    return uuid.uuid4().hex


# -- schema ------------------------------------------------------------------------

# v1: one row per session; phases as a comma-separated list, no time per phase.
_V1 = (
    """CREATE TABLE sessions (
        session_id TEXT PRIMARY KEY NOT NULL,
        entry_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        phases TEXT NOT NULL,
        started_at TEXT NOT NULL,
        planned_seconds REAL NOT NULL,
        actual_seconds REAL NOT NULL,
        steps_done INTEGER NOT NULL,
        steps_total INTEGER NOT NULL,
        sets_done INTEGER NOT NULL,
        sets_total INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        speed REAL NOT NULL,
        app_version TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_by_start ON sessions (started_at)",
)

# v2: seconds per drill and phase (minutes per phase, most practised drills inside
# routines) and an integer start time that range queries and local-date grouping use.
_V2 = (
    "ALTER TABLE sessions ADD COLUMN started_epoch INTEGER",
    "UPDATE sessions SET started_epoch = CAST(strftime('%s', started_at) AS INTEGER)",
    "DROP INDEX sessions_by_start",
    "CREATE INDEX sessions_by_epoch ON sessions (started_epoch)",
    "CREATE INDEX sessions_by_entry ON sessions (entry_id, started_epoch)",
    """CREATE TABLE session_parts (
        session_id TEXT NOT NULL REFERENCES sessions (session_id),
        drill_id TEXT,
        drill_title TEXT,
        phase TEXT NOT NULL,
        seconds REAL NOT NULL
    )""",
    "CREATE INDEX session_parts_by_session ON session_parts (session_id)",
)


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    for statement in _V1:
        conn.execute(statement)
    # a constant of ours, not data: PRAGMA takes no parameters
    conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    for statement in _V2:
        conn.execute(statement)
    # v1 rows knew only their phases: their played time is split evenly among them
    rows = conn.execute(
        "SELECT session_id, entry_id, kind, title, phases, actual_seconds FROM sessions"
    ).fetchall()
    parts = []
    for session_id, entry_id, kind, title, phases, actual in rows:
        names = [p for p in phases.split(",") if p] or ["unknown"]
        drill, drill_title = (entry_id, title) if kind == "drill" else (None, None)
        for phase in names:
            parts.append((session_id, drill, drill_title, phase, actual / len(names)))
    conn.executemany(
        "INSERT INTO session_parts (session_id, drill_id, drill_title, phase, seconds)"
        " VALUES (?, ?, ?, ?, ?)",
        parts,
    )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_to_1, 2: _migrate_to_2}


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
        raise LogFileError(f"{display_path(path)} is a folder, not a practice log; "
                           f"{_move_aside(path)}") from None
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
        return _raise(_not_ours(path, "another program's SQLite database"))
    if version > SCHEMA_VERSION:
        raise LogFileError(
            f"{display_path(path)} was written by a newer pose-coach (log schema {version}, "
            f"this version reads up to {SCHEMA_VERSION}); upgrade pose-coach, or "
            f"{_move_aside(path)}"
        )
    needed = {"sessions"} | ({"session_parts"} if version >= 2 else set())
    if version < 1 or not needed <= tables:
        return _raise(_not_ours(path, "tables are missing"))
    return version


def _raise(error: Exception) -> int:
    raise error


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
                        record.session_id, record.id, record.kind, record.title,
                        ",".join(record.phases), record.started_at, record.started_epoch,
                        record.planned_seconds, record.actual_seconds, record.steps_done,
                        record.steps_total, record.sets_done, record.sets_total,
                        record.outcome, record.speed, record.app_version,
                    ),
                )
                if cursor.rowcount != 1:
                    skipped += 1
                    continue
                added += 1
                self.conn.executemany(
                    "INSERT INTO session_parts (session_id, drill_id, drill_title, phase,"
                    " seconds) VALUES (?, ?, ?, ?, ?)",
                    [(record.session_id, p.drill, p.title, p.phase, p.seconds)
                     for p in record.parts],
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
        where, params = [], []
        if since_epoch is not None:
            where.append("started_epoch >= ?")
            params.append(since_epoch)
        if entry_id is not None:
            where.append("entry_id = ?")
            params.append(entry_id)
        order = "DESC" if newest_first else "ASC"
        sql = (
            "SELECT session_id, entry_id, kind, title, phases, started_at,"
            " planned_seconds, actual_seconds, steps_done, steps_total, sets_done,"
            " sets_total, outcome, speed, app_version FROM sessions"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f" ORDER BY started_epoch {order}, rowid {order} LIMIT ?"
        )
        params.append(limit or -1)
        try:
            rows = self.conn.execute(sql, params).fetchall()
            parts = self._parts([row[0] for row in rows])
        except sqlite3.Error as exc:
            raise _sqlite_error(self.path, exc) from None
        return [
            SessionRecord(
                session_id=row[0], id=row[1], kind=row[2], title=row[3],
                phases=tuple(p for p in row[4].split(",") if p), started_at=row[5],
                planned_seconds=row[6], actual_seconds=row[7], steps_done=row[8],
                steps_total=row[9], sets_done=row[10], sets_total=row[11], outcome=row[12],
                speed=row[13], app_version=row[14], parts=tuple(parts.get(row[0], ())),
            )
            for row in rows
        ]

    def _parts(self, session_ids: list[str]) -> dict[str, list[Part]]:
        found: dict[str, list[Part]] = {}
        chunk = 500  # well under SQLite's limit on parameters per statement
        for start in range(0, len(session_ids), chunk):
            ids = session_ids[start : start + chunk]
            marks = ",".join("?" * len(ids))  # only placeholders are formatted in
            for session_id, drill, title, phase, seconds in self.conn.execute(
                "SELECT session_id, drill_id, drill_title, phase, seconds FROM session_parts"
                f" WHERE session_id IN ({marks}) ORDER BY rowid",
                ids,
            ):
                found.setdefault(session_id, []).append(Part(drill, title, phase, seconds))
        return found

    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]


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


# -- recording a played session ------------------------------------------------------


def build_record(
    timeline: Timeline,
    result: SessionResult,
    parts: tuple[Part, ...],
    session_id: str | None = None,
) -> SessionRecord:
    return SessionRecord(
        session_id=session_id or new_session_id(),
        id=timeline.id,
        kind=timeline.kind,
        title=timeline.title,
        phases=tuple(timeline.phases),
        started_at=format_utc(parse_utc(result.started_at)),
        planned_seconds=_seconds(timeline.total),
        actual_seconds=_seconds(result.position),
        steps_done=result.steps_done,
        steps_total=result.steps_total,
        sets_done=result.sets_done,
        sets_total=result.sets_total,
        outcome=result.reason if result.reason in OUTCOMES else "error",
        speed=result.speed,
        app_version=__version__,
        parts=parts,
    )


def _seconds(value: float) -> float:
    return round(value, 3) if math.isfinite(value) else 0.0


class SessionRecorder:
    """Records one session: checks the log before it plays, writes one row when it stops."""

    def __init__(self, timeline: Timeline, speed: float, path: Path | None = None) -> None:
        from .sinks.tally import PartsTally

        self.timeline = timeline
        self.speed = speed
        self.path = Path(path) if path is not None else log_db_path()
        self.session_id = new_session_id()
        self.tally = PartsTally(timeline)
        check_log(self.path)

    def save(self, result: SessionResult) -> str | None:
        """Record a session that ended (completed or stopped); a warning if it could not be."""
        parts = self.tally.parts(result.position)
        return self._write(build_record(self.timeline, result, parts, self.session_id))

    def save_failed(self, outcome: str) -> str | None:
        """Record a session cut short by an exception, from what the sinks last saw."""
        from .scheduler import SessionResult

        tally = self.tally
        result = SessionResult(
            completed=False,
            reason=outcome,
            position=tally.position,
            steps_done=tally.steps_done,
            steps_total=self.timeline.step_count,
            sets_done=tally.sets_done,
            sets_total=self.timeline.set_count,
            started_at=tally.started_at,
            wall_seconds=0.0,
            speed=self.speed,
        )
        return self.save(result)

    def _write(self, record: SessionRecord) -> str | None:
        try:
            log = open_log(self.path)
            assert log is not None
            with log:
                log.add([record])
        except LogWriteError as error:
            return f"{error.message}; this session was not recorded"
        return None
