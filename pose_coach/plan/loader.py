"""Plan YAML files → validated :class:`~pose_coach.plan.model.Plan`, or every problem, located.

The file is read exactly as drill files are (``library/loader.py``: size limit, UTF-8,
control characters, tags, aliases and duplicate keys refused with their place), then
each field is checked by the same ``FieldChecker``. On top of the types, a plan must
name a source for every number (a key of its ``sources``) and must not ask for more
running in the new form than the sources support (``plan/limits.py``).

``weeks[2].sessions[0].run.form_minutes: 12 min in the new form in week 3; ...``
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pose_coach.errors import Problem, printable
from pose_coach.library.fields import FieldChecker
from pose_coach.library.loader import ID_PATTERN, compose_checked, fail, read_text_file
from pose_coach.library.model import Location
from pose_coach.plan.limits import limit_problems
from pose_coach.plan.model import (
    CadenceRule,
    Plan,
    PlanSession,
    PlanWeek,
    Rules,
    RunPrescription,
)

DOCS = "docs/plans.md"
MAX_WEEKS = 52
MAX_SESSIONS = 7  # a session a day at most
MAX_REPEAT = 12

PLAN_FIELDS = (
    "id",
    "title",
    "summary",
    "level",
    "days",
    "already_drilling",
    "sources",
    "rules",
    "cadence",
    "safety",
    "weeks",
)
WEEK_FIELDS = ("title", "note", "source", "repeat", "sessions")
SESSION_FIELDS = ("routine", "drill", "run", "title", "note")
RUN_FIELDS = ("minutes", "form_minutes", "piece_max_m", "piece_max_minutes", "source")
RULE_FIELDS = ("progress", "hold", "step_back", "stop")
PROGRESS_FIELDS = ("soreness_at_most", "source")
HOLD_FIELDS = ("soreness_rising", "source")
STEP_BACK_FIELDS = ("soreness_at_least", "missed_days", "source")
STOP_FIELDS = ("source",)
CADENCE_FIELDS = ("from_week", "step_percent", "max_percent", "source")

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    name: index
    for index, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
    for name in (full, full[:3], full[:2])
}
_DAY_NAMES.update({"tues": 1, "thur": 3, "thurs": 3})
_SOURCE_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")


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


def days_text(days: tuple[int, ...]) -> str:
    """``(0, 2, 4)`` → ``mon,wed,fri``."""
    return ",".join(WEEKDAYS[d] for d in days)


def _node(fields: dict, name: str) -> Any:
    return fields[name][1] if name in fields else None


class _PlanReader:
    """One file's fields, read into model objects with every problem collected."""

    def __init__(self, checker: FieldChecker) -> None:
        self.c = checker
        self.sources: dict[str, str] = {}
        self.cited: set[str] = set()

    def required(self, fields: dict, root: Any, name: str, prefix: str = "") -> Any:
        if name in fields:
            return fields[name][1]
        c = self.c
        if (id(root), name) not in c.suggested and id(root) not in c.incomplete:
            c.add(root, f"{prefix}.{name}" if prefix else name, "missing required field")
        return None

    def plan_id(self, fields: dict, root: Any, stem: str | None) -> str:
        c = self.c
        if "id" not in fields:
            if stem is not None and ID_PATTERN.fullmatch(stem):
                return stem
            c.add(root, "id", f"the file name {printable(stem or '')!r} is not a valid id")
            return stem or "?"
        node = fields["id"][1]
        value = c.scalar(node, "id", "an id")
        if value is None:
            return stem or "?"
        if not ID_PATTERN.fullmatch(value):
            c.add(
                node,
                "id",
                f"{value!r} is not a valid id: use lowercase letters, digits and hyphens, "
                "at most 40 characters",
            )
        elif stem is not None and value != stem:
            c.add(
                node,
                "id",
                f"id {value!r} does not match the file name {printable(stem)!r}; "
                "rename the file or drop the id field",
            )
        return value

    # -- sources --------------------------------------------------------------

    def read_sources(self, node: Any) -> None:
        import yaml

        c = self.c
        if c.skipped(node):
            return
        if not isinstance(node, yaml.MappingNode):
            c.add(node, "sources", "expected a mapping of source keys to titles and addresses")
            return
        for key, value in node.value:
            name = getattr(key, "value", None)
            if c.skipped(key) or not isinstance(name, str):
                continue
            if not _SOURCE_KEY.fullmatch(name):
                c.add(
                    key,
                    f"sources.{printable(name)}",
                    "a source key is lowercase letters, digits and hyphens, e.g. ta-physio",
                )
                continue
            text = c.text(value, f"sources.{name}", max_len=500)
            if text is not None:
                self.sources[name] = text
        if not node.value:
            c.add(node, "sources", "expected at least one source")

    def cite(self, node: Any, field: str, required: str | None = None) -> tuple[str, ...]:
        """``source: key`` or ``source: [key, ...]``; ``required`` says what needs it."""
        import difflib

        import yaml

        c = self.c
        if node is None:
            return ()
        items = (
            [node]
            if isinstance(node, yaml.ScalarNode)
            else c.sequence(node, field, "a source key or a list of them")
        )
        keys: list[str] = []
        for i, item in enumerate(items or []):
            shown = field if item is node else f"{field}[{i}]"
            key = c.scalar(item, shown, "a source key")
            if key is None:
                continue
            key = key.strip()
            if key not in self.sources:
                close = difflib.get_close_matches(key, list(self.sources), n=1)
                tip = f"; did you mean {close[0]!r}?" if close else "; add it under sources"
                c.add(item, shown, f"unknown source {printable(key)!r}{tip}")
                continue
            self.cited.add(key)
            keys.append(key)
        if items == [] and required:
            c.add(node, field, f"name at least one source for {required}")
        return tuple(keys)

    def cited_where(self, fields: dict, root: Any, prefix: str, what: str) -> tuple[str, ...]:
        """The required ``source`` of a block holding numbers."""
        if "source" not in fields:
            self.c.add(
                root,
                f"{prefix}.source",
                f"missing required field: every number needs its source ({what})",
            )
            return ()
        return self.cite(fields["source"][1], f"{prefix}.source", what)

    # -- rules and cadence ----------------------------------------------------

    def rules(self, node: Any) -> Rules | None:
        c = self.c
        fields = c.mapping(node, "rules", RULE_FIELDS, "rules (progress, hold, step_back, stop)")
        if fields is None:
            return None
        sources: dict[str, tuple[str, ...]] = {}
        progress_max = step_back_min = missed = rising = None
        progress_node = self.required(fields, node, "progress", "rules")
        progress = c.mapping(progress_node, "rules.progress", PROGRESS_FIELDS)
        if progress is not None:
            value = self.required(progress, progress_node, "soreness_at_most", "rules.progress")
            progress_max = c.number(
                value, "rules.progress.soreness_at_most", 0, 9, what="soreness", integer=True
            )
            sources["progress"] = self.cited_where(
                progress, progress_node, "rules.progress", "the soreness threshold"
            )
        back_node = self.required(fields, node, "step_back", "rules")
        back = c.mapping(back_node, "rules.step_back", STEP_BACK_FIELDS)
        if back is not None:
            value = self.required(back, back_node, "soreness_at_least", "rules.step_back")
            step_back_min = c.number(
                value, "rules.step_back.soreness_at_least", 1, 10, what="soreness", integer=True
            )
            value = self.required(back, back_node, "missed_days", "rules.step_back")
            missed = c.number(
                value, "rules.step_back.missed_days", 7, 60, what="days", integer=True
            )
            sources["step_back"] = self.cited_where(
                back, back_node, "rules.step_back", "the soreness threshold and missed days"
            )
        hold_node = _node(fields, "hold")
        hold = c.mapping(hold_node, "rules.hold", HOLD_FIELDS)
        if hold is not None:
            value = self.required(hold, hold_node, "soreness_rising", "rules.hold")
            rising = c.number(
                value, "rules.hold.soreness_rising", 2, 7, what="check-ins", integer=True
            )
            sources["hold"] = self.cited_where(
                hold, hold_node, "rules.hold", "the number of check-ins"
            )
        stop_node = _node(fields, "stop")
        stop = c.mapping(stop_node, "rules.stop", STOP_FIELDS)
        if stop is not None and "source" in stop:
            sources["stop"] = self.cite(stop["source"][1], "rules.stop.source", "stopping")
        if progress_max is None or step_back_min is None or missed is None:
            return None
        if step_back_min <= progress_max:
            c.add(
                back_node,
                "rules.step_back.soreness_at_least",
                f"must be above rules.progress.soreness_at_most ({int(progress_max)}), "
                "or a week could move on and step back at once",
            )
            return None
        return Rules(
            progress_max=int(progress_max),
            step_back_min=int(step_back_min),
            missed_days=int(missed),
            rising=int(rising) if rising is not None else None,
            sources=sources,
        )

    def cadence(self, node: Any) -> CadenceRule | None:
        c = self.c
        fields = c.mapping(node, "cadence", CADENCE_FIELDS)
        if fields is None:
            return None
        values = {}
        for name, low, high, what in (
            ("from_week", 1, MAX_WEEKS, "a week number"),
            ("step_percent", 1, 20, "percent"),
            ("max_percent", 1, 30, "percent"),
        ):
            values[name] = c.number(
                self.required(fields, node, name, "cadence"),
                f"cadence.{name}",
                low,
                high,
                what=what,
                integer=True,
            )
        sources = self.cited_where(fields, node, "cadence", "the cadence steps")
        known = {name: int(v) for name, v in values.items() if v is not None}
        if len(known) < len(values):
            return None
        if known["max_percent"] < known["step_percent"]:
            c.add(fields["max_percent"][1], "cadence.max_percent", "must be at least step_percent")
            return None
        return CadenceRule(
            from_week=known["from_week"],
            step_percent=known["step_percent"],
            max_percent=known["max_percent"],
            sources=sources,
            where=c.location(node),
        )

    # -- weeks ----------------------------------------------------------------

    def run(self, node: Any, field: str) -> RunPrescription | None:
        c = self.c
        fields = c.mapping(node, field, RUN_FIELDS)
        if fields is None:
            return None
        before = len(c.problems)
        minutes = c.number(
            self.required(fields, node, "minutes", field),
            f"{field}.minutes",
            1,
            240,
            what="minutes",
            integer=True,
        )
        form = c.number(
            _node(fields, "form_minutes"),
            f"{field}.form_minutes",
            0,
            240,
            what="minutes",
            integer=True,
        )
        piece_m = c.number(
            _node(fields, "piece_max_m"),
            f"{field}.piece_max_m",
            20,
            10000,
            what="metres",
            integer=True,
        )
        piece_min = c.number(
            _node(fields, "piece_max_minutes"),
            f"{field}.piece_max_minutes",
            1,
            240,
            what="minutes",
            integer=True,
        )
        sources = self.cited_where(fields, node, field, "the run's minutes and pieces")
        if len(c.problems) > before or minutes is None:
            return None
        if form and form > minutes:
            c.add(
                fields["form_minutes"][1],
                f"{field}.form_minutes",
                f"{int(form)} min in the form in a run of {int(minutes)} min",
            )
            return None
        if form and piece_m is None and piece_min is None:
            c.add(
                fields["form_minutes"][1],
                f"{field}.form_minutes",
                "running in the new form needs pieces: add piece_max_m or piece_max_minutes",
            )
            return None
        return RunPrescription(
            minutes=int(minutes),
            form_minutes=int(form or 0),
            piece_max_m=int(piece_m) if piece_m is not None else None,
            piece_max_minutes=int(piece_min) if piece_min is not None else None,
            sources=sources,
            where=c.location(node),
        )

    def session(self, node: Any, field: str) -> PlanSession | None:
        c = self.c
        fields = c.mapping(node, field, SESSION_FIELDS)
        if fields is None:
            return None
        refs = [k for k in ("routine", "drill") if k in fields]
        if len(refs) != 1:
            c.add(
                node,
                field,
                "each session needs one of 'routine' or 'drill'"
                + (" (found both)" if len(refs) > 1 else ""),
            )
            return None
        kind = refs[0]
        value_node = fields[kind][1]
        ref = c.scalar(value_node, f"{field}.{kind}", f"a {kind} id")
        if ref is not None and not ID_PATTERN.fullmatch(ref):
            c.add(value_node, f"{field}.{kind}", f"{ref!r} is not a valid id")
            ref = None
        run_node = _node(fields, "run")
        run = self.run(run_node, f"{field}.run") if run_node is not None else None
        title = c.text(_node(fields, "title"), f"{field}.title", max_len=80)
        note = c.text(_node(fields, "note"), f"{field}.note", max_len=400)
        if ref is None or (run_node is not None and run is None):
            return None
        return PlanSession(
            kind=kind,
            ref=ref,
            run=run,
            title=title,
            note=note,
            where=c.location(value_node),
        )

    def weeks(self, node: Any) -> list[PlanWeek]:
        c = self.c
        items = c.sequence(node, "weeks", "a list of weeks")
        if items == []:
            c.add(node, "weeks", "expected at least one week")
        out: list[PlanWeek] = []
        for i, item in enumerate(items or []):
            field = f"weeks[{i}]"
            fields = c.mapping(item, field, WEEK_FIELDS)
            if fields is None:
                continue
            before = len(c.problems)
            title = c.text(
                self.required(fields, item, "title", field), f"{field}.title", max_len=80
            )
            note = c.text(_node(fields, "note"), f"{field}.note", max_len=600, multiline=True)
            repeat = c.number(
                _node(fields, "repeat"),
                f"{field}.repeat",
                1,
                MAX_REPEAT,
                what="weeks",
                integer=True,
            )
            sources = self.cite(_node(fields, "source"), f"{field}.source", "the week")
            if repeat is not None and "source" not in fields:
                c.add(
                    fields["repeat"][1],
                    f"{field}.source",
                    "missing required field: every number needs its source (the repeat)",
                )
            sessions_node = self.required(fields, item, "sessions", field)
            sessions_list = c.sequence(sessions_node, f"{field}.sessions", "a list of sessions")
            if sessions_list == []:
                c.add(sessions_node, f"{field}.sessions", "expected at least one session")
            if sessions_list and len(sessions_list) > MAX_SESSIONS:
                c.add(
                    sessions_node,
                    f"{field}.sessions",
                    f"{len(sessions_list)} sessions; a week holds at most {MAX_SESSIONS}",
                )
                sessions_list = []
            sessions = [
                self.session(s, f"{field}.sessions[{j}]") for j, s in enumerate(sessions_list or [])
            ]
            if len(c.problems) > before or title is None or any(s is None for s in sessions):
                continue
            for _ in range(int(repeat or 1)):
                out.append(
                    PlanWeek(
                        number=len(out) + 1,
                        title=title,
                        sessions=tuple(s for s in sessions if s is not None),
                        note=note,
                        sources=sources,
                        where=c.location(item),
                    )
                )
        if len(out) > MAX_WEEKS:
            c.add(node, "weeks", f"{len(out)} weeks; a plan holds at most {MAX_WEEKS}")
            return []
        return out


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
    reader = _PlanReader(checker)
    fields = checker.mapping(root, "", PLAN_FIELDS, "fields (title, summary, weeks, ...)")
    if fields is None:
        return None, checker.problems
    plan_id = reader.plan_id(fields, root, stem)
    title = checker.text(reader.required(fields, root, "title"), "title", max_len=80)
    summary = checker.text(
        reader.required(fields, root, "summary"), "summary", max_len=4000, multiline=True
    )
    level = checker.text(_node(fields, "level"), "level", max_len=40)
    already = checker.boolean(_node(fields, "already_drilling"), "already_drilling")
    safety = checker.text_list(_node(fields, "safety"), "safety", max_len=600, multiline=True)
    reader.read_sources(reader.required(fields, root, "sources"))
    days = _days(checker, _node(fields, "days"))
    rules = reader.rules(reader.required(fields, root, "rules"))
    cadence = reader.cadence(_node(fields, "cadence")) if "cadence" in fields else None
    weeks = reader.weeks(reader.required(fields, root, "weeks"))
    for key in sorted(set(reader.sources) - reader.cited):
        node = next(k for k, _ in fields["sources"][1].value if k.value == key)
        checker.add(node, f"sources.{key}", "this source is never cited", warning=True)
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


def with_shadow(plan: Plan, note: str) -> Plan:
    return replace(plan, shadows=note)


def located(where: Location, field: str, message: str) -> Problem:
    return Problem(where.path, where.line, where.column, field, message)
