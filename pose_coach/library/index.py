"""An index of each library folder in the cache dir, so 10,000 drills load in a blink.

Parsing YAML is most of the cost of a big library (10,000 files: seconds). Each folder's
index holds, per file, its ``stat`` (modification time, size, inode) and what loading it
gave: the drill or routine, or its problems. A file whose ``stat`` is unchanged is not
read again; any change is read and the index rewritten (atomically). Tab completion
reads a smaller file beside it (ids, kinds, titles) and trusts it while the folder's own
modification time is unchanged (a file added, removed or renamed changes it), so it
never touches the drill files at all.

The index is a cache: deleting it is always safe; one that cannot be read, written or
trusted (another pose-coach version, changed library code, a damaged file) is ignored.
Paths in messages are not stored (they depend on the current folder): a problem's path
and a routine item's place are filled in with the file's path as shown now.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pose_coach import __version__
from pose_coach.errors import DrillFileError, Problem, display_path
from pose_coach.library.model import (
    Drill,
    Entry,
    Fault,
    ItemKind,
    Location,
    Phase,
    Routine,
    RoutineItem,
    Side,
    Step,
)
from pose_coach.paths import cache_dir

INDEX_VERSION = 1
_HERE = "\0"  # stands for "the file's own path, as shown now"

Loaded = Entry | DrillFileError


def _code_stamp() -> str:
    """Changes when the library code does (a new rule must not meet an old index)."""
    folder = Path(__file__).resolve().parent
    try:
        stamps = sorted(
            (entry.name, entry.stat().st_mtime_ns)
            for entry in os.scandir(folder)
            if entry.name.endswith(".py")
        )
    except OSError:
        stamps = []
    return hashlib.sha256(repr((__version__, INDEX_VERSION, stamps)).encode()).hexdigest()[:16]


def index_paths(folder: Path, origin: str) -> tuple[Path, Path]:
    """(the full index, the completion index) of one library folder, as it is named."""
    key = hashlib.sha256(f"{origin}\0{os.path.abspath(folder)}".encode()).hexdigest()[:24]
    base = cache_dir() / "library"
    return base / f"{key}.json", base / f"{key}.ids.json"


def _file_stamp(path: Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_mtime_ns, info.st_size, info.st_ino, info.st_mode]


def folder_stamp(folder: Path) -> list[int | None]:
    """The modification times of a folder and its ``routines/``: any file added, removed
    or renamed in either changes one of them."""
    out: list[int | None] = []
    for path in (folder, folder / "routines"):
        try:
            out.append(os.stat(path).st_mtime_ns)
        except OSError:
            out.append(None)
    return out


# -- the model as JSON --------------------------------------------------------------------


def _location(where: Location, shown: str) -> list[Any]:
    return [_HERE if where.path == shown else where.path, where.line, where.column]


def _problem(problem: Problem, shown: str) -> list[Any]:
    path = _HERE if problem.path == shown else problem.path
    return [path, problem.line, problem.column, problem.field, problem.message, problem.warning]


def entry_record(entry: Entry, shown: str) -> dict[str, Any]:
    """``entry`` as plain JSON data (its places written relative to ``shown``)."""
    if isinstance(entry, Drill):
        return {
            "kind": "drill",
            "id": entry.id,
            "title": entry.title,
            "phase": entry.phase.value,
            "summary": entry.summary,
            "steps": [
                [s.cue, float(s.seconds), s.say, bool(s.checkpoint)]
                + [s.side.value if s.side else None, s.cadence, bool(s.until_key)]
                for s in entry.steps
            ],
            "sets": int(entry.sets),
            "rest": float(entry.rest),
            "level": entry.level,
            "equipment": list(entry.equipment),
            "checkpoints": list(entry.checkpoints),
            "faults": [[f.fault, f.fix, f.id] for f in entry.faults],
            "safety": list(entry.safety),
            "sources": list(entry.sources),
            "corrects": list(entry.corrects),
            "source": entry.source,
        }
    return {
        "kind": "routine",
        "id": entry.id,
        "title": entry.title,
        "summary": entry.summary,
        "items": [
            [it.kind.value, it.ref, it.seconds, it.sets, it.rest, it.seconds_scale]
            + [_location(it.where, shown)]
            for it in entry.items
        ],
        "source": entry.source,
    }


def _here(path: Any, shown: str) -> str:
    return shown if path == _HERE else str(path)


_PHASES = {phase.value: phase for phase in Phase}
_SIDES = {side.value: side for side in Side}
_KINDS = {kind.value: kind for kind in ItemKind}


_STEP_FIELDS = ("cue", "seconds", "say", "checkpoint", "side", "cadence", "until_key")


def _make(cls: type, values: dict[str, Any]) -> Any:
    """A frozen model object from values the loader already checked once (they were
    written by ``entry_record`` from a loaded entry). Handing it its ``__dict__`` skips
    the frozen ``__init__``'s one ``object.__setattr__`` per field: the 40,000 steps of
    10,000 drills load several times faster."""
    obj: Any = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj


def _step(row: list[Any]) -> Step:
    values = dict(zip(_STEP_FIELDS, row, strict=True))
    if values["side"] is not None:
        values["side"] = _SIDES[values["side"]]
    return _make(Step, values)


def entry_from(record: dict[str, Any], shown: str) -> Entry:
    """The entry ``entry_record`` wrote, its places as ``shown`` now."""
    if record["kind"] == "drill":
        return _make(
            Drill,
            {
                "id": record["id"],
                "title": record["title"],
                "phase": _PHASES[record["phase"]],
                "summary": record["summary"],
                "steps": tuple(map(_step, record["steps"])),
                "sets": record["sets"],
                "rest": record["rest"],
                "level": record["level"],
                "equipment": tuple(record["equipment"]),
                "checkpoints": tuple(record["checkpoints"]),
                "faults": tuple(Fault(fault, fix, fid) for fault, fix, fid in record["faults"]),
                "safety": tuple(record["safety"]),
                "sources": tuple(record["sources"]),
                "corrects": tuple(record["corrects"]),
                "source": record["source"],
                "shadows": None,
            },
        )
    return Routine(
        id=record["id"],
        title=record["title"],
        summary=record["summary"],
        items=tuple(
            RoutineItem(
                _KINDS[kind],
                ref=ref,
                seconds=float(seconds),
                sets=sets,
                rest=rest,
                seconds_scale=float(scale),
                where=Location(_here(where[0], shown), where[1], where[2]),
            )
            for kind, ref, seconds, sets, rest, scale, where in record["items"]
        ),
        source=record["source"],
    )


def error_record(error: DrillFileError, shown: str) -> list[list[Any]]:
    return [_problem(p, shown) for p in error.problems]


def error_from(record: list[list[Any]], shown: str) -> DrillFileError:
    return DrillFileError(
        [
            Problem(_here(path, shown), line, column, field, message, bool(warning))
            for path, line, column, field, message, warning in record
        ]
    )


# -- reading a folder through its index -----------------------------------------------------


def _read_json(path: Path) -> Any:
    try:
        with open(path, "rb") as handle:
            return json.load(handle)
    except (OSError, ValueError, RecursionError):
        return None


def load_folder(
    folder: Path, origin: str, files: list[Any], load: Callable[[Path], Loaded]
) -> Iterator[tuple[Path, Loaded]]:
    """What each of ``files`` (the folder's drill files, in order: each with ``path`` and
    ``name``, its path within the folder) loads to: from the index where the file is
    unchanged, through ``load`` where not; the index is then brought up to date."""
    full, ids = index_paths(folder, origin)
    stamp = _code_stamp()
    saved = _read_json(full)
    known: dict[str, Any] = {}
    if isinstance(saved, dict) and saved.get("code") == stamp:
        known = saved.get("files") or {}
    records: dict[str, Any] = {}
    changed = set(known) != {f.name for f in files}
    summary: list[list[Any]] = []
    for file in files:
        path, name = file.path, file.name
        file_stamp = _file_stamp(path)
        record = known.get(name)
        result: Loaded | None = None
        if record is not None and file_stamp is not None and record.get("stamp") == file_stamp:
            try:
                if "entry" in record:
                    data = record["entry"]
                    shown = display_path(path) if data["kind"] == "routine" else ""
                    result = entry_from(data, shown)
                else:
                    result = error_from(record["problems"], display_path(path))
            except (KeyError, TypeError, ValueError):  # a damaged index: read the file
                result = None
        if result is None:
            changed = True
            shown = display_path(path)
            result = load(path)
            if isinstance(result, DrillFileError):
                record = {"stamp": file_stamp, "problems": error_record(result, shown)}
            else:
                record = {"stamp": file_stamp, "entry": entry_record(result, shown)}
        records[name] = record
        if not isinstance(result, DrillFileError):
            summary.append([result.id, result.kind, result.title])
        yield path, result
    if changed or not ids.exists():
        _save(full, {"version": INDEX_VERSION, "code": stamp, "files": records})
        _save(ids, {"code": stamp, "folder": folder_stamp(folder), "ids": summary})


def _save(path: Path, data: Any) -> None:
    """Write an index file atomically; a cache that cannot be written is simply not kept."""
    from pose_coach.atomic import write_atomic
    from pose_coach.errors import PoseCoachError

    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, lambda handle: handle.write(text))
    except (OSError, PoseCoachError):
        pass


def quick_ids(folders: list[tuple[str, Path]]) -> dict[str, tuple[str, str]] | None:
    """id → (kind, title) of the whole library from the completion indexes, without
    reading a single drill file; None when any folder changed since its index was written
    (the caller then loads the library, which writes them anew)."""
    stamp = _code_stamp()
    found: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    for origin, folder in folders:
        real = os.path.realpath(folder)
        if real in seen:
            continue
        seen.add(real)
        if not os.path.isdir(folder):
            continue
        saved = _read_json(index_paths(folder, origin)[1])
        if (
            not isinstance(saved, dict)
            or saved.get("code") != stamp
            or saved.get("folder") != folder_stamp(folder)
        ):
            return None
        for entry_id, kind, title in saved.get("ids") or ():
            found[entry_id] = (kind, title)  # a later folder's file replaces a built-in
    return found
