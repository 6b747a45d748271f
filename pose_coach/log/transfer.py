"""Move a practice log between machines: export to CSV or JSON, import by session id.

Import checks every row before it adds any, so a bad file adds nothing; rows whose
session id is already in the log are skipped, so importing twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from pose_coach.errors import PoseCoachError, display_path
from pose_coach.files import FileRefused, read_bytes, read_stream
from pose_coach.log.store import (
    KINDS,
    OUTCOMES,
    PLAYED_AS,
    Part,
    SessionRecord,
    format_utc,
    parse_utc,
    played_as_of_old_row,
)
from pose_coach.numbers import NumberRange, finite

EXPORT_FORMAT = "pose-coach-log"
EXPORT_VERSION = 1
CSV_FIELDS = (
    "session_id",
    "id",
    "kind",
    "title",
    "phases",
    "started_at",
    "planned_seconds",
    "actual_seconds",
    "steps_done",
    "steps_total",
    "sets_done",
    "sets_total",
    "outcome",
    "completed",
    "speed",
    "played_as",
    "app_version",
    "parts",
)
_OPTIONAL_COLUMNS = ("completed", "played_as", "parts")  # an older export may lack them
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_PHASE = re.compile(r"[a-z][a-z0-9_-]{0,31}")
_MAX_SECONDS = 10 * 24 * 3600.0  # no single session lasts ten days
_MAX_COUNT = 1_000_000  # steps and sets: a session has at most 20,000 cues
_SPEED = NumberRange("float", 0.1, 1000, "a speed")  # the range of --speed
MAX_IMPORT_BYTES = 64 << 20  # about 100,000 sessions; a bigger file is not an export
_EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)  # older is a wrong clock or a typo


class LogImportError(PoseCoachError):
    """A file given to ``log import`` holds a row that is not a valid session."""


# -- export ------------------------------------------------------------------------


def export_json(records: Iterable[SessionRecord], now: datetime | None = None) -> str:
    data = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": format_utc(now or datetime.now(timezone.utc)),
        "sessions": [record.to_dict() for record in records],
    }
    return json.dumps(finite(data), ensure_ascii=False, indent=1, allow_nan=False) + "\n"


# A cell starting with one of these is a formula to a spreadsheet (=HYPERLINK(...),
# +cmd|...); OWASP's advice: a leading apostrophe makes it text. A cell that starts with
# an apostrophe gets one more, so that import can always take exactly one away.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet runs as a formula (see _FORMULA_STARTS)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def csv_value(cell: Any) -> Any:
    """What ``csv_cell`` wrote, as it was."""
    if isinstance(cell, str) and cell.startswith("'"):
        return cell[1:]
    return cell


def export_csv(records: Iterable[SessionRecord]) -> str:
    """One row per session; phases joined by ';', parts as a JSON list in one cell.

    Text that a spreadsheet would run as a formula (a title or an imported id starting
    with ``=``, ``+``, ``-``, ``@``) is written with a leading apostrophe.
    """
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = record.to_dict()
        row["phases"] = ";".join(record.phases)
        row["completed"] = "true" if record.completed else "false"
        row["parts"] = json.dumps(
            finite(row["parts"]), ensure_ascii=False, separators=(",", ":"), allow_nan=False
        )
        writer.writerow({key: csv_cell(value) for key, value in row.items()})
    return out.getvalue()


# -- import ------------------------------------------------------------------------


@dataclass
class _Row:
    where: str  # "row 3" or "sessions[2]", for messages
    data: dict[str, Any]


class _Invalid(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")


def import_format(text: str, name: str | None = None) -> str:
    """``json`` or ``csv``: from the file's name when it says (``.json``, ``.csv``), else
    from its content (JSON starts with ``{`` or ``[``). The same rule for a file and for
    stdin, so a broken ``.json`` file is reported as broken JSON, never as CSV."""
    suffix = Path(name).suffix.lower() if name else ""
    if suffix in (".json", ".csv"):
        return suffix[1:]
    return "json" if text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") else "csv"


def parse_import(text: str, source: str, name: str | None = None) -> list[SessionRecord]:
    """Every session in an exported file (JSON export, ``log --json`` output, or CSV);
    ``name``: the file's name, whose suffix says its format (see import_format)."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if import_format(text, name) == "json":
        rows = _json_rows(stripped, source, leading=text[: len(text) - len(stripped)])
    else:
        rows = _csv_rows(text, source)
    records = []
    for row in rows:
        try:
            records.append(_record(row.data))
        except _Invalid as problem:
            raise LogImportError(
                f"{source}: {row.where}: {problem}; nothing was imported"
            ) from None
    return records


def read_import(path: Path) -> list[SessionRecord]:
    """The sessions of an export file, read by name: a regular file of at most
    MAX_IMPORT_BYTES (a FIFO, ``/dev/zero`` or a folder is refused before it is read)."""
    shown = display_path(path)
    try:
        data = read_bytes(path, MAX_IMPORT_BYTES)
    except FileRefused as refused:
        raise LogImportError(f"cannot read {shown}: {refused.reason}") from None
    except OSError as exc:
        raise LogImportError(f"cannot read {shown}: {exc.strerror or exc}") from None
    return parse_import_bytes(data, shown, path.name)


def read_import_stream(stream: BinaryIO, source: str = "<stdin>") -> list[SessionRecord]:
    """The sessions piped in (``log import -``), read up to MAX_IMPORT_BYTES."""
    try:
        data = read_stream(stream, MAX_IMPORT_BYTES)
    except FileRefused as refused:
        raise LogImportError(f"cannot read {source}: {refused.reason}") from None
    return parse_import_bytes(data, source)


def parse_import_bytes(data: bytes, source: str, name: str | None = None) -> list[SessionRecord]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogImportError(f"{source}: not UTF-8 text; expected a CSV or JSON export") from None
    return parse_import(text, source, name)


def _json_rows(text: str, source: str, leading: str = "") -> list[_Row]:
    """``leading``: what was stripped before ``text`` (blank lines), so a line number is the
    file's own."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        line = exc.lineno + leading.count("\n")
        column = exc.colno if exc.lineno > 1 else exc.colno + len(leading.rpartition("\n")[2])
        raise LogImportError(
            f"{source}:{line}:{column}: not valid JSON ({exc.msg}); nothing was imported"
        ) from None
    except RecursionError:  # [[[[...]]]]: an export is never nested more than 4 deep
        raise LogImportError(
            f"{source}: JSON nested too deeply to be a log export; nothing was imported"
        ) from None
    prefix = "sessions"
    if isinstance(data, dict):
        if data.get("format") != EXPORT_FORMAT or not isinstance(data.get("sessions"), list):
            raise LogImportError(
                f'{source}: not a pose-coach log export (expected "format": '
                f'"{EXPORT_FORMAT}" and a "sessions" list); nothing was imported'
            )
        if not isinstance(data.get("version"), int) or data["version"] > EXPORT_VERSION:
            raise LogImportError(
                f"{source}: export version {data.get('version')!r} is newer than this "
                "pose-coach reads; upgrade pose-coach"
            )
        data = data["sessions"]
    elif not isinstance(data, list):
        raise LogImportError(f"{source}: expected a JSON object or list; nothing was imported")
    else:
        prefix = "item"
    rows = []
    for index, item in enumerate(data):
        where = f"{prefix}[{index}]"
        if not isinstance(item, dict):
            raise LogImportError(f"{source}: {where}: expected an object; nothing was imported")
        rows.append(_Row(where, item))
    return rows


def _csv_rows(text: str, source: str) -> list[_Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        f for f in CSV_FIELDS if f not in _OPTIONAL_COLUMNS and f not in (reader.fieldnames or ())
    ]
    if len(missing) == len(CSV_FIELDS) - len(_OPTIONAL_COLUMNS):  # no column of ours at all
        raise LogImportError(
            f"{source}: not a pose-coach log export (neither JSON nor CSV with a header row "
            "of session_id, id, kind, ...); nothing was imported"
        )
    if missing:
        raise LogImportError(
            f"{source}: not a pose-coach CSV export (missing columns: {', '.join(missing)}); "
            "nothing was imported"
        )
    rows = []
    try:
        for raw in reader:
            row = {key: csv_value(value) for key, value in raw.items()}
            data: dict[str, Any] = dict(row)
            data["phases"] = [p for p in (row["phases"] or "").split(";") if p]
            parts = row.get("parts")
            if parts:
                try:
                    data["parts"] = json.loads(parts)
                except json.JSONDecodeError:
                    raise LogImportError(
                        f"{source}: line {reader.line_num}: parts: not a JSON list; "
                        "nothing was imported"
                    ) from None
            else:
                data.pop("parts", None)
            rows.append(_Row(f"line {reader.line_num}", data))
    except csv.Error as exc:
        raise LogImportError(
            f"{source}: line {reader.line_num}: {exc}; nothing was imported"
        ) from None
    return rows


def _text(data: dict[str, Any], key: str, limit: int = 200, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(key, f"expected text, got {value!r}")
    if len(value) > limit or not value.isprintable():
        raise _Invalid(key, "too long or contains control characters")
    return value


def _number(data: dict[str, Any], key: str, *, integer: bool = False, positive: bool = False):
    value = data.get(key)
    if isinstance(value, str):
        try:
            value = int(value) if integer else float(value)
        except ValueError:
            raise _Invalid(key, f"expected a number, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid(key, f"expected a number, got {value!r}")
    if integer and (not isinstance(value, int) or value < 0):
        raise _Invalid(key, f"expected a whole number ≥ 0, got {value!r}")
    if integer and value > _MAX_COUNT:  # also: SQLite stores integers in 64 bits
        raise _Invalid(key, f"expected a whole number up to {_MAX_COUNT}, got {value!r}")
    if not math.isfinite(value) or value < 0 or (positive and value <= 0):
        raise _Invalid(key, f"expected a number {'> 0' if positive else '≥ 0'}, got {value!r}")
    if not integer and value > _MAX_SECONDS and key.endswith("seconds"):
        raise _Invalid(key, f"{value!r} seconds is longer than any session")
    if key == "speed" and not _SPEED.low <= value <= _SPEED.high:
        raise _Invalid(key, f"expected {_SPEED.expected()}, got {value!r}")
    return value if integer else float(value)


def _record(data: dict[str, Any]) -> SessionRecord:
    session_id = str(data.get("session_id") or "").lower()
    if not _SESSION_ID.fullmatch(session_id):
        raise _Invalid("session_id", f"expected 32 hex digits, got {data.get('session_id')!r}")
    kind = data.get("kind")
    if kind not in KINDS:
        raise _Invalid("kind", f"expected drill or routine, got {kind!r}")
    outcome = data.get("outcome")
    if outcome not in OUTCOMES:
        raise _Invalid("outcome", f"expected one of {', '.join(OUTCOMES)}, got {outcome!r}")
    phases = data.get("phases")
    if not isinstance(phases, list) or not all(
        isinstance(p, str) and _PHASE.fullmatch(p) for p in phases
    ):
        raise _Invalid("phases", f"expected a list of phase names, got {phases!r}")
    try:
        started = parse_utc(str(data.get("started_at")))
    except (ValueError, OverflowError):
        raise _Invalid(
            "started_at", f"expected an ISO 8601 time with offset, got {data.get('started_at')!r}"
        ) from None
    if started < _EARLIEST:
        raise _Invalid("started_at", f"{data.get('started_at')!r} is before the year 2000")
    started_at = format_utc(started)
    counts = {
        key: _number(data, key, integer=True)
        for key in ("steps_done", "steps_total", "sets_done", "sets_total")
    }
    speed = _number(data, "speed", positive=True)
    played = data.get("played_as")
    if played in (None, ""):  # an export from before played_as: as the log's upgrade does
        played = played_as_of_old_row(speed)
    elif played not in PLAYED_AS:
        raise _Invalid("played_as", f"expected one of {', '.join(PLAYED_AS)}, got {played!r}")
    record = SessionRecord(
        session_id=session_id,
        id=str(_text(data, "id")),
        kind=kind,
        title=str(_text(data, "title", 500)),
        phases=tuple(phases),
        started_at=started_at,
        planned_seconds=_number(data, "planned_seconds"),
        actual_seconds=_number(data, "actual_seconds"),
        outcome=outcome,
        speed=speed,
        app_version=str(_text(data, "app_version", 50)),
        played_as=played,
        **counts,
    )
    parts = _parts(data, record)
    return replace(record, parts=parts)


def _parts(data: dict[str, Any], record: SessionRecord) -> tuple[Part, ...]:
    raw = data.get("parts")
    if raw is None:
        # an older export without parts: split the played time evenly, as migration does
        names = record.phases or ("unknown",)
        drill = record.id if record.kind == "drill" else None
        title = record.title if drill else None
        share = round(record.actual_seconds / len(names), 3)
        return tuple(Part(drill, title, phase, share) for phase in names)
    if not isinstance(raw, list):
        raise _Invalid("parts", f"expected a list, got {raw!r}")
    parts = []
    for index, item in enumerate(raw):
        field = f"parts[{index}]"
        if not isinstance(item, dict):
            raise _Invalid(field, "expected an object")
        phase = item.get("phase")
        if not isinstance(phase, str) or not _PHASE.fullmatch(phase):
            raise _Invalid(f"{field}.phase", f"expected a phase name, got {phase!r}")
        try:
            drill = _text(item, "drill", optional=True)
            title = _text(item, "title", 500, optional=True)
            seconds = _number(item, "seconds")
        except _Invalid as problem:
            raise _Invalid(field, str(problem)) from None
        parts.append(Part(drill, title, phase, seconds))
    return tuple(parts)
