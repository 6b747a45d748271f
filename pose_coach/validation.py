"""``pose-coach validate``: check drill and routine files, reporting every located problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .catalog import Catalog, library_files, reference_problems
from .errors import DrillFileError, Problem, UsageError, display_path
from .model import Entry, Routine


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
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = library_files(path)
            files += found
        elif path.exists():
            files.append(path)
        else:
            raise UsageError(f"no such file or folder: {path}")
    return files


def validate_paths(paths: list[Path], library: Catalog) -> list[FileReport]:
    """Load each file; check routine references against the library plus these files."""
    from .loader import load_file

    reports = []
    for path in expand_paths(paths):
        report = FileReport(display_path(path))
        try:
            report.entry = load_file(path)
        except DrillFileError as error:
            report.problems = list(error.problems)
        reports.append(report)
    known = dict(library.entries)
    known.update({r.entry.id: r.entry for r in reports if r.entry is not None})
    for report in reports:
        if isinstance(report.entry, Routine):
            report.problems += reference_problems(report.entry, known)
        if report.entry is not None and report.ok:
            report.warnings += entry_warnings(report.entry)
    return reports


def entry_warnings(entry: Entry) -> list[Problem]:
    """Advice that does not make a file invalid (extended by the speech timing check)."""
    from . import speech_fit

    return speech_fit.warnings(entry)
