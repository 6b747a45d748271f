"""The drill library: built-in drills, then the user's folder, then POSE_COACH_DRILLS.

Each library folder holds drill files (``*.yaml``) and routine files (``routines/*.yaml``).
A broken user file never stops the rest of the library: it is set aside and reported.
So does a folder that cannot be read. A folder listed twice (or reached twice through a
symlink) is read once, so nothing clashes with itself.

Checking routines is linear in the size of the library, however deep their includes
go: cycles, depth, size and the cascade to routines that include a set-aside one are
found by walks that visit each routine once (no recursion), and "did you mean" has a
bounded cost (``suggest.py``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from pose_coach.errors import DrillFileError, Problem, UnknownIdError, display_path, printable
from pose_coach.library.index import load_folder
from pose_coach.library.model import Drill, Entry, ItemKind, Routine
from pose_coach.library.size import MAX_SESSION_CUES, Size, expanded_size, over_limits
from pose_coach.library.suggest import Suggester
from pose_coach.paths import library_dirs

MAX_ROUTINE_DEPTH = 64  # routines within routines: more than anyone nests, and safe to walk
MAX_WARNED_FILES = 3  # set-aside files named one per line; more are summed up in one


class FolderError(Exception):
    """A library folder that cannot be listed: ``reason`` says why."""

    def __init__(self, folder: Path, reason: str) -> None:
        super().__init__(reason)
        self.folder = folder
        self.reason = reason


class LibraryFile(NamedTuple):
    path: Path
    name: str  # within its library folder: ``x.yaml`` or ``routines/x.yaml``
    linked: bool  # a symlink (to a regular file)


def _yaml_files(folder: Path, prefix: str = "") -> list[LibraryFile]:
    """``*.yaml`` then ``*.yml`` files (symlinks to regular files included), sorted."""
    try:
        with os.scandir(folder) as listing:
            found = [
                (entry.name, entry.is_symlink())
                for entry in listing
                if entry.name.endswith((".yaml", ".yml")) and entry.is_file()
            ]  # FIFOs, devices, folders and symlink loops are not drills
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise FolderError(folder, "it is not a folder") from None
    except OSError as exc:
        raise FolderError(folder, exc.strerror or str(exc)) from None
    files = []
    for suffix in (".yaml", ".yml"):
        for name, linked in sorted(f for f in found if f[0].endswith(suffix)):
            files.append(LibraryFile(folder / name, prefix + name, linked))
    return files


def scan_folder(folder: Path) -> list[LibraryFile]:
    """The drill and routine files of one library folder, in a stable order.

    Raises FolderError for a folder that exists but cannot be listed (permission denied,
    not a folder); a folder that does not exist holds nothing.
    """
    try:
        if not folder.is_dir():
            if os.path.lexists(folder) and not folder.exists():
                return []  # a dangling symlink: nothing there
            if folder.exists():
                raise FolderError(folder, "it is not a folder")
            return []
    except OSError as exc:  # a name too long, a loop of symlinks, permission denied
        raise FolderError(folder, exc.strerror or str(exc)) from None
    files = _yaml_files(folder)
    routines = folder / "routines"
    try:
        has_routines = routines.is_dir()
    except OSError as exc:
        raise FolderError(routines, exc.strerror or str(exc)) from None
    if has_routines:
        files += _yaml_files(routines, "routines/")
    return files


def library_files(folder: Path) -> list[Path]:
    """Drill and routine files of one library folder, in a stable order (FolderError for
    one that cannot be listed)."""
    return [file.path for file in scan_folder(folder)]


@dataclass
class Catalog:
    """Every valid drill and routine by id, and the files that had to be set aside."""

    entries: dict[str, Entry] = field(default_factory=dict)
    broken: list[DrillFileError] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # id -> user files using it
    unreadable: list[FolderError] = field(default_factory=list)  # folders skipped
    suggester: Suggester | None = field(default=None, repr=False)

    def get(self, entry_id: str, kind: str | None = None) -> Entry:
        entry = self.entries.get(entry_id)
        if entry is not None and (kind is None or entry.kind == kind):
            return entry
        if entry_id in self.conflicts:
            raise DrillFileError([self.conflict_problem(entry_id)])
        broken = self.broken_error(entry_id)
        if broken is not None and entry is None:
            # the user asked for exactly the file that failed: its problems are the error
            path = broken.problems[0].path
            raise DrillFileError(broken.problems, f"run `pose-coach validate {_quote(path)}`")
        match = Suggester(self.ids(kind)).closest(entry_id)
        close = [match] if match else []
        # "no drill 'fal'; did you mean 'fall'?" even where routines are accepted too
        noun = kind or (self.entries[close[0]].kind if close else "drill or routine")
        hint = None
        if entry is not None:
            hint = f"'{entry_id}' is a {entry.kind}: try `pose-coach {entry.kind} {entry_id}`"
        elif not close:
            hint = "see `pose-coach list` for every id"
        shown = printable(entry_id)
        message = f"no {noun} '{shown}'" + (f"; did you mean '{close[0]}'?" if close else "")
        raise UnknownIdError(message, hint)

    def drill(self, entry_id: str) -> Drill:
        return self.get(entry_id, "drill")  # type: ignore[return-value]

    def routine(self, entry_id: str) -> Routine:
        return self.get(entry_id, "routine")  # type: ignore[return-value]

    def ids(self, kind: str | None = None) -> list[str]:
        return sorted(i for i, e in self.entries.items() if kind is None or e.kind == kind)

    def broken_ids(self) -> dict[str, str]:
        """Id (the file name's stem) → shown path of each set-aside file."""
        out = {}
        for error in self.broken:
            path = error.problems[0].path if error.problems else ""
            out[Path(path).stem] = path
        return out

    def broken_error(self, entry_id: str) -> DrillFileError | None:
        for error in self.broken:
            if error.problems and Path(error.problems[0].path).stem == entry_id:
                return error
        return None

    def conflict_problem(self, entry_id: str) -> Problem:
        paths = self.conflicts[entry_id]
        return Problem(
            paths[-1],
            None,
            None,
            "id",
            f"id '{entry_id}' is defined by both {' and '.join(paths)}; rename one of them",
        )

    def warnings(self, needed: str | Iterable[str] | None = None) -> list[str]:
        """What a command says about the library before its own output: one line per
        unreadable folder, per set-aside file (up to MAX_WARNED_FILES; more are summed up
        in one line naming `pose-coach validate` for the list) and per clashing id.

        ``needed`` is the id (or ids) the command asked for: its failure becomes the error
        instead.
        """
        asked = {needed} if isinstance(needed, str) else set(needed or ())
        lines = [
            f"skipped the library folder {display_path(error.folder)}: {error.reason}"
            for error in self.unreadable
        ]
        broken = [
            e for e in self.broken if e.problems and Path(e.problems[0].path).stem not in asked
        ]
        if len(broken) > MAX_WARNED_FILES:
            first = broken[0].problems[0]
            folders = sorted({_library_folder(e.problems[0].path) for e in broken})
            lines.append(
                f"skipped {len(broken)} files that are not valid drills or routines "
                f"(the first: {first}); run `pose-coach validate "
                + " ".join(_quote(folder) for folder in folders)
                + "` for the list"
            )
        else:
            for error in broken:
                first = error.problems[0]
                more = len(error.problems) - 1
                lines.append(
                    f"skipped {first}"
                    + (f" (and {more} more)" if more else "")
                    + f"; run `pose-coach validate {_quote(first.path)}`"
                )
        for entry_id in self.conflicts:
            if entry_id in asked:
                continue
            problem = self.conflict_problem(entry_id)
            lines.append(f"skipped id '{entry_id}': {problem.message}")
        return lines


def _library_folder(shown: str) -> str:
    """The library folder a file is in (``routines/x.yaml`` belongs to its parent's)."""
    folder = os.path.dirname(shown) or "."
    if os.path.basename(folder) == "routines":
        folder = os.path.dirname(folder) or "."
    return folder


def load_catalog(
    folders: Iterable[tuple[str, Path]] | None = None, *, check: bool = True
) -> Catalog:
    """Load the whole library along the search path, then check routine references
    (``check`` off: not yet, for a caller that adds entries first).

    A user file may replace a built-in id (the entry's ``shadows`` says so); two user
    files with one id make that id an error naming both, and neither is used. A folder
    given twice, or a file reached twice, is read once; a folder that cannot be read is
    skipped with one warning.
    """
    catalog = Catalog()
    origin_of: dict[str, tuple[str, Path]] = {}  # id -> (origin, file)
    seen_folders: set[str] = set()
    seen_files: set[str] = set()
    for origin, folder in folders if folders is not None else library_dirs():
        real = os.path.realpath(folder)
        if real in seen_folders:
            continue
        seen_folders.add(real)
        try:
            files = scan_folder(folder)
        except FolderError as error:
            catalog.unreadable.append(error)
            continue
        fresh = []
        for file in files:
            # the same file reached again (through a symlink in another folder) is skipped;
            # a file that is no symlink is known by its real folder and name (no syscall)
            key = os.path.realpath(file.path) if file.linked else os.path.join(real, file.name)
            if key in seen_files:
                continue
            seen_files.add(key)
            fresh.append(file)
        for path, loaded in load_folder(folder, origin, fresh, _loader(origin)):
            if isinstance(loaded, DrillFileError):
                catalog.broken.append(loaded)
                continue
            entry = loaded
            if entry.id in catalog.conflicts:
                catalog.conflicts[entry.id].append(display_path(path))
                continue
            previous = origin_of.get(entry.id)
            if previous is not None:
                prev_origin, prev_path = previous
                if prev_origin == "builtin" and origin == "user":
                    entry = replace(entry, shadows=f"built-in {entry.kind} '{entry.id}'")
                else:
                    catalog.conflicts[entry.id] = [display_path(prev_path), display_path(path)]
                    del catalog.entries[entry.id]
                    continue
            origin_of[entry.id] = (origin, path)
            catalog.entries[entry.id] = entry
    if check:
        check_references(catalog)
    return catalog


def load_file(path: Path, source: str | None = None) -> Entry:
    """One drill or routine file parsed (``loader.load_file``). The loader, and YAML with
    it, is imported on the first file the index does not hold: with the index in place a
    session imports neither."""
    from pose_coach.library.loader import load_file as load

    return load(path, source=source)


def _loader(origin: str):  # noqa: ANN202 - Callable[[Path], Entry | DrillFileError]
    def load(path: Path) -> Entry | DrillFileError:
        source = "builtin" if origin == "builtin" else os.path.abspath(path)
        try:
            return load_file(path, source=source)
        except DrillFileError as error:
            return error

    return load


class References:
    """What checking routines needs to know once for the whole library: the first cycle
    reachable from each routine, memoised, and bounded "did you mean" suggestions."""

    def __init__(self, entries: dict[str, Entry]) -> None:
        self.entries = entries
        self.cycles: dict[str, list[str] | None] = {}
        self._suggest: dict[str, Suggester] = {}

    def suggest(self, ref: str, kind: str) -> str | None:
        if kind not in self._suggest:
            self._suggest[kind] = Suggester(i for i, e in self.entries.items() if e.kind == kind)
        return self._suggest[kind].closest(ref)

    def cycle(self, start: str) -> list[str] | None:
        if start not in self.cycles:
            self.cycles[start] = find_cycle(start, self.entries, self.cycles)
        return self.cycles[start]


def reference_problems(
    routine: Routine,
    entries: dict[str, Entry],
    broken: dict[str, str] | None = None,
    refs: References | None = None,
) -> list[Problem]:
    """Unknown or wrong-kind references and cycles, each at the item that names them.

    ``broken``: id → path of files that exist but could not be loaded, so a reference
    to one says which file to fix instead of "unknown". ``refs``: memos shared by all
    the routines of one library.
    """
    refs = refs or References(entries)
    problems: list[Problem] = []
    for index, item in enumerate(routine.items):
        if item.kind is ItemKind.REST:
            continue
        ref = item.target
        target = entries.get(ref)
        if target is not None and target.kind == item.kind.value:
            continue
        where = item.where
        message = f"unknown {item.kind.value} '{ref}'"
        if target is not None:
            message += f" — '{ref}' is a {target.kind}: write '{target.kind}: {ref}'"
        elif broken and ref in broken:
            message = f"{item.kind.value} '{ref}' could not be loaded: fix {broken[ref]}"
        else:
            close = refs.suggest(ref, item.kind.value)
            if close:
                message += f" — did you mean '{close}'?"
        field = f"items[{index}].{item.kind.value}"
        problems.append(Problem(where.path, where.line, where.column, field, message))
    cycle = refs.cycle(routine.id)
    if cycle:
        shown = " → ".join(cycle)
        includes = [(i, it) for i, it in enumerate(routine.items) if it.kind is ItemKind.ROUTINE]
        if cycle[0] == routine.id:  # on the cycle: at the item that goes round it
            index, item = next((i, it) for i, it in includes if it.ref == cycle[1])
            message = f"routines include each other in a cycle: {shown}"
        else:  # leads into someone else's cycle: at the item that leads there
            index, item = next((i, it) for i, it in includes if refs.cycle(it.target))
            message = f"routine '{item.ref}' leads into a cycle: {shown}"
        where = item.where
        field = f"items[{index}].routine"
        problems.append(Problem(where.path, where.line, where.column, field, message))
    return problems


def find_cycle(
    start: str, entries: dict[str, Entry], memo: dict[str, list[str] | None] | None = None
) -> list[str] | None:
    """The first cycle of routine includes reachable from ``start``, as a path of ids.

    A depth-first walk in item order, with an explicit stack (a chain thousands of
    routines deep is no deeper for Python). ``memo`` (id → its first cycle, or None) may
    be shared by calls on one library: a routine explored to the end without a cycle is
    never walked again, and every routine on the way to a cycle (but not on it) leads
    into that same cycle, so a chain of routines leading into one costs linear time.
    """
    memo = {} if memo is None else memo
    if start in memo:
        return memo[start]
    path: list[str] = []
    on_path: set[str] = set()
    stack: list[tuple[str, Iterator[str]]] = []

    def enter(routine_id: str) -> bool:
        routine = entries.get(routine_id)
        if not isinstance(routine, Routine) or (routine_id in memo and memo[routine_id] is None):
            return False
        path.append(routine_id)
        on_path.add(routine_id)
        stack.append(
            (routine_id, iter([it.target for it in routine.items if it.kind is ItemKind.ROUTINE]))
        )
        return True

    enter(start)
    while stack:
        routine_id, children = stack[-1]
        child = next(children, None)
        if child is None:  # explored to the end: no cycle through here
            stack.pop()
            path.pop()
            on_path.discard(routine_id)
            memo[routine_id] = None
            continue
        if child in on_path:
            cycle = path[path.index(child) :] + [child]
            for earlier in path[: path.index(child)]:
                memo.setdefault(earlier, cycle)  # they lead into it, not round it
            return cycle
        known = memo.get(child)
        if known is not None and child not in known:
            # a routine known to lead into a cycle: so does everything on the path here
            for earlier in path:
                memo.setdefault(earlier, known)
            return known
        enter(child)
    return None


def routine_depths(entries: dict[str, Entry]) -> dict[str, tuple[int, int | None]]:
    """Routine id → (levels of routines from it down, the index of the item that goes
    deepest). A routine of drills only is 1 level; including it makes 2. Walked once,
    with an explicit stack; an include that closes a cycle counts as nothing here."""
    depths: dict[str, tuple[int, int | None]] = {}
    for start, entry in entries.items():
        if not isinstance(entry, Routine) or start in depths:
            continue
        stack: list[tuple[Routine, bool]] = [(entry, False)]
        on_path: set[str] = set()
        while stack:
            routine, done = stack.pop()
            if done:
                on_path.discard(routine.id)
                best, deepest = 0, None
                for index, item in enumerate(routine.items):
                    if item.kind is ItemKind.ROUTINE and item.target in depths:
                        if depths[item.target][0] > best:
                            best, deepest = depths[item.target][0], index
                depths[routine.id] = (best + 1, deepest)
                continue
            if routine.id in depths:
                continue
            on_path.add(routine.id)
            stack.append((routine, True))
            for item in routine.items:
                child = entries.get(item.target) if item.kind is ItemKind.ROUTINE else None
                if (
                    isinstance(child, Routine)
                    and child.id not in depths
                    and child.id not in on_path
                ):
                    stack.append((child, False))
    return depths


def depth_problems(routine: Routine, depths: dict[str, tuple[int, int | None]]) -> list[Problem]:
    """A located error for a routine whose includes go deeper than MAX_ROUTINE_DEPTH."""
    depth, deepest = depths.get(routine.id, (1, None))
    if depth <= MAX_ROUTINE_DEPTH or deepest is None:
        return []
    item = routine.items[deepest]
    where = item.where
    message = (
        f"routines include routines {depth} levels deep from here "
        f"(the limit is {MAX_ROUTINE_DEPTH}); include fewer levels"
    )
    return [Problem(where.path, where.line, where.column, f"items[{deepest}].routine", message)]


def check_references(catalog: Catalog) -> None:
    """Set aside routines whose references do not resolve, that go round a cycle, nest
    deeper than MAX_ROUTINE_DEPTH or expand past the session limits; then, level by
    level, the routines that include one set aside ("could not be loaded: fix ...").

    Every routine is checked against the same library before any is removed, so both
    routines of a cycle report the cycle (not "unknown routine" for the second). Each
    step is one walk over the library: linear however deep the includes go.
    """
    entries = catalog.entries
    broken = catalog.broken_ids()
    refs = References(entries)
    depths = routine_depths(entries)
    sizes: dict[str, Size] = {}
    routines = [e for e in entries.values() if isinstance(e, Routine)]
    found: dict[str, list[Problem]] = {}
    for routine in routines:
        problems = reference_problems(routine, entries, broken, refs) or depth_problems(
            routine, depths
        )
        if not problems:
            problems = size_problems(routine, entries, sizes)
        if problems:
            found[routine.id] = problems
    # the cascade: whoever includes a routine set aside is set aside too, naming it
    parents: dict[str, list[tuple[Routine, int]]] = {}
    for routine in routines:
        for index, item in enumerate(routine.items):
            if item.kind is ItemKind.ROUTINE:
                parents.setdefault(item.target, []).append((routine, index))
    level = list(found)
    set_aside = set(found)
    paths = {routine_id: found[routine_id][0].path for routine_id in found}
    while level:
        next_level: dict[str, list[Problem]] = {}
        for child in level:
            for parent, index in parents.get(child, ()):
                if parent.id in set_aside:
                    continue
                item = parent.items[index]
                where = item.where
                message = f"routine '{child}' could not be loaded: fix {paths[child]}"
                field_name = f"items[{index}].routine"
                next_level.setdefault(parent.id, []).append(
                    Problem(where.path, where.line, where.column, field_name, message)
                )
        for routine_id, problems in next_level.items():
            problems.sort(key=lambda p: (p.line or 0, p.column or 0))
            found[routine_id] = problems
            paths[routine_id] = problems[0].path
            set_aside.add(routine_id)
        level = list(next_level)
    for routine_id, problems in found.items():
        catalog.broken.append(DrillFileError(problems))
        del entries[routine_id]


MAX_ROUTINE_CUES = MAX_SESSION_CUES


def size_problems(
    routine: Routine, entries: dict[str, Entry], memo: dict[str, Size] | None = None
) -> list[Problem]:
    """A routine longer than 4 hours, or with more than MAX_ROUTINE_CUES cues, once expanded.

    Counted before anything expands (library/size.py), in time linear in the number of
    files, so a "routine bomb" is refused without being compiled.
    """
    over = over_limits(expanded_size(routine, entries, memo=memo))
    if not over:
        return []
    where = routine.items[0].where if routine.items else None
    message = "the routine expands to " + " and ".join(over)
    return [
        Problem(
            where.path if where else routine.source,
            where.line if where else None,
            where.column if where else None,
            "items",
            message,
        )
    ]


def _quote(path: str) -> str:
    """A path as it could be pasted into a shell."""
    import shlex

    return shlex.quote(path)
