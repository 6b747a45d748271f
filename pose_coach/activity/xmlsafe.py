"""Streaming XML for TCX and GPX with the standard library's expat, hardened.

Activity files never need a DTD, so any DOCTYPE is refused as soon as the parser meets it:
no entity can be declared, hence none expanded (the "billion laughs" bomb) and none fetched
from outside (external entities). Parameter entities are off as well. Elements are handed
over by local name (``ns3:TPX`` → ``TPX``), which is all TCX and GPX readers need.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone

from pose_coach.activity.errors import ActivityFileError


class _Refused(Exception):
    pass


def _local(name: str) -> str:
    return name.rpartition(":")[2]


class _Root(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def xml_root(data: bytes, shown: str) -> str:
    """The local name of the document's first element, read with the same refusals as
    ``parse_xml`` (so a DOCTYPE bomb is refused before anything else is looked at)."""

    def stop(name: str, attributes: dict[str, str]) -> None:
        raise _Root(name)

    try:
        parse_xml(data, shown, stop, lambda name, text: None)
    except _Root as root:
        return root.name
    return ""


def parse_xml(
    data: bytes,
    shown: str,
    start: Callable[[str, dict[str, str]], None],
    end: Callable[[str, str], None],
) -> None:
    """Call ``start(name, attributes)`` and ``end(name, text)`` for each element.

    ``text`` is the element's own character data, stripped (empty for containers).
    """
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_doctype(*_: object) -> None:
        raise _Refused("declares a DOCTYPE")

    def refuse_entity(*_: object) -> None:
        raise _Refused("declares an entity")

    def refuse_external(*_: object) -> int:
        raise _Refused("refers to an external entity")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    texts: list[list[str]] = []

    def on_start(name: str, attributes: dict[str, str]) -> None:
        texts.append([])
        start(_local(name), attributes)  # may raise _Root, which passes through

    def on_end(name: str) -> None:
        end(_local(name), "".join(texts.pop()).strip())

    def on_text(text: str) -> None:
        if texts:
            texts[-1].append(text)

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.CharacterDataHandler = on_text
    parser.buffer_text = True
    # a byte-order mark or blank lines before the declaration: broken exports do this
    data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    try:
        parser.Parse(data, True)
    except _Refused as why:
        raise ActivityFileError(
            f"{shown}:{parser.CurrentLineNumber}: refused: the file {why} (an XML bomb can "
            "hide there, and no TCX or GPX file needs one)",
            hint="export the activity again from its app",
        ) from None
    except expat.ExpatError as exc:
        raise ActivityFileError(
            f"{shown}:{exc.lineno}:{exc.offset}: not well-formed XML "
            f"({expat.ErrorString(exc.code)})",
            hint="the file may be cut short; export it again",
        ) from None


def parse_time(text: str) -> float | None:
    """An ISO 8601 time (``Z``, an offset, any fraction of a second) → Unix seconds.

    A time without an offset is taken as UTC, as TCX and GPX define it.
    """
    text = text.strip()
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    dot = text.find(".")
    if dot != -1:  # Python 3.10 takes exactly 3 or 6 digits of fraction
        stop = dot + 1
        while stop < len(text) and text[stop].isdigit():
            stop += 1
        text = text[: dot + 1] + text[dot + 1 : stop].ljust(6, "0")[:6] + text[stop:]
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.timestamp()


def parse_number(text: str) -> float | None:
    """A finite number, or None (empty, not a number, NaN or infinite)."""
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None
