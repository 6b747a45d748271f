"""YAML drill and routine files → validated model objects, or every problem, located.

Every error reads like a compiler's:
``drills/wall-fall.yaml:12:14: steps[1].seconds: expected seconds between 1 and 3600, got 'ten'``
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from pose_coach import words
from pose_coach.errors import DrillFileError, Problem, display_path, printable
from pose_coach.files import FileRefused, FileTooLarge, read_bytes
from pose_coach.library.fields import FieldChecker
from pose_coach.library.model import (
    FIGURES,
    Drill,
    Entry,
    Evidence,
    Fault,
    ItemKind,
    Phase,
    Routine,
    RoutineItem,
    Side,
    Step,
)
from pose_coach.library.size import MAX_SESSION_SECONDS
from pose_coach.library.yamlnodes import (
    MAX_BYTES,
    Structure,
    YamlProblem,
    check_structure,
    check_text,
    compose,
    decode,
)

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")  # always used with fullmatch
MAX_STEPS = 500
MAX_ITEMS = 200
MAX_PROBLEMS = 50

DRILL_FIELDS = (
    "id",
    "title",
    "phase",
    "summary",
    "steps",
    "level",
    "equipment",
    "sets",
    "rest",
    "checkpoints",
    "faults",
    "safety",
    "sources",
    "corrects",
    "figure",
    "evidence",
)
STEP_FIELDS = ("cue", "seconds", "say", "checkpoint", "side", "cadence", "until")
FAULT_FIELDS = ("fault", "fix", "id")
ROUTINE_FIELDS = ("id", "title", "summary", "items")
ITEM_FIELDS = ("drill", "routine", "rest", "sets", "seconds_scale", "cue")
DRILL_ITEM_ONLY = ("sets", "seconds_scale", "rest")  # the dose of an included drill


def _node(fields: dict, name: str) -> Any:
    """The value node of an optional field, None when absent (every reader accepts that)."""
    return fields[name][1] if name in fields else None


def _required(checker: FieldChecker, fields: dict, root: Any, name: str, prefix: str = "") -> Any:
    """The value node of a required field; when absent, reported at the mapping's start,
    unless an unknown key nearby already got "did you mean {name!r}?"."""
    if name in fields:
        return fields[name][1]
    if (id(root), name) not in checker.suggested and id(root) not in checker.incomplete:
        checker.add(root, f"{prefix}.{name}" if prefix else name, "missing required field")
    return None


def _check_id(checker: FieldChecker, fields: dict, root: Any, stem: str | None) -> str:
    if "id" not in fields:
        if stem is not None and ID_PATTERN.fullmatch(stem):
            return stem
        checker.add(
            root,
            "id",
            f"the file name {printable(stem or '')!r} is not a valid id: rename the file "
            "(lowercase letters, digits and hyphens, at most 40 characters)",
        )
        return stem or "?"
    node = fields["id"][1]
    value = checker.scalar(node, "id", "an id")
    if value is None:
        return stem or "?"
    if not ID_PATTERN.fullmatch(value):
        checker.add(
            node,
            "id",
            f"{value!r} is not a valid id: use lowercase letters, digits and "
            "hyphens, starting with a letter or digit, at most 40 characters",
        )
        return value
    if stem is not None and value != stem:
        checker.add(
            node,
            "id",
            f"id {value!r} does not match the file name {printable(stem)!r}; "
            "rename the file or drop the id field",
        )
    return value


def _load_step(checker: FieldChecker, node: Any, field: str) -> Step | None:
    fields = checker.mapping(node, field, STEP_FIELDS)
    if fields is None:
        return None
    before = len(checker.problems)
    cue_node = _required(checker, fields, node, "cue", field)
    sec_node = _required(checker, fields, node, "seconds", field)
    cue = checker.text(cue_node, f"{field}.cue", max_len=120)
    seconds = checker.number(sec_node, f"{field}.seconds", 1, 3600, what="seconds", clock=True)
    say = checker.text(_node(fields, "say"), f"{field}.say", max_len=400)
    checkpoint = checker.boolean(_node(fields, "checkpoint"), f"{field}.checkpoint")
    side = checker.choice(_node(fields, "side"), f"{field}.side", tuple(s.value for s in Side))
    cadence, change = _cadence(checker, _node(fields, "cadence"), f"{field}.cadence")
    until = checker.choice(_node(fields, "until"), f"{field}.until", ("key",))
    if len(checker.problems) > before or cue is None or seconds is None:
        return None
    return Step(
        cue=cue,
        seconds=float(seconds),
        say=say,
        checkpoint=bool(checkpoint),
        side=Side(side) if side else None,
        cadence=int(cadence) if cadence else None,
        cadence_change=change,
        until_key=until == "key",
    )


_CADENCE_CHANGE = re.compile(r"([+-]?)(\d+(?:\.\d+)?)\s*%")
MAX_CADENCE_CHANGE = 20.0  # percent either way: raising cadence goes in steps of about 5 %


def _cadence(checker: FieldChecker, node: Any, field: str) -> tuple[int | None, float | None]:
    """A step's cadence: steps per minute (``180``), or a change to the runner's own
    cadence (``+5%``, ``-5%``, ``0%``); (fixed, change), at most one of them set."""
    if checker.skipped(node):
        return None, None
    raw = getattr(node, "value", None)
    text = raw.strip() if isinstance(raw, str) else ""
    match = _CADENCE_CHANGE.fullmatch(text)
    if match is None:
        fixed = checker.number(node, field, 60, 240, what="steps per minute", integer=True)
        return (int(fixed) if fixed is not None else None), None
    change = float(match.group(2)) * (-1 if match.group(1) == "-" else 1)
    if abs(change) > MAX_CADENCE_CHANGE:
        checker.add(
            node,
            field,
            f"expected a change between -{MAX_CADENCE_CHANGE:g}% and +{MAX_CADENCE_CHANGE:g}%"
            f" of your own cadence, got {text}",
        )
        return None, None
    return None, change


def _load_fault(checker: FieldChecker, node: Any, field: str) -> Fault | None:
    fields = checker.mapping(node, field, FAULT_FIELDS)
    if fields is None:
        return None
    fault_node = _required(checker, fields, node, "fault", field)
    fix_node = _required(checker, fields, node, "fix", field)
    fault = checker.text(fault_node, f"{field}.fault", max_len=200)
    fix = checker.text(fix_node, f"{field}.fix", max_len=200)
    fault_id = _fault_id(checker, _node(fields, "id"), f"{field}.id")
    return Fault(fault, fix, fault_id) if fault and fix else None


def _fault_id(checker: FieldChecker, node: Any, field: str) -> str | None:
    """A canonical fault id (library/faults.py), or a located error with "did you mean"."""
    from pose_coach.library.faults import FAULTS, unknown_fault_message

    value = checker.scalar(node, field, "a fault id")
    if value is None:
        return None
    value = value.strip()
    if value not in FAULTS:
        checker.add(node, field, unknown_fault_message(value))
        return None
    return value


def _load_corrects(checker: FieldChecker, node: Any) -> tuple[str, ...]:
    """``corrects: [overstriding, ...]``: canonical fault ids, each once."""
    import yaml

    items = (
        [node]
        if isinstance(node, yaml.ScalarNode)
        else checker.sequence(node, "corrects", "a fault id or a list of fault ids")
    )
    out: list[str] = []
    for i, item in enumerate(items or []):
        field = "corrects" if item is node else f"corrects[{i}]"
        value = _fault_id(checker, item, field)
        if value is None:
            continue
        if value in out:
            checker.add(item, field, f"fault {value!r} is listed twice")
            continue
        out.append(value)
    return tuple(out)


def _load_list(
    checker: FieldChecker,
    node: Any,
    field: str,
    noun: str,
    limit: int,
    load_one: Callable[[FieldChecker, Any, str], Any],
) -> list[Any]:
    """A required, non-empty, bounded list (steps, items), each element loaded by ``load_one``."""
    elements = checker.sequence(node, field, f"a list of {noun}s")
    if elements == []:
        checker.add(node, field, f"expected at least one {noun}")
    elements = elements or []
    if len(elements) > limit:
        checker.add(node, field, f"{len(elements)} {noun}s; the limit is {limit}")
        elements = []
    loaded = (load_one(checker, element, f"{field}[{i}]") for i, element in enumerate(elements))
    return [value for value in loaded if value is not None]


def _required_nodes(checker: FieldChecker, fields: dict, root: Any, *names: str) -> dict:
    """name → value node of each required top-level field (None when missing, reported)."""
    return {name: _required(checker, fields, root, name) for name in names}


def _title_and_summary(checker: FieldChecker, nodes: dict) -> tuple[str | None, str | None]:
    """The two texts every drill and routine file has."""
    title = checker.text(nodes["title"], "title", max_len=80)
    summary = checker.text(nodes["summary"], "summary", max_len=4000, multiline=True)
    return title, summary


def _build_drill(
    checker: FieldChecker, root: Any, fields: dict, stem: str | None, source: str
) -> Drill | None:
    drill_id = _check_id(checker, fields, root, stem)
    nodes = _required_nodes(checker, fields, root, "title", "phase", "summary", "steps")
    title, summary = _title_and_summary(checker, nodes)
    phase = checker.choice(nodes["phase"], "phase", tuple(p.value for p in Phase))
    steps = _load_list(checker, nodes["steps"], "steps", "step", MAX_STEPS, _load_step)
    level = checker.text(_node(fields, "level"), "level", max_len=40)
    equipment = checker.text_list(_node(fields, "equipment"), "equipment", max_len=80)
    sets = checker.number(_node(fields, "sets"), "sets", 1, 20, what="sets", integer=True)
    rest = checker.number(_node(fields, "rest"), "rest", 0, 600, what="seconds", clock=True)
    checkpoints = checker.text_list(_node(fields, "checkpoints"), "checkpoints", max_len=200)
    safety = checker.text_list(_node(fields, "safety"), "safety", max_len=1000, multiline=True)
    sources = checker.text_list(_node(fields, "sources"), "sources", max_len=500)
    faults = [
        _load_fault(checker, item, f"faults[{i}]")
        for i, item in enumerate(checker.sequence(_node(fields, "faults"), "faults") or [])
    ]
    corrects = _load_corrects(checker, _node(fields, "corrects"))
    figure = checker.choice(_node(fields, "figure"), "figure", FIGURES)
    evidence = checker.choice(
        _node(fields, "evidence"), "evidence", tuple(e.value for e in Evidence)
    )

    if any(not p.warning for p in checker.problems):
        return None
    assert title is not None and summary is not None  # missing ones were problems
    drill = Drill(
        id=drill_id,
        title=title,
        phase=Phase(phase),
        summary=summary,
        steps=tuple(steps),
        sets=int(sets or 1),
        rest=float(rest or 0),
        level=level,
        equipment=equipment,
        checkpoints=checkpoints,
        faults=tuple(f for f in faults if f is not None),
        safety=safety,
        sources=sources,
        corrects=corrects,
        figure=figure,
        evidence=Evidence(evidence) if evidence else None,
        source=source,
    )
    if drill.seconds > MAX_SESSION_SECONDS:
        checker.add(
            nodes["steps"],
            "steps",
            f"sets, steps and rests last {words.clock_up(drill.seconds)}; "
            f"the limit is {words.clock_up(MAX_SESSION_SECONDS)}",
        )
        return None
    return drill


def _build_routine(
    checker: FieldChecker, root: Any, fields: dict, stem: str | None, source: str
) -> Routine | None:
    routine_id = _check_id(checker, fields, root, stem)
    nodes = _required_nodes(checker, fields, root, "title", "summary", "items")
    title, summary = _title_and_summary(checker, nodes)
    items = _load_list(checker, nodes["items"], "items", "item", MAX_ITEMS, _load_item)
    if any(not p.warning for p in checker.problems):
        return None
    assert title is not None and summary is not None  # missing ones were problems
    return Routine(id=routine_id, title=title, summary=summary, items=tuple(items), source=source)


def _load_item(checker: FieldChecker, node: Any, field: str) -> RoutineItem | None:
    fields = checker.mapping(node, field, ITEM_FIELDS)
    if fields is None:
        return None
    refs = [k for k in ("drill", "routine") if k in fields]
    if len(refs) > 1 or (not refs and "rest" not in fields):
        checker.add(
            node,
            field,
            "each item needs one of 'drill', 'routine' or 'rest'"
            + (f" (found both {refs[0]!r} and {refs[1]!r})" if len(refs) > 1 else ""),
        )
        return None
    kind = refs[0] if refs else "rest"
    if kind != "rest" and "cue" in fields:
        checker.add(fields["cue"][0], f"{field}.cue", "'cue' applies to rest items only")
        return None
    if kind != "drill":
        for extra in DRILL_ITEM_ONLY:
            if extra in fields and extra != kind:
                checker.add(
                    fields[extra][0], f"{field}.{extra}", f"{extra!r} applies to drill items only"
                )
                return None
    value_node = fields[kind][1]
    if kind == "rest":
        seconds = checker.number(value_node, f"{field}.rest", 1, 3600, what="seconds", clock=True)
        if seconds is None:
            return None
        where = checker.location(value_node)
        cue = checker.text(_node(fields, "cue"), f"{field}.cue", max_len=120)
        return RoutineItem(ItemKind.REST, seconds=float(seconds), cue=cue, where=where)
    ref = checker.scalar(value_node, f"{field}.{kind}", f"a {kind} id")
    if ref is None:
        return None
    if not ID_PATTERN.fullmatch(ref):
        checker.add(value_node, f"{field}.{kind}", f"{ref!r} is not a valid id")
        return None
    before = len(checker.problems)
    sets = checker.number(_node(fields, "sets"), f"{field}.sets", 1, 20, what="sets", integer=True)
    rest = checker.number(
        _node(fields, "rest"), f"{field}.rest", 0, 600, what="seconds", clock=True
    )
    scale = checker.number(
        _node(fields, "seconds_scale"), f"{field}.seconds_scale", 0.1, 10, what="a scale"
    )
    if len(checker.problems) > before:
        return None
    return RoutineItem(
        ItemKind(kind),
        ref=ref,
        sets=int(sets) if sets is not None else None,
        rest=float(rest) if rest is not None else None,
        seconds_scale=float(scale) if scale is not None else 1.0,
        where=checker.location(value_node),
    )


def _looks_like_entry(root: Any) -> bool:
    """A mapping with at least one key that is (or is close to) a drill or routine field."""
    import difflib

    import yaml

    if not isinstance(root, yaml.MappingNode):
        return False
    known = set(DRILL_FIELDS) | set(ROUTINE_FIELDS)
    for key, _ in root.value:
        name = getattr(key, "value", None)
        if isinstance(name, str) and (
            name in known or difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        ):
            return True
    return False


def load_text(
    text: str,
    path: str,
    stem: str | None = None,
    source: str | None = None,
    linked: bool = False,
) -> Entry:
    """Parse one file's text into a Drill or Routine; raise DrillFileError with every problem.

    ``path`` is how the file is named in messages, ``stem`` the id the file name implies.
    ``linked``: the name is a symlink; if what it points at is no drill at all (``x.yaml``
    linked to ``/etc/passwd``), nothing of its content is quoted in the problem.
    """
    import yaml

    root, structure = compose_checked(text, path, "`pose-coach docs drill-format`")
    if linked and not _looks_like_entry(root):
        message = (
            "not a drill or routine: the symlink points at a file of another kind "
            "(nothing of it is shown); see `pose-coach docs drill-format`"
        )
        _fail(path, [Problem(path, None, None, "", message)])
    checker = FieldChecker(path, structure.skip)
    checker.problems += [_located(path, p) for p in structure.problems]
    is_routine = isinstance(root, yaml.MappingNode) and any(
        getattr(k, "value", None) == "items" for k, _ in root.value
    )
    allowed = ROUTINE_FIELDS if is_routine else DRILL_FIELDS
    fields = checker.mapping(root, "", allowed, "fields (title, phase, summary, steps, ...)")
    entry = None
    if fields is not None:
        build = _build_routine if is_routine else _build_drill
        entry = build(checker, root, fields, stem, source or path)
    errors = [p for p in checker.problems if not p.warning]
    if errors or entry is None:
        _fail(path, errors or [Problem(path, None, None, "", "invalid file")])
    return entry


def _located(path: str, found: YamlProblem) -> Problem:
    return Problem(path, found.line, found.column, "", found.message)


def _fail(path: str, problems: list[Problem]) -> NoReturn:
    """Raise every problem in file order, capped at MAX_PROBLEMS with a count of the rest."""
    problems = sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
    if len(problems) > MAX_PROBLEMS:
        rest = len(problems) - MAX_PROBLEMS
        problems = problems[:MAX_PROBLEMS] + [
            Problem(path, None, None, "", f"{rest} more problems not shown")
        ]
    raise DrillFileError(problems)


def compose_checked(text: str, path: str, docs: str) -> tuple[Any, Structure]:
    """The root node of a data file's text and what ``check_structure`` found; raises
    DrillFileError for raw control characters, invalid YAML or an empty file (``docs``
    names the page that describes the format). Plan files are read through this too."""
    raw = check_text(text)
    if raw:  # the YAML reader would stop at the first one, unlocated
        _fail(path, [_located(path, p) for p in raw])
    try:
        root = compose(text)
        structure = check_structure(root, text)
    except YamlProblem as exc:
        _fail(path, [_located(path, exc)])
    if root is None:
        _fail(path, [Problem(path, 1, 1, "", f"the file is empty; see {docs}")])
    return root, structure


def fail(path: str, problems: list[Problem]) -> NoReturn:
    """Raise DrillFileError with every problem in file order (capped at MAX_PROBLEMS)."""
    _fail(path, problems)


def load_file(path: Path, source: str | None = None) -> Entry:
    """Load a drill or routine file. ``source`` is 'builtin' or defaults to the path."""
    shown, text = read_text_file(path)
    linked = os.path.islink(path)
    return load_text(text, shown, stem=path.stem, source=source or str(path), linked=linked)


def read_text_file(path: Path) -> tuple[str, str]:
    """(the path as messages show it, the file's text): a regular file of at most 1 MiB
    of UTF-8, read once; anything else raises DrillFileError naming the file."""
    shown = display_path(path)
    try:
        # a regular file only (a FIFO would block, /dev/zero never end), read to a limit
        data = read_bytes(path, MAX_BYTES)
    except FileTooLarge as big:
        message = f"file is {big.size} bytes; the limit is {MAX_BYTES} (1 MiB)"
        _fail(shown, [Problem(shown, None, None, "", message)])
    except FileRefused:
        what = "a folder" if path.is_dir() else "not a regular file"
        _fail(shown, [Problem(shown, None, None, "", f"cannot read: {what}")])
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        _fail(shown, [Problem(shown, None, None, "", f"cannot read: {reason}")])
    try:
        text = decode(data)
    except YamlProblem as exc:
        _fail(shown, [_located(shown, exc)])
    return shown, text
