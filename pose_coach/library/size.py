"""How long a drill or routine is once expanded, counted without expanding it.

Routines that include routines many times over grow exponentially (a "routine bomb" of
four small files would take hours to compile), and ``--sets 20 --rest 600`` multiplies
whatever a file says. So the size of what would be played is counted first: seconds and
cues, each routine counted once (memoised), iteratively (no recursion, however deep the
chain of includes), in time linear in the number of files. The same limits hold for the
library (a file over them is set aside) and for a session (options that would take it
over them are refused before anything is compiled).
"""

from __future__ import annotations

from collections.abc import Mapping

from pose_coach.library.model import Drill, Entry, ItemKind, Routine

MAX_SESSION_SECONDS = 4 * 3600  # sets, steps and rests, the lead-in not counted
MAX_SESSION_CUES = 20_000

Size = tuple[float, int]  # (seconds, cues)


def drill_size(
    drill: Drill, sets: int | None = None, rest: float | None = None, scale: float = 1.0
) -> Size:
    """(seconds, cues) of a drill at ``sets`` and ``rest`` (its own dose when None)."""
    count = sets if sets is not None else drill.sets
    seconds = drill.dose_seconds(count, rest, scale)
    return seconds, sum(step.legs for step in drill.steps) * count


def expanded_size(
    entry: Entry,
    entries: Mapping[str, Entry],
    sets: int | None = None,
    rest: float | None = None,
    memo: dict[str, Size] | None = None,
) -> Size:
    """(seconds, cues) of ``entry`` played with ``sets`` and ``rest`` overriding every
    drill's dose, as the timeline would compile it. Unknown references count as nothing
    and an include that closes a cycle is skipped (both are reported elsewhere).

    ``memo`` (routine id → size) may be shared between calls with the same overrides.
    """
    if isinstance(entry, Drill):
        return drill_size(entry, sets, rest)
    memo = {} if memo is None else memo
    if entry.id in memo:
        return memo[entry.id]
    # post-order walk: a routine's size is summed once every routine it includes is known
    stack: list[tuple[Routine, bool]] = [(entry, False)]
    on_path: set[str] = set()
    while stack:
        routine, expanded = stack.pop()
        if expanded:
            on_path.discard(routine.id)
            memo[routine.id] = _routine_size(routine, entries, sets, rest, memo)
            continue
        if routine.id in memo:
            continue
        on_path.add(routine.id)
        stack.append((routine, True))
        for item in routine.items:
            if item.kind is not ItemKind.ROUTINE:
                continue
            included = entries.get(item.target)
            if (
                isinstance(included, Routine)
                and included.id not in memo
                and included.id not in on_path
            ):
                stack.append((included, False))
    return memo[entry.id]


def _routine_size(
    routine: Routine,
    entries: Mapping[str, Entry],
    sets: int | None,
    rest: float | None,
    memo: dict[str, Size],
) -> Size:
    seconds, cues = 0.0, 0
    for item in routine.items:
        if item.kind is ItemKind.REST:
            seconds += item.seconds
            continue
        target = entries.get(item.target)
        if item.kind is ItemKind.DRILL and isinstance(target, Drill):
            item_sets = sets or item.sets or target.sets
            item_rest = rest if rest is not None else item.rest
            more = drill_size(target, item_sets, item_rest, item.seconds_scale)
        elif isinstance(target, Routine) and target.id in memo:
            more = memo[target.id]
        else:  # unknown, the wrong kind, or an include that closes a cycle
            continue
        seconds, cues = seconds + more[0], cues + more[1]
    return seconds, cues


def over_limits(size: Size) -> list[str]:
    """What is over the limits, in words: ``['137.8 hours of ...', '400000 cues ...']``."""
    from pose_coach import words

    seconds, cues = size
    parts = []
    if seconds > MAX_SESSION_SECONDS:
        length = words.hours(seconds) if seconds < 1000 * 3600 else "over 1000 hours"
        limit = MAX_SESSION_SECONDS // 3600
        parts.append(f"{length} of sets, steps and rests (the limit is {limit} hours)")
    if cues > MAX_SESSION_CUES:
        count = str(cues) if cues < 10**6 else "over a million"
        parts.append(f"{count} cues (the limit is {MAX_SESSION_CUES})")
    return parts
