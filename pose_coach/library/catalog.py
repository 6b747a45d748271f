"""The drill library: built-in drills, then the user's folder, then POSE_COACH_DRILLS.

Each library folder holds drill files (``*.yaml``) and routine files (``routines/*.yaml``).
A broken user file never stops the rest of the library: it is set aside and reported.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pose_coach.errors import DrillFileError, Problem, UnknownIdError, display_path, printable
from pose_coach.library.loader import load_file
from pose_coach.library.model import Drill, Entry, ItemKind, Routine
from pose_coach.library.size import MAX_SESSION_CUES, Size, expanded_size, over_limits
from pose_coach.paths import library_dirs


def library_files(folder: Path) -> list[Path]:
    """Drill and routine files of one library folder, in a stable order."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    routines = folder / "routines"
    if routines.is_dir():
        files += sorted(routines.glob("*.yaml")) + sorted(routines.glob("*.yml"))
    return [f for f in files if f.is_file()]


@dataclass
class Catalog:
    """Every valid drill and routine by id, and the files that had to be set aside."""

    entries: dict[str, Entry] = field(default_factory=dict)
    broken: list[DrillFileError] = field(default_factory=list)
    conflicts: dict[str, list[str]] = field(default_factory=dict)  # id -> user files using it

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
        candidates = self.ids(kind)
        close = difflib.get_close_matches(entry_id, candidates, n=1, cutoff=0.6)
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
        """One line per set-aside file or clashing id, naming the command that explains it.

        ``needed`` is the id (or ids) the command asked for: its failure becomes the error
        instead.
        """
        asked = {needed} if isinstance(needed, str) else set(needed or ())
        lines = []
        for error in self.broken:
            first = error.problems[0]
            if Path(first.path).stem in asked:
                continue
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


def load_catalog(folders: Iterable[tuple[str, Path]] | None = None) -> Catalog:
    """Load the whole library along the search path, then check routine references.

    A user file may replace a built-in id (the entry's ``shadows`` says so); two user
    files with one id make that id an error naming both, and neither is used.
    """
    catalog = Catalog()
    origin_of: dict[str, tuple[str, str]] = {}  # id -> (origin, shown path)
    for origin, folder in folders if folders is not None else library_dirs():
        for path in library_files(folder):
            shown = display_path(path)
            source = "builtin" if origin == "builtin" else os.path.abspath(path)
            try:
                entry = load_file(path, source=source)
            except DrillFileError as error:
                catalog.broken.append(error)
                continue
            if entry.id in catalog.conflicts:
                catalog.conflicts[entry.id].append(shown)
                continue
            previous = origin_of.get(entry.id)
            if previous is not None:
                prev_origin, prev_path = previous
                if prev_origin == "builtin" and origin == "user":
                    entry = replace(entry, shadows=f"built-in {entry.kind} '{entry.id}'")
                else:
                    catalog.conflicts[entry.id] = [prev_path, shown]
                    del catalog.entries[entry.id]
                    continue
            origin_of[entry.id] = (origin, shown)
            catalog.entries[entry.id] = entry
    check_references(catalog)
    return catalog


def reference_problems(
    routine: Routine, entries: dict[str, Entry], broken: dict[str, str] | None = None
) -> list[Problem]:
    """Unknown or wrong-kind references and cycles, each at the item that names them.

    ``broken``: id → path of files that exist but could not be loaded, so a reference
    to one says which file to fix instead of "unknown".
    """
    problems: list[Problem] = []
    for index, item in enumerate(routine.items):
        if item.kind is ItemKind.REST:
            continue
        ref = item.target
        target = entries.get(ref)
        if target is not None and target.kind == item.kind.value:
            continue
        where = item.where
        same_kind = [i for i, e in entries.items() if e.kind == item.kind.value]
        close = difflib.get_close_matches(ref, same_kind, n=1)
        message = f"unknown {item.kind.value} '{ref}'"
        if target is not None:
            message += f" — '{ref}' is a {target.kind}: write '{target.kind}: {ref}'"
        elif broken and ref in broken:
            message = f"{item.kind.value} '{ref}' could not be loaded: fix {broken[ref]}"
        elif close:
            message += f" — did you mean '{close[0]}'?"
        field = f"items[{index}].{item.kind.value}"
        problems.append(Problem(where.path, where.line, where.column, field, message))
    cycle = find_cycle(routine.id, entries)
    if cycle:
        shown = " → ".join(cycle)
        includes = [(i, it) for i, it in enumerate(routine.items) if it.kind is ItemKind.ROUTINE]
        if cycle[0] == routine.id:  # on the cycle: at the item that goes round it
            index, item = next((i, it) for i, it in includes if it.ref == cycle[1])
            message = f"routines include each other in a cycle: {shown}"
        else:  # leads into someone else's cycle: at the item that leads there
            index, item = next((i, it) for i, it in includes if find_cycle(it.target, entries))
            message = f"routine '{item.ref}' leads into a cycle: {shown}"
        where = item.where
        field = f"items[{index}].routine"
        problems.append(Problem(where.path, where.line, where.column, field, message))
    return problems


def find_cycle(start: str, entries: dict[str, Entry]) -> list[str] | None:
    """The first cycle of routine includes reachable from ``start``, as a path of ids."""
    # Routines explored to the end without a cycle: never walked again, so a routine
    # including another 200 times over several levels costs linear, not exponential, time.
    done: set[str] = set()

    def walk(routine_id: str, path: list[str]) -> list[str] | None:
        routine = entries.get(routine_id)
        if not isinstance(routine, Routine) or routine_id in done:
            return None
        for item in routine.items:
            if item.kind is not ItemKind.ROUTINE:
                continue
            if item.target in path:
                return path[path.index(item.target) :] + [item.target]
            found = walk(item.target, path + [item.target])
            if found:
                return found
        done.add(routine_id)
        return None

    return walk(start, [start])


def check_references(catalog: Catalog) -> None:
    """Set aside routines whose references do not resolve (repeat: removals cascade).

    Each pass checks every routine against the same library before removing any, so
    both routines of a cycle report the cycle (not "unknown routine" for the second).
    """
    while True:
        broken = catalog.broken_ids()
        sizes: dict[str, tuple[float, int]] = {}
        found = {
            entry_id: problems
            for entry_id, entry in catalog.entries.items()
            if isinstance(entry, Routine)
            and (
                problems := reference_problems(entry, catalog.entries, broken)
                or size_problems(entry, catalog.entries, sizes)
            )
        }
        if not found:
            return
        for entry_id, problems in found.items():
            catalog.broken.append(DrillFileError(problems))
            del catalog.entries[entry_id]


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
