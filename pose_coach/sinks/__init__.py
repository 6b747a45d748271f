"""Sinks take a session's events as they fire. ``choose_format`` is the one place that
looks at isatty, NO_COLOR and the format options."""

from __future__ import annotations

import os
from typing import TextIO


def choose_format(stream: TextIO, *, plain: bool = False, json: bool = False) -> str:
    """'json' or 'plain' when asked; 'live' only on a terminal; 'plain' on a pipe."""
    if json:
        return "json"
    if plain:
        return "plain"
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty() and os.environ.get("TERM") != "dumb":
        return "live"
    return "plain"


def use_color() -> bool:
    """Colour is allowed unless NO_COLOR is set to anything (https://no-color.org)."""
    return "NO_COLOR" not in os.environ
