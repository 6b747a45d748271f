"""The plans: built-in (``drills/plans/``), then the user's (``plans/`` in the drill
folder), then ``plans/`` in each POSE_COACH_DRILLS folder, found by id.

A broken user plan never hides the others: it is set aside and reported, as drill files
are. Each session's routine or drill must exist in the drill library.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from pose_coach.errors import DrillFileError, Problem, UnknownIdError, display_path, printable
from pose_coach.library.model import Entry
from pose_coach.paths import library_dirs
from pose_coach.plan.loader import load_plan_file
from pose_coach.plan.model import Plan


class UnknownPlanError(UnknownIdError):
    """No plan has this id."""


def plan_files(folder: Path) -> list[Path]:
    """The plan files of one library folder (``plans/*.yaml``), in a stable order."""
    plans = folder / "plans"
    if not plans.is_dir():
        return []
    files = sorted(plans.glob("*.yaml")) + sorted(plans.glob("*.yml"))
    return [f for f in files if f.is_file()]


@dataclass
class PlanCatalog:
    plans: dict[str, Plan] = field(default_factory=dict)
    broken: list[DrillFileError] = field(default_factory=list)

    def ids(self) -> list[str]:
        return sorted(self.plans)

    def get(self, plan_id: str) -> Plan:
        plan = self.plans.get(plan_id)
        if plan is not None:
            return plan
        for error in self.broken:
            if error.problems and Path(error.problems[0].path).stem == plan_id:
                raise DrillFileError(
                    error.problems, f"run `pose-coach plan validate {error.problems[0].path}`"
                )
        close = difflib.get_close_matches(plan_id, self.ids(), n=1, cutoff=0.5)
        message = f"no plan '{printable(plan_id)}'" + (
            f"; did you mean '{close[0]}'?" if close else ""
        )
        raise UnknownPlanError(message, "see `pose-coach plan list` for every plan")

    def warnings(self, needed: str | None = None) -> list[str]:
        lines = []
        for error in self.broken:
            first = error.problems[0]
            if Path(first.path).stem == needed:
                continue
            more = len(error.problems) - 1
            lines.append(
                f"skipped plan {first}"
                + (f" (and {more} more)" if more else "")
                + f"; run `pose-coach plan validate {first.path}`"
            )
        return lines


def reference_problems(plan: Plan, entries: Mapping[str, Entry]) -> list[Problem]:
    """Sessions naming a routine or drill the library does not have, at the session."""
    problems = []
    for week in plan.weeks:
        for index, session in enumerate(week.sessions):
            target = entries.get(session.ref)
            if target is not None and target.kind == session.kind:
                continue
            message = f"unknown {session.kind} '{session.ref}'"
            if target is not None:
                message += f" — '{session.ref}' is a {target.kind}: write '{target.kind}: ...'"
            else:
                same = [i for i, e in entries.items() if e.kind == session.kind]
                close = difflib.get_close_matches(session.ref, same, n=1)
                if close:
                    message += f" — did you mean '{close[0]}'?"
            where = session.where
            field_name = f"weeks[{week.number - 1}].sessions[{index}].{session.kind}"
            problem = Problem(where.path, where.line, where.column, field_name, message)
            if problem not in problems:  # a repeated week names the same place again
                problems.append(problem)
    return problems


def load_plans(
    entries: Mapping[str, Entry] | None,
    folders: Iterable[tuple[str, Path]] | None = None,
    *,
    only: str | None = None,
) -> PlanCatalog:
    """Every plan along the search path, checked against the drill library ``entries``
    (None: not checked, for a caller that checks the sessions it uses itself).

    ``only``: read just the files of that plan id (a plan's id is its file name), for
    the commands that need the active plan alone (``today``).
    """
    catalog = PlanCatalog()
    origin_of: dict[str, tuple[str, str]] = {}
    for origin, folder in folders if folders is not None else library_dirs():
        for path in plan_files(folder):
            if only is not None and path.stem != only:
                continue
            shown = display_path(path)
            source = "builtin" if origin == "builtin" else os.path.abspath(path)
            try:
                plan = load_plan_file(path, source=source)
            except DrillFileError as error:
                catalog.broken.append(error)
                continue
            problems = reference_problems(plan, entries) if entries is not None else []
            if problems:
                catalog.broken.append(DrillFileError(problems))
                continue
            previous = origin_of.get(plan.id)
            if previous is not None:
                if previous[0] == "builtin" and origin == "user":
                    plan = replace(plan, shadows=f"built-in plan '{plan.id}'")
                else:
                    catalog.broken.append(
                        DrillFileError(
                            [
                                Problem(
                                    shown,
                                    None,
                                    None,
                                    "id",
                                    f"plan id '{plan.id}' is also used by {previous[1]}; "
                                    "rename one of them",
                                )
                            ]
                        )
                    )
                    continue
            origin_of[plan.id] = (origin, shown)
            catalog.plans[plan.id] = plan
    return catalog


def needed_entries(
    refs: Iterable[str], folders: Iterable[tuple[str, Path]] | None = None
) -> dict[str, Entry] | None:
    """The drills and routines ``refs`` need (routines' items followed), read by file name
    alone: an entry's id is its file's name, so nothing else of the library is parsed.

    For ``today``, which shows one session. None when anything is not plain (a file
    missing, broken or unreadable, two user files with one id, a routine that does not
    check): the caller then loads the whole library and reports it the usual way.
    """
    from pose_coach.library.catalog import Catalog, check_references
    from pose_coach.library.loader import load_file
    from pose_coach.library.model import Routine

    dirs = list(folders if folders is not None else library_dirs())
    catalog = Catalog()
    wanted, seen = list(refs), set()
    try:
        while wanted:
            entry_id = wanted.pop()
            if entry_id in seen:
                continue
            seen.add(entry_id)
            found: list[tuple[str, Entry]] = []
            for origin, folder in dirs:
                for where in (folder, folder / "routines"):
                    for suffix in (".yaml", ".yml"):
                        path = where / f"{entry_id}{suffix}"
                        if path.is_file():
                            source = "builtin" if origin == "builtin" else os.path.abspath(path)
                            found.append((origin, load_file(path, source=source)))
            builtin = [entry for origin, entry in found if origin == "builtin"]
            users = [entry for origin, entry in found if origin != "builtin"]
            if not found or len(builtin) > 1 or len(users) > 1:  # a clash: the full library says
                return None
            entry = users[0] if users else builtin[0]
            if users and builtin:
                entry = replace(entry, shadows=f"built-in {entry.kind} '{entry.id}'")
            catalog.entries[entry_id] = entry
            if isinstance(entry, Routine):
                wanted += [item.ref for item in entry.items if item.ref]
    except (DrillFileError, OSError):
        return None
    check_references(catalog)
    if catalog.broken:
        return None
    return catalog.entries
