"""The import rules of docs/architecture.md, checked on every module of the package.

Each module belongs to a room (a package such as ``library``, or a top-level module such
as ``timeline``); a room may import only the rooms listed for it here. A new room, or a
new dependency, is a change to docs/architecture.md first and to this table second.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pose_coach"

BASE = {
    "pose_coach",
    "errors",
    "paths",
    "words",
    "terminal",
    "atomic",
    "output_target",
    "progress",
    "signals",
    "files",
    "numbers",
}

# room -> the rooms it may import (besides itself)
ALLOWED: dict[str, set[str] | None] = {
    "pose_coach": set(),  # __init__: the version only
    "errors": {"pose_coach"},
    "paths": {"pose_coach", "errors"},
    "words": set(),
    "terminal": set(),
    "signals": set(),
    "files": set(),
    "numbers": set(),
    "atomic": {"errors", "signals", "files"},
    "output_target": {"atomic", "errors", "terminal"},
    "progress": {"terminal"},
    "library": BASE,
    "config": BASE | {"library"},
    "timeline": {"library", "words", "errors"},
    "cadence": BASE | {"library", "config", "log"},
    "events": {"timeline", "words"},
    "play": BASE | {"timeline"},
    "audio": BASE | {"config", "timeline"},
    "sinks": BASE | {"play", "audio", "events", "timeline"},
    "log": BASE | {"library", "play", "timeline"},
    "render": BASE | {"library", "timeline", "events", "audio", "render.sheet"},
    "render.figures": BASE | {"library"},
    "render.sheet": BASE | {"library", "timeline", "render.figures"},
    "render.export": BASE | {"library", "timeline", "events", "render.sheet"},
    "describe": BASE | {"library", "timeline"},
    "output": BASE | {"library", "timeline", "events", "describe"},
    "session": BASE | {"library", "config", "timeline", "play", "audio", "sinks", "log", "output"},
    # watch files (pose-coach run): an input package; drills from the library's fault index,
    # runs kept in the log, prescribed drills embedded as cue-sheet cards
    "activity": BASE | {"library", "log", "render.sheet"},
    # an input package: plan files, the rules, today's session; meets the rest in the log
    "plan": BASE
    | {
        "library",
        "log",
        "cadence",
        "timeline",
        "events",
        "render",
        "render.sheet",
        "render.export",
    },
    # a side-view clip (pose-coach form): an input package; drills from the library's fault
    # index, analyses kept in the log, frames and skeletons drawn with render/
    "video": BASE | {"library", "log", "render", "render.sheet", "render.figures"},
    # the edge: parses options, calls one core function, renders
    "commands": None,  # anything but cli
    "cli": None,
    "__main__": {"cli"},
}
PACKAGES = {
    "library",
    "play",
    "sinks",
    "audio",
    "render",
    "log",
    "commands",
    "activity",
    "plan",
    "video",
}


def room_of(module: str) -> str:
    """``pose_coach.render.sheet.pdf`` → ``render.sheet``; ``pose_coach.words`` → ``words``."""
    parts = module.split(".")[1:]
    if not parts:
        return "pose_coach"
    if parts[0] == "render" and len(parts) > 1 and parts[1] in ("sheet", "export", "figures"):
        return f"render.{parts[1]}"
    return parts[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name: str) -> bool:
    return (PACKAGE / f"{name}.py").exists() or (PACKAGE / name / "__init__.py").exists()


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every pose_coach import in the file, inside functions too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "pose_coach":  # from pose_coach import words, __version__
                found += [
                    (node.lineno, f"pose_coach.{a.name}" if _is_module(a.name) else "pose_coach")
                    for a in node.names
                ]
            elif node.module.startswith("pose_coach."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("pose_coach")]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_is_in_a_known_room():
    rooms = {room_of(module_name(p)) for p in MODULES}
    unknown = rooms - set(ALLOWED)
    assert not unknown, f"new rooms need a line in docs/architecture.md and ALLOWED: {unknown}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_follow_the_rules(path: Path):
    room = room_of(module_name(path))
    allowed = ALLOWED.get(room)
    for line, module in imports_of(path):
        target = room_of(module)
        if target == room:
            continue
        if allowed is None:  # the edge may import every room but the other edge
            assert room == "cli" or target != "cli", f"{path.name}:{line} imports {module}"
            continue
        assert target in allowed, (
            f"{path.relative_to(PACKAGE)}:{line}: {room} may not import {module} ({target})"
        )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_click_stays_at_the_edge(path: Path):
    """The core never parses options or exits: only cli.py and commands/ import click."""
    room = room_of(module_name(path))
    if room in ("cli", "commands"):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        assert not any(n == "click" or n.startswith("click.") for n in names), (
            f"{path.relative_to(PACKAGE)}:{node.lineno} imports click"
        )


def test_the_table_names_every_package():
    on_disk = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    assert on_disk - {"render"} <= set(ALLOWED), on_disk
    assert PACKAGES <= on_disk
