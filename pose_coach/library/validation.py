"""``pose-coach validate``: check drill and routine files, reporting every located problem."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pose_coach.errors import DrillFileError, Problem, UsageError, display_path
from pose_coach.library.catalog import Catalog, FolderError, check_references, library_files
from pose_coach.library.model import Entry, Routine


@dataclass
class FileReport:
    path: str
    entry: Entry | None = None
    problems: list[Problem] = field(default_factory=list)  # errors
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "ok": self.ok,
            "id": self.entry.id if self.entry else None,
            "kind": self.entry.kind if self.entry else None,
            "errors": [_problem_dict(p) for p in self.problems],
            "warnings": [_problem_dict(p) for p in self.warnings],
        }


def _problem_dict(p: Problem) -> dict:
    return {
        "line": p.line,
        "column": p.column,
        "field": p.field,
        "message": p.message,
        "text": str(p),
    }


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named, plus each folder's drill files (and routines/); each file once."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                found = library_files(path)
            except FolderError as error:
                raise UsageError(
                    f"cannot read the folder {display_path(error.folder)}: {error.reason}"
                ) from None
            if not found:
                raise UsageError(
                    f"no drill files (*.yaml) in {display_path(path)}",
                    "a library folder holds ID.yaml drill files and routines/ID.yaml routines",
                )
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {display_path(path)}")
    unique: dict[str, Path] = {}
    for file in files:
        unique.setdefault(os.path.realpath(file), file)
    return list(unique.values())


def validate_paths(paths: list[Path], library: Catalog) -> list[FileReport]:
    """Load each file; check routine references against the library plus these files."""
    from pose_coach.library.loader import load_file

    reports = []
    for path in expand_paths(paths):
        report = FileReport(display_path(path))
        try:
            report.entry = load_file(path)
        except DrillFileError as error:
            report.problems = list(error.problems)
        reports.append(report)
    _check_duplicate_ids(reports)
    # the files given are checked as the library would check them, together with it: a
    # reference to a given file that failed says "could not be loaded: fix it", and a
    # routine whose chain of includes ends in a broken file fails too, naming the link
    known = dict(library.entries)
    known.update({r.entry.id: r.entry for r in reports if r.entry is not None})
    failed = [DrillFileError(r.problems) for r in reports if r.entry is None and r.problems]
    together = Catalog(entries=known, broken=[*library.broken, *failed])
    before = len(together.broken)
    check_references(together)
    set_aside = {
        error.problems[0].path: error.problems
        for error in together.broken[before:]
        if error.problems
    }
    for report in reports:
        if isinstance(report.entry, Routine) and report.path in set_aside:
            report.problems += set_aside[report.path]
        if report.entry is not None and report.ok:
            report.warnings += entry_warnings(report.entry)
    return reports


def _check_duplicate_ids(reports: list[FileReport]) -> None:
    """Two files given together with one id: an error on each, naming the other."""
    by_id: dict[str, list[FileReport]] = {}
    for report in reports:
        if report.entry is not None:
            by_id.setdefault(report.entry.id, []).append(report)
    for entry_id, same in by_id.items():
        if len(same) < 2:
            continue
        for report in same:
            others = " and ".join(r.path for r in same if r is not report)
            report.problems.append(
                Problem(
                    report.path,
                    None,
                    None,
                    "id",
                    f"id '{entry_id}' is also used by {others}; rename one of them",
                )
            )


def entry_warnings(entry: Entry) -> list[Problem]:
    """Advice that does not make a file invalid: speech timing and cue style."""
    from pose_coach.library import cues, speech_fit

    return speech_fit.warnings(entry) + cues.warnings(entry)
