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
from dataclasses import fields, is_dataclass
from enum import Enum
from pathlib import Path
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from pose_coach import __version__
from pose_coach.errors import DrillFileError, Problem, display_path
from pose_coach.library.model import Drill, Entry, Location, Routine
from pose_coach.paths import cache_dir

INDEX_VERSION = 2
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


def _problem(problem: Problem, shown: str) -> list[Any]:
    path = _HERE if problem.path == shown else problem.path
    return [path, problem.line, problem.column, problem.field, problem.message, problem.warning]


# An entry is written as nested lists, each object's fields in their declared order, enum
# members as their values. Reading is driven by the model's own type hints (one converter
# per field, built once), so a field added to the model is indexed with no code here;
# a change to the model also changes the code stamp, so an old index is never misread.
_PLAIN = (str, int, float, bool, type(None))
_shown = [""]  # the file being read, as shown now (for its Locations)


def _encode(value: Any, shown: str) -> Any:
    if isinstance(value, Enum):  # first: the model's enums are str enums
        return value.value
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, (tuple, list)):
        return [_encode(item, shown) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        row = [_encode(getattr(value, f.name), shown) for f in fields(value)]
        if isinstance(value, Location) and value.path == shown:
            row[0] = _HERE  # the file's own path is written as shown now, on reading
        return row
    raise TypeError(f"cannot index a {type(value).__name__}")


def _converter(hint: Any) -> Callable[[Any], Any] | None:
    """How to turn the JSON form of a value of type ``hint`` back (None: as it is)."""
    if hint in _PLAIN:
        return None
    origin, args = get_origin(hint), get_args(hint)
    if origin in (Union, UnionType):
        inner = [arg for arg in args if arg is not type(None)]
        if len(inner) != 1:
            raise TypeError(f"cannot index a {hint}")
        optional = _converter(inner[0])
        if optional is None:
            return None
        return lambda value: None if value is None else optional(value)
    if origin is tuple:
        each = _converter(args[0])
        if each is None:
            return tuple
        return lambda value: tuple(map(each, value))
    if isinstance(hint, type) and issubclass(hint, Enum):
        members = {member.value: member for member in hint}
        return members.__getitem__
    if isinstance(hint, type) and is_dataclass(hint):
        return _decoder(hint)
    raise TypeError(f"cannot index a {hint}")


_DECODERS: dict[type, Callable[[Any], Any]] = {}


def _decoder(cls: type) -> Callable[[Any], Any]:
    if cls in _DECODERS:
        return _DECODERS[cls]
    hints = get_type_hints(cls)
    names = tuple(f.name for f in fields(cls))
    converters = [(i, c) for i, name in enumerate(names) if (c := _converter(hints[name]))]

    def decode(row: list[Any]) -> Any:
        values = list(row)  # (the record itself may be written back to the index)
        for i, convert in converters:
            values[i] = convert(values[i])
        if cls is Location and values[0] == _HERE:
            values[0] = _shown[0]
        return _make(cls, dict(zip(names, values, strict=True)))

    _DECODERS[cls] = decode
    return decode


def _make(cls: type, values: dict[str, Any]) -> Any:
    """A frozen model object from values the loader already checked once (they were
    written by ``entry_record`` from a loaded entry). Handing it its ``__dict__`` skips
    the frozen ``__init__``'s one ``object.__setattr__`` per field: the 40,000 steps of
    10,000 drills load several times faster."""
    obj: Any = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj


def entry_record(entry: Entry, shown: str) -> Any:
    """``entry`` as plain JSON data, every field (its places relative to ``shown``)."""
    return [entry.kind, _encode(entry, shown)]


def entry_from(record: Any, shown: str) -> Entry:
    """The entry ``entry_record`` wrote, its places as ``shown`` now."""
    kind, row = record
    _shown[0] = shown
    entry: Entry = _decoder(Drill if kind == "drill" else Routine)(row)
    return entry


def _here(path: Any, shown: str) -> str:
    return shown if path == _HERE else str(path)


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


def _through_index(
    path: Path, record: Any, load: Callable[[Path], Loaded]
) -> tuple[Loaded, Any, bool]:
    """One file through its index record: ``(result, record, read_anew)``. The record is
    used while the file's stamp matches it; otherwise the file is loaded and a new record
    made (None when a value cannot be held in the index: the file is read each time)."""
    file_stamp = _file_stamp(path)
    if record is not None and file_stamp is not None and record.get("stamp") == file_stamp:
        try:
            if "entry" in record:
                data = record["entry"]
                shown = display_path(path) if data[0] == "routine" else ""
                return entry_from(data, shown), record, False
            return error_from(record["problems"], display_path(path)), record, False
        except (KeyError, TypeError, ValueError, AttributeError):  # damaged: read the file
            pass
    shown = display_path(path)
    result = load(path)
    try:
        if isinstance(result, DrillFileError):
            return result, {"stamp": file_stamp, "problems": error_record(result, shown)}, True
        return result, {"stamp": file_stamp, "entry": entry_record(result, shown)}, True
    except TypeError:  # a value the index cannot hold: the file is read each time
        return result, None, True


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
        result, record, read_anew = _through_index(path, known.get(name), load)
        changed = changed or read_anew
        if record is not None:
            records[name] = record
        if not isinstance(result, DrillFileError):
            summary.append([result.id, result.kind, result.title])
        yield path, result
    if changed or not ids.exists():
        _save(full, {"version": INDEX_VERSION, "code": stamp, "files": records})
        _save(ids, {"code": stamp, "folder": folder_stamp(folder), "ids": summary})


def load_some(
    folder: Path, origin: str, files: list[Any], load: Callable[[Path], Loaded]
) -> list[Loaded]:
    """What each of ``files`` (a few of the folder's files, each with ``path`` and
    ``name``) loads to, through the index as ``load_folder`` does, for a caller that needs
    only these. Files read anew are added to the index; the rest of it, and the
    completion index (which must list the whole folder), are left as they are."""
    full, _ = index_paths(folder, origin)
    stamp = _code_stamp()
    saved = _read_json(full)
    known: dict[str, Any] = {}
    if isinstance(saved, dict) and saved.get("code") == stamp:
        known = saved.get("files") or {}
    out: list[Loaded] = []
    changed = False
    for file in files:
        result, record, read_anew = _through_index(file.path, known.get(file.name), load)
        if read_anew and record is not None:
            known[file.name] = record
            changed = True
        out.append(result)
    if changed:
        _save(full, {"version": INDEX_VERSION, "code": stamp, "files": known})
    return out


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
