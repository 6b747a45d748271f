"""Plan YAML files → validated :class:`~pose_coach.plan.model.Plan`, or every problem, located.

The file is read exactly as drill files are (``library/loader.py``: size limit, UTF-8,
control characters, tags, aliases and duplicate keys refused with their place), then
each field is checked by the same ``FieldChecker``. On top of the types, a plan must
name a source for every number (a key of its ``sources``) and must not ask for more
running in the new form than the sources support (``plan/limits.py``).

``weeks[2].sessions[0].run.form_minutes: 12 min in the new form in week 3; ...``
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pose_coach.errors import Problem, printable
from pose_coach.library.fields import FieldChecker
from pose_coach.library.loader import compose_checked, fail, read_text_file
from pose_coach.plan.limits import limit_problems
from pose_coach.plan.model import Plan
from pose_coach.plan.reader import (  # noqa: F401  (the field lists: docs/plans.md, tests)
    CADENCE_FIELDS,
    HOLD_FIELDS,
    MAX_WEEKS,
    PLAN_FIELDS,
    PROGRESS_FIELDS,
    RULE_FIELDS,
    RUN_FIELDS,
    SESSION_FIELDS,
    STEP_BACK_FIELDS,
    STOP_FIELDS,
    WEEK_FIELDS,
    PlanReader,
    field_node,
)

DOCS = "`pose-coach docs plans`"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    name: index
    for index, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
    for name in (full, full[:3], full[:2])
}
_DAY_NAMES.update({"tues": 1, "thur": 3, "thurs": 3})


def parse_days(text: str) -> tuple[int, ...]:
    """``"mon,wed,fri"`` → ``(0, 2, 4)``; ValueError naming a word that is not a weekday."""
    found = set()
    for part in text.replace(" ", ",").split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in _DAY_NAMES:
            raise ValueError(
                f"'{printable(part.strip())}' is not a weekday (use mon,tue,wed,thu,fri,sat,sun)"
            )
        found.add(_DAY_NAMES[name])
    if not found:
        raise ValueError("name at least one weekday, e.g. mon,wed,fri")
    return tuple(sorted(found))


def load_plan_text(
    text: str, path: str, stem: str | None = None, source: str | None = None
) -> Plan:
    """Parse one plan file's text; raise DrillFileError with every problem, located."""
    plan, problems = check_plan_text(text, path, stem, source)
    errors = [p for p in problems if not p.warning]
    if errors or plan is None:
        fail(path, errors or [Problem(path, None, None, "", "invalid plan file")])
    return plan


def check_plan_text(
    text: str, path: str, stem: str | None = None, source: str | None = None
) -> tuple[Plan | None, list[Problem]]:
    """(the plan or None, every problem and warning): what ``plan validate`` reports."""
    root, structure = compose_checked(text, path, DOCS)
    checker = FieldChecker(path, structure.skip)
    checker.problems += [Problem(path, p.line, p.column, "", p.message) for p in structure.problems]
    reader = PlanReader(checker)
    fields = checker.mapping(root, "", PLAN_FIELDS, "fields (title, summary, weeks, ...)")
    if fields is None:
        return None, checker.problems
    plan_id = reader.plan_id(fields, root, stem)
    title = checker.text(reader.required(fields, root, "title"), "title", max_len=80)
    summary = checker.text(
        reader.required(fields, root, "summary"), "summary", max_len=4000, multiline=True
    )
    level = checker.text(field_node(fields, "level"), "level", max_len=40)
    already = checker.boolean(field_node(fields, "already_drilling"), "already_drilling")
    safety = checker.text_list(field_node(fields, "safety"), "safety", max_len=600, multiline=True)
    reader.read_sources(reader.required(fields, root, "sources"))
    days = _days(checker, field_node(fields, "days"))
    rules = reader.rules(reader.required(fields, root, "rules"))
    cadence = reader.cadence(field_node(fields, "cadence")) if "cadence" in fields else None
    weeks = reader.weeks(reader.required(fields, root, "weeks"))
    for key in sorted(set(reader.sources) - reader.cited):
        key_node = next(k for k, _ in fields["sources"][1].value if k.value == key)
        checker.add(key_node, f"sources.{key}", "this source is never cited", warning=True)
    if any(not p.warning for p in checker.problems):
        return None, checker.problems
    assert title is not None and summary is not None and rules is not None
    plan = Plan(
        id=plan_id,
        title=title,
        summary=summary,
        weeks=tuple(weeks),
        rules=rules,
        days=days or _default_days(max(len(w.sessions) for w in weeks)),
        sources=dict(reader.sources),
        level=level,
        already_drilling=bool(already),
        cadence=cadence,
        safety=safety,
        source=source or path,
    )
    problems = list(checker.problems)
    if days and len(days) > plan.sessions_per_week:
        problems.append(
            Problem(
                path,
                fields["days"][1].start_mark.line + 1,
                fields["days"][1].start_mark.column + 1,
                "days",
                f"{len(days)} training days for {plan.sessions_per_week} sessions a week "
                "would fit more than a week of the plan into each week",
            )
        )
    if cadence is not None and cadence.from_week > len(plan.weeks):
        problems.append(
            Problem(
                path,
                cadence.where.line,
                cadence.where.column,
                "cadence.from_week",
                f"week {cadence.from_week}, but the plan has {len(plan.weeks)} weeks",
            )
        )
    problems += limit_problems(plan)
    if any(not p.warning for p in problems):
        return None, problems
    return plan, problems


def _days(checker: FieldChecker, node: Any) -> tuple[int, ...]:
    import yaml

    if checker.skipped(node):
        return ()
    if isinstance(node, yaml.SequenceNode):
        names = []
        for i, item in enumerate(node.value):
            value = checker.scalar(item, f"days[{i}]", "a weekday")
            if value is not None:
                names.append(value)
        text = ",".join(names)
    else:
        text = checker.scalar(node, "days", "weekdays, e.g. [mon, wed, fri]") or ""
    if not text:
        return ()
    try:
        return parse_days(text)
    except ValueError as exc:
        checker.add(node, "days", str(exc))
        return ()


def _default_days(sessions: int) -> tuple[int, ...]:
    """Training days spread over the week when a plan names none."""
    return {
        1: (5,),
        2: (1, 4),
        3: (0, 2, 4),
        4: (0, 1, 3, 5),
        5: (0, 1, 2, 4, 5),
        6: (0, 1, 2, 3, 4, 5),
    }.get(sessions, (0, 1, 2, 3, 4, 5, 6))


def load_plan_file(path: Path, source: str | None = None) -> Plan:
    """Load a plan file. ``source`` is 'builtin' or defaults to the path."""
    shown, text = read_text_file(path)
    return load_plan_text(text, shown, stem=path.stem, source=source or str(path))
