"""The one number type of options and settings: finite, within a stated range.

``--speed``, ``--lead-in``, ``--rest`` and every other number a user types, and the same
settings in the config file or a ``POSE_COACH_*`` variable, are read by
:meth:`NumberRange.parse`. ``nan`` compares false with every bound, so a range check of
the ``low <= x <= high`` kind lets it through (``--speed nan`` crashed, ``--lead-in nan``
removed the countdown); here a value that is not finite is refused first, and the
message always says what is expected: ``expected a number between 0 and 60, got 'nan'``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


def format_number(value: float | None) -> str:
    """``60`` for 60.0, ``0.1`` as written; ``?`` for no value."""
    if value is None:
        return "?"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return str(int(value)) if value == int(value) else str(value)


@dataclass(frozen=True)
class NumberRange:
    """Whole or decimal numbers from ``low`` to ``high``, bounds included."""

    kind: str  # 'int' or 'float'
    low: float
    high: float
    noun: str | None = None  # 'a speed': "expected a speed between 0.1 and 1000"

    def expected(self) -> str:
        what = self.noun or ("a whole number" if self.kind == "int" else "a number")
        return f"{what} between {format_number(self.low)} and {format_number(self.high)}"

    def describe(self) -> str:
        """The range for help texts: ``0 to 60``."""
        return f"{format_number(self.low)} to {format_number(self.high)}"

    def parse(self, raw: object, *, strict: bool = False) -> int | float:
        """The number in ``raw`` (text, or a number already read); ValueError saying what
        is expected otherwise. ``strict``: a whole number must be written as one (``2``,
        not ``2.0``), as on the command line."""
        if isinstance(raw, bool):
            raise ValueError(f"expected {self.expected()}, got {raw!r}")
        if isinstance(raw, (int, float)):
            value: float = raw
            shown = format_number(raw)
        else:
            text = str(raw).strip()
            shown = repr(str(raw))
            try:
                value = int(text) if strict and self.kind == "int" else float(text)
            except (ValueError, OverflowError):
                raise ValueError(f"expected {self.expected()}, got {shown}") from None
        if not math.isfinite(value) or (self.kind == "int" and value != int(value)):
            raise ValueError(f"expected {self.expected()}, got {shown}")
        if not self.low <= value <= self.high:
            raise ValueError(f"expected {self.expected()}, got {format_number(value)}")
        return int(value) if self.kind == "int" else float(value)


def finite(data: object) -> object:
    """``data`` for JSON: every float that is not finite (NaN, Infinity) becomes None.

    JSON has no NaN or Infinity (``json.dumps`` would write them anyway, and most readers
    then fail), so a value that cannot be a number is written as ``null``.
    """
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: finite(value) for key, value in data.items()}
    if isinstance(data, (list, tuple)):
        return [finite(value) for value in data]
    return data
