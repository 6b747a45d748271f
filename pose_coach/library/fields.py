"""Read typed values from composed YAML nodes, collecting problems located by line.

Every value is read from the node's raw text (never from PyYAML's constructed objects), so
``no``, ``1:30`` and friends mean the same here as they look in the file.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from pose_coach.errors import Problem, printable  # printable: also imported from here
from pose_coach.library.model import Location
from pose_coach.library.yamlnodes import character_name

# C0, DEL, C1, bidirectional embeddings/overrides/isolates, line/paragraph separators;
# multiline text may hold line feeds (U+000A), nothing else from this set.
_OTHER_CONTROLS = "\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff"
_CONTROL = re.compile(f"[\x00-\x0a{_OTHER_CONTROLS}]")
_CONTROL_EXCEPT_NEWLINE = re.compile(f"[\x00-\x09{_OTHER_CONTROLS}]")
_BOOL_WORDS = {
    "true": True,
    "yes": True,
    "on": True,
    "false": False,
    "no": False,
    "off": False,
}
# Plain scalars YAML reads as something other than text: a title of ``5``, a cue of ``yes``
# or a summary of ``2024-05-01`` is refused, not turned into "5", "True" or a date.
_NOT_TEXT = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:timestamp": "a date",
}
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2}(?:\.\d+)?)$")


def _describe(node: Any) -> str:
    import yaml

    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return repr(value)


def _control_message(char: str) -> str:
    if char in "\n\r":
        return "contains a line break; keep it on one line"
    if char == "\t":
        return "contains a tab (U+0009); use spaces"
    return f"contains a control character ({character_name(char)}); remove it"


class FieldChecker:
    """Reads fields from composed nodes, collecting located problems.

    Nodes listed in ``skip`` were already refused by ``check_structure`` (a tag, an
    alias, too deep): they count as present but are not checked or reported again.
    Every reader takes ``None`` for an absent field and returns None (or nothing) for it,
    so optional fields need no guard and a missing required one is reported only once.
    """

    def __init__(self, path: str, skip: set[int] | None = None) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.skip = skip or set()
        # (mapping node id, field) pairs already covered by a "did you mean" suggestion
        self.suggested: set[tuple[int, str]] = set()
        self.incomplete: set[int] = set()  # mappings with a refused key

    def add(self, node: Any, field: str, message: str, warning: bool = False) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        column = node.start_mark.column + 1 if node is not None else None
        self.problems.append(Problem(self.path, line, column, printable(field), message, warning))

    def skipped(self, node: Any) -> bool:
        """Nothing to read here: the field is absent, or its node was already refused."""
        return node is None or id(node) in self.skip

    def location(self, node: Any) -> Location:
        return Location(self.path, node.start_mark.line + 1, node.start_mark.column + 1)

    # -- containers ---------------------------------------------------------

    def mapping(
        self, node: Any, field: str, allowed: tuple[str, ...], what: str = "fields"
    ) -> dict[str, tuple[Any, Any]] | None:
        """key → (key node, value node), None when not a mapping; unknown keys suggested."""
        import yaml

        if self.skipped(node):
            return None
        if not isinstance(node, yaml.MappingNode):
            self.add(node, field, f"expected a mapping of {what}, got {_describe(node)}")
            return None
        fields: dict[str, tuple[Any, Any]] = {}
        listed = False  # name the allowed fields once per mapping, not per unknown key
        for key, value in node.value:
            if self.skipped(key) or not isinstance(key, yaml.ScalarNode):
                # a merge key or a non-scalar key, already reported; it may have been
                # meant to supply required fields, so do not call them missing too
                self.incomplete.add(id(node))
                continue
            name = key.value
            if name not in allowed:
                shown = f"{field}.{name}" if field else name
                hint = difflib.get_close_matches(name, allowed, n=1)
                tip = ""
                if hint:
                    self.suggested.add((id(node), hint[0]))
                    tip = f"; did you mean {hint[0]!r}?"
                elif not listed:
                    tip = f"; allowed: {', '.join(allowed)}"
                    listed = True
                self.add(key, shown, f"unknown field {name!r}{tip}")
                continue
            fields[name] = (key, value)
        return fields

    def sequence(self, node: Any, field: str, what: str = "a list") -> list[Any] | None:
        """The items of a list node, or None (reported) when it is something else."""
        import yaml

        if self.skipped(node):
            return None
        if not isinstance(node, yaml.SequenceNode):
            self.add(node, field, f"expected {what}, got {_describe(node)}")
            return None
        return list(node.value)

    # -- scalars ------------------------------------------------------------

    def scalar(self, node: Any, field: str, expected: str) -> str | None:
        import yaml

        if self.skipped(node):
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            self.add(node, field, f"expected {expected}, got {_describe(node)}")
            return None
        return node.value

    def text(self, node: Any, field: str, *, max_len: int, multiline: bool = False) -> str | None:
        value = self.scalar(node, field, "text")
        if value is None:
            return None
        other = _NOT_TEXT.get(node.tag)
        if other is not None:  # written without quotes, YAML reads it as a value, not text
            shown = value if len(value) <= 40 else value[:37] + "..."
            self.add(
                node,
                field,
                f"expected text, got {other} ({shown}); "
                f'put it in quotes to mean the text: "{shown}"',
            )
            return None
        # Only spaces and line breaks are trimmed before the check (a block scalar ends
        # in one): str.strip() would also eat NEL and other controls without a word.
        value = value.strip(" \n")
        bad = (_CONTROL_EXCEPT_NEWLINE if multiline else _CONTROL).search(value)
        if bad:
            self.add(node, field, _control_message(bad.group()))
            return None
        value = value.strip()
        if not value:
            self.add(node, field, "expected text, got an empty value")
            return None
        if len(value) > max_len:
            self.add(node, field, f"too long: {len(value)} characters; the limit is {max_len}")
            return None
        return value

    def text_list(
        self, node: Any, field: str, *, max_len: int, multiline: bool = False
    ) -> tuple[str, ...]:
        import yaml

        if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
            one = self.text(node, field, max_len=max_len, multiline=multiline)
            return (one,) if one else ()
        items = self.sequence(node, field, "text or a list of text") or []
        out = []
        for i, item in enumerate(items):
            value = self.text(item, f"{field}[{i}]", max_len=max_len, multiline=multiline)
            if value is not None:
                out.append(value)
        return tuple(out)

    def number(
        self,
        node: Any,
        field: str,
        low: float,
        high: float,
        *,
        what: str,
        integer: bool = False,
        clock: bool = False,
    ) -> float | None:
        expected = f"{what} between {_fmt(low)} and {_fmt(high)}"
        if integer:
            expected += " (a whole number)"
        raw = self.scalar(node, field, expected)
        if raw is None:
            return None
        value = _parse_number(raw.strip(), clock=clock)
        if value is None or (integer and value != int(value)):
            tip = "; write times as m:ss, e.g. 1:30" if clock and ":" in raw else ""
            self.add(node, field, f"expected {expected}, got {_describe(node)}{tip}")
            return None
        if not low <= value <= high:
            # show a clock time as written, with what it means
            got = f"{raw.strip()} ({_fmt(value)} s)" if ":" in raw else _fmt(value)
            expected = f"{what} between {_fmt(low)} and {_fmt(high)}"
            self.add(node, field, f"expected {expected}, got {got}")
            return None
        return int(value) if integer else value

    def boolean(self, node: Any, field: str) -> bool | None:
        raw = self.scalar(node, field, "true or false")
        if raw is None:
            return None
        value = _BOOL_WORDS.get(raw.strip().lower())
        if value is None:
            self.add(node, field, f"expected true or false, got {_describe(node)}")
        return value

    def choice(self, node: Any, field: str, choices: tuple[str, ...]) -> str | None:
        expected = repr(choices[0]) if len(choices) == 1 else "one of " + ", ".join(choices)
        raw = self.scalar(node, field, expected)
        if raw is None:
            return None
        if raw not in choices:
            hint = difflib.get_close_matches(raw, choices, n=1)
            tip = f"; did you mean {hint[0]!r}?" if hint and len(choices) > 1 else ""
            self.add(node, field, f"expected {expected}, got {_describe(node)}{tip}")
            return None
        return raw


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _parse_number(raw: str, *, clock: bool) -> float | None:
    """A finite decimal number; with ``clock``, also ``m:ss`` and ``h:mm:ss``."""
    if clock:
        match = _CLOCK.fullmatch(raw)
        if match:
            hours, minutes, seconds = match.groups()
            if float(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
                return None
            return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", raw.replace("_", "")):
        return None
    value = float(raw.replace("_", ""))
    return value if math.isfinite(value) else None
