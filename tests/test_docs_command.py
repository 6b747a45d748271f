"""``pose-coach docs``: every document a message points to can be read where it is installed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import click

from pose_coach.cli import cli as root
from pose_coach.commands.docs import topics

REPO = Path(__file__).resolve().parents[1]
MENTION = re.compile(r"pose-coach docs (?!pose-coach)([a-z][a-z0-9-]*)")


def test_the_list_names_every_document_and_readme_section(cli):
    result = cli("docs")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Documents (pose-coach docs TOPIC):\n")
    assert "  log           The practice log: `log`, `stats`, `log export`, `log import`\n" in (
        result.stdout
    )
    for path in (REPO / "docs").glob("*.md"):
        assert f"  {path.stem} " in result.stdout
    assert "practice-log" in result.stdout and "set-up" in result.stdout


def test_a_document_prints_as_written(cli):
    result = cli("docs", "log")
    assert result.exit_code == 0
    assert result.stdout == (REPO / "docs" / "log.md").read_text(encoding="utf-8")
    assert cli("docs", "log.md").stdout == result.stdout


def test_a_readme_section_prints_up_to_the_next_section(cli):
    result = cli("docs", "practice-log")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "## Practice log"
    assert not any(line.startswith("## ") for line in lines[1:])
    readme = cli("docs", "readme").stdout
    assert readme == (REPO / "README.md").read_text(encoding="utf-8")
    assert result.stdout.rstrip("\n") in readme


def test_an_unknown_topic_suggests_the_closest(cli):
    result = cli("docs", "lgo")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "pose-coach: error: no documentation topic 'lgo'; did you mean 'log'?\n"
        "  hint: `pose-coach docs` lists every topic\n"
    )


def _user_strings() -> list[tuple[str, str]]:
    """(where, text) of every string a user can read: messages, help (command
    docstrings), templates; not module, class or helper docstrings."""
    out = []
    for path in sorted((REPO / "pose_coach").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = set()
        for node in ast.walk(tree):
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body
                first = body[0] if body else None
                if (
                    isinstance(first, ast.Expr)
                    and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)
                ):
                    decorators = [ast.unparse(d) for d in getattr(node, "decorator_list", [])]
                    if not any("command" in d or "group" in d for d in decorators):
                        skip.add(id(first.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in skip:
                    out.append((f"{path.relative_to(REPO)}:{node.lineno}", node.value))
    return out


def test_no_message_names_a_path_the_user_does_not_have():
    found = [
        (where, text[:80])
        for where, text in _user_strings()
        if re.search(r"\bdocs/[a-z-]+\.md\b", text)
    ]
    assert found == []


def test_every_topic_a_message_names_exists():
    known = topics()
    texts = [text for _, text in _user_strings()]
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "drills").rglob("*.yaml")]
    named = {name for text in texts for name in MENTION.findall(text)}
    assert {"log", "drill-format", "plans", "config"} <= named
    assert named - set(known) == set()


def test_help_names_topics_that_exist(cli):
    known = topics()

    def walk(group: click.Group, path: tuple[str, ...]):
        for name, command in group.commands.items():
            yield (*path, name)
            if isinstance(command, click.Group):
                yield from walk(command, (*path, name))

    for path in [(), *walk(root, ())]:
        text = cli(*path, "--help").stdout
        assert not re.search(r"\bdocs/[a-z-]+\.md\b", text), path
        assert set(MENTION.findall(" ".join(text.split()))) <= set(known), path


def test_json_lists_topics_and_carries_a_document(cli):
    import json

    listed = json.loads(cli("docs", "--json").stdout)
    assert {"name": "log", "title": topics()["log"].title, "readme_section": None} in listed
    assert {
        "name": "practice-log",
        "title": "README: Practice log",
        "readme_section": "Practice log",
    } in listed
    one = json.loads(cli("docs", "plans", "--json").stdout)
    assert one["text"] == (REPO / "docs" / "plans.md").read_text(encoding="utf-8")
