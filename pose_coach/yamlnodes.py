"""Parse YAML safely into composed nodes (with line numbers), never into Python objects.

We read every value from the node's raw text ourselves, so YAML 1.1 surprises
(``no`` → False, ``1:30`` → 90 while ``0:20`` stays text) cannot reach the model, and
duplicate keys, tags and aliases can be refused with their location.
"""

from __future__ import annotations

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


class YamlProblem(Exception):
    """A problem found before any field could be checked: (line, column, message)."""

    def __init__(self, line: int | None, column: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.column = column
        self.message = message


def _loader_class() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def decode(data: bytes) -> str:
    """UTF-8 text of a file, or a located YamlProblem."""
    if len(data) > MAX_BYTES:
        raise YamlProblem(
            None, None, f"file is {len(data)} bytes; the limit is {MAX_BYTES} (1 MiB)"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise YamlProblem(line, column, "file is not valid UTF-8; save it as UTF-8") from None
    return text.removeprefix("\ufeff")


def compose(text: str) -> Any:
    """The root node of a single-document YAML text (None for an empty file)."""
    import yaml

    loader = _loader_class()(text)
    try:
        return loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in str(exc):
            problem = "more than one YAML document; put one drill per file"
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise YamlProblem(line, column, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # ReaderError: a character YAML does not allow
        raise YamlProblem(None, None, f"invalid YAML: {_one_line(str(exc))}") from None
    except RecursionError:
        raise YamlProblem(None, None, f"nesting deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def check_structure(root: Any) -> list[YamlProblem]:
    """Refuse tags other than plain scalar/list/map, aliases, duplicate keys, deep nesting."""
    import yaml

    problems: list[YamlProblem] = []
    seen: set[int] = set()
    stack: list[tuple[Any, int]] = [(root, 1)] if root is not None else []
    while stack:
        node, depth = stack.pop()
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        if id(node) in seen:
            problems.append(
                YamlProblem(line, column, "YAML aliases are not allowed; write the value out")
            )
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            problems.append(YamlProblem(line, column, f"nesting deeper than {MAX_DEPTH} levels"))
            continue
        if node.tag not in _PLAIN_TAGS:
            problems.append(
                YamlProblem(line, column, f"YAML tag {node.tag!r} is not allowed; use plain values")
            )
            continue
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, Any] = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode):
                    problems.append(
                        YamlProblem(
                            key.start_mark.line + 1,
                            key.start_mark.column + 1,
                            "keys must be plain words",
                        )
                    )
                    continue
                if key.value in keys:
                    first = keys[key.value].start_mark.line + 1
                    problems.append(
                        YamlProblem(
                            key.start_mark.line + 1,
                            key.start_mark.column + 1,
                            f"duplicate key {key.value!r} (first given on line {first})",
                        )
                    )
                keys[key.value] = key
                if key.tag == "tag:yaml.org,2002:merge" or key.value == "<<":
                    problems.append(
                        YamlProblem(
                            key.start_mark.line + 1,
                            key.start_mark.column + 1,
                            "YAML merge keys are not allowed; write the fields out",
                        )
                    )
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems
