"""Words users read, written once: clock times, plurals, doses, open-ended steps.

Every screen, sheet, calendar and message takes these from here, so the same thing is
never said two ways.
"""

from __future__ import annotations

import math

# An open-ended step (``until: key``) as prose: ``show``, cue sheets, calendars.
OPEN_STEP = "until ready"
# ...and as the tag of its plain event line (a public format: docs/events.md).
OPEN_STEP_TAG = "[until key]"


def clock(seconds: float) -> str:
    """``m:ss`` (or ``h:mm:ss``) for a number of seconds, rounded down."""
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def clock_up(seconds: float) -> str:
    """``h:mm:ss``, rounded up: how long a session lasts, in a limit message."""
    whole = int(math.ceil(seconds))
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def hours(seconds: float) -> str:
    """``4:16 hours``, minutes rounded up: a length far beyond a session's."""
    whole_hours, minutes = divmod(math.ceil(seconds / 60), 60)
    return f"{whole_hours}:{minutes:02d} hours"


def stopwatch(seconds: float) -> str:
    """``mm:ss``, zero-padded, rounded down: when an event fires, in its plain line."""
    whole = int(seconds)
    return f"{whole // 60:02d}:{whole % 60:02d}"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 set``, ``2 sets``; ``many`` for nouns that are not made plural with an s."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def dose(sets: int, set_seconds: float, rest: float, total: float) -> str:
    """``3 sets × 0:40, 0:20 rest between sets — 2:40 in all``: how a drill is dosed."""
    text = f"{plural(sets, 'set')} × {clock(set_seconds)}"
    if sets > 1 and rest:
        text += f", {clock(rest)} rest between sets"
    return text + f" — {clock(total)} in all"


def dose_short(sets: int, set_seconds: float, rest: float) -> str:
    """``3 × 0:40, rest 0:20``: a drill's dose in a routine's list of items."""
    text = f"{sets} × {clock(set_seconds)}"
    return text + f", rest {clock(rest)}" if sets > 1 and rest else text


# A step's ``side`` (always the standing leg) as the note printed after its cue.
SIDES = {
    "both": "each leg",
    "alternate": "legs alternate by set",
    "left": "on the left foot",
    "right": "on the right foot",
}

# A drill's ``evidence`` flag, as ``show`` and the cue sheet print it.
EVIDENCE = {
    "single-source": "single source: only one source describes these steps",
    "contested": "contested: the sources disagree on how it is done",
}


def step_cadence(spm: int | None, change: float | None) -> str | None:
    """``180 steps/min``, or ``+5% of your cadence = 189 steps/min`` for a step written as
    a change (``spm`` already counted from the runner's cadence); None without one."""
    if spm is None:
        return None
    if change is not None:
        sign = "-" if change < 0 else "+"
        return f"{sign}{abs(change):g}% of your cadence = {spm} steps/min"
    return f"{spm} steps/min"
