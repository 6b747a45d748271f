"""Parse YAML safely into composed nodes (with line numbers), never into Python objects.

We read every value from the node's raw text ourselves, so YAML 1.1 surprises
(``no`` → False, ``1:30`` → 90 while ``0:20`` stays text) cannot reach the model, and
duplicate keys, tags and aliases can be refused with their location.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 16

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # an implicit date is read back as its text
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

# Characters refused anywhere in the raw text: C0 controls other than tab/LF/CR, DEL, C1
# (YAML 1.1 silently reads NEL U+0085 and U+2028/U+2029 as line breaks, which would make
# our line numbers disagree with the user's editor), and stray byte-order marks.
_RAW_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

_CONTROL_NAMES = {
    0x00: "NUL",
    0x07: "BEL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
}


class YamlProblem(Exception):
    """A problem found before any field could be checked: (line, column, message)."""

    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def character_name(char: str) -> str:
    """``U+001B ESCAPE``: a character named safely, for messages about invisible text."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    return f"U+{code:04X}{' ' + name if name else ''}"


def _loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(data: bytes) -> str:
    """UTF-8 text of a file, or a located YamlProblem."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            None, None, f"file is {len(data)} bytes; the limit is {MAX_BYTES} (1 MiB)"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(0) * 4 >= len(data) > 0:
        # a BOM, or NUL bytes all over: UTF-16 (or binary), which YAML files never are here
        raise YamlProblem(1, 1, "file is UTF-16 or binary, not text; save it as UTF-8")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            line,
            column,
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02X}); save it as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")


def check_text(text: str, limit: int = 50) -> list[YamlProblem]:
    """Control characters written raw into the file, one problem per line they occur on."""
    problems: list[YamlProblem] = []
    last_line = 0
    for match in _RAW_FORBIDDEN.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        if line == last_line:
            continue
        last_line = line
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        problems.append(
            YamlProblem(
                line,
                column,
                f"control character {character_name(match.group())} in the file; remove it",
            )
        )
        if len(problems) >= limit:
            break
    return problems


def compose(text: str) -> Any:
    """The root node of a single-document YAML text (None for an empty file)."""
    import yaml

    try:
        loader = _loader_class()(text)
    except UnicodeEncodeError:  # a lone surrogate in text handed to us directly
        raise YamlProblem(None, None, "text is not valid Unicode") from None
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            problem = "more than one YAML document; put one drill per file"
        elif "maximum nesting depth" in problem:
            problem = f"nesting deeper than {MAX_DEPTH} levels"
        elif mark is not None and text[mark.index : mark.index + 1] == "\t":
            problem = "a tab in the indentation; indent with spaces"
        elif problem.startswith("mapping values are not allowed"):
            problem += "; check the indentation, or quote a value that holds ': '"
        elif exc.context and exc.context_mark and exc.problem_mark:
            # where the unfinished thing started is usually where the mistake is
            start = exc.context_mark
            problem += f" ({exc.context} from line {start.line + 1}, column {start.column + 1})"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlProblem(line, column, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        position = getattr(exc, "position", None)
        if isinstance(position, int) and 0 <= position <= len(text):
            line = text.count("\n", 0, position) + 1
            column = position - (text.rfind("\n", 0, position) + 1) + 1
            char = getattr(exc, "character", None)
            what = character_name(chr(char)) if isinstance(char, int) else "a character"
            raise YamlProblem(line, column, f"invalid YAML: {what} is not allowed") from None
        raise YamlProblem(None, None, f"invalid YAML: {_one_line(str(exc))}") from None
    except (RecursionError, MemoryError):
        message = f"invalid YAML: nesting deeper than {MAX_DEPTH} levels"
        raise YamlProblem(None, None, message) from None
    except UnicodeEncodeError:
        raise YamlProblem(None, None, "text is not valid Unicode") from None
    finally:
        loader.dispose()


def _one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Structure:
    """What ``check_structure`` found: problems, and nodes the field checks must skip."""

    problems: list[YamlProblem] = field(default_factory=list)
    skip: set[int] = field(default_factory=set)  # id() of refused or shared nodes


def _at(node: Any, message: str) -> YamlProblem:
    return YamlProblem(node.start_mark.line + 1, node.start_mark.column + 1, message)


def check_structure(root: Any, text: str = "") -> Structure:
    """Refuse tags other than plain scalar/list/map, aliases, duplicate keys, deep nesting.

    Refused nodes (and every node reached through an alias) are listed in ``skip`` so the
    field checks that follow neither report them twice nor walk a shared graph.
    """
    import yaml

    found = Structure()
    problems = found.problems
    seen: set[int] = set()
    aliased = False
    stack: list[tuple[Any, int]] = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            # the composer hands back the anchored node itself: an alias
            aliased = True
            found.skip.add(id(node))
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.append(_at(node, f"nesting deeper than {MAX_DEPTH} levels"))
            found.skip.add(id(node))
            continue
        if node.tag not in _PLAIN_TAGS:
            problems.append(
                _at(node, f"YAML tag {_short_tag(node.tag)!r} is not allowed; use plain values")
            )
            found.skip.add(id(node))
            continue
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, Any] = {}
            for key, value in node.value:
                if key.tag == "tag:yaml.org,2002:merge":
                    problems.append(_at(key, "YAML merge keys (<<) are not allowed"))
                    found.skip.add(id(key))
                    found.skip.add(id(value))
                    continue
                if not isinstance(key, yaml.ScalarNode) or key.tag not in _PLAIN_TAGS:
                    problems.append(_at(key, "keys must be plain words"))
                    found.skip.add(id(key))
                    continue
                if key.value in keys:
                    first = keys[key.value].start_mark.line + 1
                    problems.append(
                        _at(key, f"duplicate key {key.value!r} (first given on line {first})")
                    )
                keys[key.value] = key
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    if aliased:
        problems += _alias_problems(text)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return found


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _alias_problems(text: str) -> list[YamlProblem]:
    """Each alias (``*name``) located, one per line: the composed graph no longer shows them."""
    import yaml

    problems: list[YamlProblem] = []
    lines: set[int] = set()
    for event in yaml.parse(text, Loader=_loader_class()):
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) and mark is not None and mark.line not in lines:
            lines.add(mark.line)
            problems.append(
                _at(event, f"YAML aliases (*{event.anchor}) are not allowed; write the value out")
            )
    return problems
