"""``docs``: the documentation, readable wherever pose-coach is installed.

Every message, help text and template that points to documentation names a topic of this
command (``pose-coach docs log``), never a path: an installed package has no ``docs/``
folder where the user is. Topics are the files of ``docs/`` (by name: ``drill-format``)
and the sections of the README (by their heading, in lower case with hyphens:
``practice-log``); ``readme`` is the whole README.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from pose_coach.commands.common import json_option
from pose_coach.errors import PoseCoachError, UsageError, printable


@dataclass(frozen=True)
class Topic:
    name: str
    title: str  # the document's first heading, or the README section's
    path: Path
    section: str | None = None  # a README heading: the text from it to the next of its level


def _slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def _title(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem


def topics() -> dict[str, Topic]:
    """Every topic by name: docs/*.md, then ``readme`` and each README section."""
    from pose_coach.paths import docs_dir, readme_file

    found: dict[str, Topic] = {}
    folder = docs_dir()
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else ():
        if path.name != "README.md":
            found[path.stem] = Topic(path.stem, _title(path), path)
    readme = readme_file()
    if readme.is_file():
        found["readme"] = Topic("readme", "The README: set-up and every command in brief", readme)
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("## "):
                heading = line[3:].strip()
                name = _slug(heading)
                found.setdefault(name, Topic(name, f"README: {heading}", readme, heading))
    return found


def topic_text(topic: Topic) -> str:
    text = topic.path.read_text(encoding="utf-8")
    if topic.section is None:
        return text
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"## {topic.section}")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return "".join(lines[start:end]).rstrip("\n") + "\n"


def topic_list(known: dict[str, Topic]) -> str:
    """The topics: each document with its title, then the README's sections by name."""
    import textwrap

    files = [t for t in known.values() if t.path.name != "README.md"]
    sections = [t.name for t in known.values() if t.section is not None]
    width = max((len(t.name) for t in files), default=0)
    out = ["Documents (pose-coach docs TOPIC):"]
    out += [f"  {t.name:<{width}}  {printable(t.title)}" for t in files]
    if "readme" in known:
        out.append("The README (pose-coach docs readme), or one of its sections:")
        out += textwrap.wrap(
            ", ".join(sections),
            78,
            initial_indent="  ",
            subsequent_indent="  ",
            break_on_hyphens=False,
        )
    return "".join(line + "\n" for line in out)


def _topic_dict(topic: Topic) -> dict[str, str | None]:
    """A topic for ``--json``: its name, title and README heading (null for a file)."""
    return {"name": topic.name, "title": topic.title, "readme_section": topic.section}


def _unknown(name: str, known: dict[str, Topic]) -> UsageError:
    import difflib

    close = difflib.get_close_matches(name, list(known), n=1)
    tip = f"; did you mean {close[0]!r}?" if close else ""
    return UsageError(
        f"no documentation topic {name!r}{tip}", hint="`pose-coach docs` lists every topic"
    )


@click.command("docs")
@click.argument("topic", required=False, metavar="[TOPIC]")
@json_option
def docs(topic: str | None, as_json: bool) -> None:
    """Read the documentation: a topic (log, plans, ...) or the list of them.

    The documents every message and help text points to, as shipped with this
    version: the docs folder's files and the README's sections, as Markdown.

    \b
    Example:
      pose-coach docs
      pose-coach docs log
      pose-coach docs drill-format | less
      pose-coach docs --json | jq -r '.[].name'
    """
    known = topics()
    if not known:
        raise PoseCoachError("no documentation was installed with pose-coach")
    if topic is None:
        if as_json:
            from pose_coach.output import print_json

            print_json([_topic_dict(t) for t in known.values()])
            return
        sys.stdout.write(topic_list(known))
        return
    chosen = known.get(topic.strip().lower().removesuffix(".md"))
    if chosen is None:
        raise _unknown(topic, known)
    if as_json:
        from pose_coach.output import print_json

        print_json(_topic_dict(chosen) | {"text": topic_text(chosen)})
        return
    sys.stdout.write(topic_text(chosen))
    sys.stdout.flush()
