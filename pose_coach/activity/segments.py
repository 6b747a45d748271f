"""Label each sample: running, walking or stopped; then warm-up, main part or cool-down.

Pure functions over parallel lists (times in seconds, distance in metres, speed in m/s);
the thresholds live in ``rules`` and are documented there and in docs/run.md.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from pose_coach.activity.rules import (
    GAP_SECONDS,
    MAX_PART_SHARE,
    MIN_BREAK,
    MIN_PART,
    MIN_PARTS_RUN,
    PART_SPEED_SHARE,
    RUN,
    STOP,
    STOP_SPEED,
    WALK,
    WALK_CADENCE,
    WALK_SPEED,
    Segment,
)


def weights(times: Sequence[float]) -> list[float]:
    """Seconds each sample stands for: the time to the next one, 1 s before a gap."""
    out = []
    for i in range(len(times) - 1):
        dt = times[i + 1] - times[i]
        out.append(dt if dt <= GAP_SECONDS else 1.0)
    if times:
        out.append(1.0)
    return out


def label_states(
    times: Sequence[float],
    speed: Sequence[float],
    cadence: Sequence[float | None],
    pauses: Sequence[tuple[float, float]],
) -> list[str]:
    """RUN, WALK or STOP per sample (before short blips are smoothed away)."""
    ordered = sorted(pauses)
    states = []
    p = 0
    for t, s, c in zip(times, speed, cadence, strict=True):
        while p < len(ordered) and ordered[p][1] < t:
            p += 1
        if p < len(ordered) and ordered[p][0] < t < ordered[p][1]:
            states.append(STOP)
        elif s < STOP_SPEED:
            states.append(STOP)
        elif c is not None:
            states.append(WALK if c < WALK_CADENCE else RUN)
        else:
            states.append(WALK if s < WALK_SPEED else RUN)
    return states


def smooth_walks(times: Sequence[float], states: list[str]) -> list[str]:
    """A walk shorter than MIN_BREAK between running is running (a tight turn, a kerb)."""
    out = list(states)
    i, n = 0, len(out)
    while i < n:
        if out[i] != WALK:
            i += 1
            continue
        j = i
        while j + 1 < n and out[j + 1] == WALK:
            j += 1
        end = times[j + 1] if j + 1 < n else times[j]
        before = out[i - 1] if i > 0 else RUN
        after = out[j + 1] if j + 1 < n else RUN
        if end - times[i] < MIN_BREAK and before == RUN and after == RUN:
            out[i : j + 1] = [RUN] * (j + 1 - i)
        i = j + 1
    return out


def runs_of(
    times: Sequence[float], distance: Sequence[float], states: Sequence[str], state: str
) -> list[Segment]:
    """Stretches of one state lasting at least MIN_BREAK seconds."""
    out = []
    i, n = 0, len(states)
    while i < n:
        if states[i] != state:
            i += 1
            continue
        j = i
        while j + 1 < n and states[j + 1] == state:
            j += 1
        end = j + 1 if j + 1 < n else j
        if times[end] - times[i] >= MIN_BREAK:
            out.append(Segment(times[i], times[end], distance[end] - distance[i]))
        i = j + 1
    return out


def gaps(times: Sequence[float], distance: Sequence[float]) -> list[Segment]:
    """Where the watch recorded nothing for more than GAP_SECONDS (paused or stopped)."""
    return [
        Segment(times[i], times[i + 1], distance[i + 1] - distance[i])
        for i in range(len(times) - 1)
        if times[i + 1] - times[i] > GAP_SECONDS
    ]


def _weighted_median(values: Sequence[float], weight: Sequence[float]) -> float:
    pairs = sorted(zip(values, weight, strict=True))
    half = sum(weight) / 2
    total = 0.0
    for value, w in pairs:
        total += w
        if total >= half:
            return value
    return pairs[-1][0]


def _ahead(times: Sequence[float], distance: Sequence[float], span: float) -> list[float]:
    """Average speed over the next ``span`` seconds from each sample."""
    last = len(times) - 1
    out = []
    for i, t in enumerate(times):
        hi = min(bisect_right(times, t + span, i) - 1, last)
        elapsed = times[hi] - t
        out.append((distance[hi] - distance[i]) / elapsed if elapsed > 0 else 0.0)
    return out


def find_parts(
    times: Sequence[float],
    distance: Sequence[float],
    speed: Sequence[float],
    weight: Sequence[float],
    states: Sequence[str],
) -> tuple[Segment | None, Segment | None]:
    """(warm-up, cool-down): clearly slower stretches at either end of a long enough run."""
    running = [i for i, s in enumerate(states) if s == RUN]
    total = sum(weight[i] for i in running)
    if total < MIN_PARTS_RUN:
        return None, None
    clock, elapsed = {}, 0.0
    for i in running:
        clock[i] = elapsed
        elapsed += weight[i]
    middle = [i for i in running if 0.25 * total <= clock[i] <= 0.75 * total]
    main = _weighted_median([speed[i] for i in middle], [weight[i] for i in middle])
    goal = PART_SPEED_SHARE * main
    forward = _ahead(times, distance, 120.0)
    warm_up = cool_down = None
    for i in running:  # at pace now (20 s window) and for the next two minutes
        if forward[i] >= goal and speed[i] >= goal:
            if times[i] - times[0] >= MIN_PART and clock[i] <= MAX_PART_SHARE * total:
                warm_up = Segment(times[0], times[i], distance[i] - distance[0])
            break
    reversed_times = [-t for t in reversed(times)]
    reversed_distance = [-d for d in reversed(distance)]
    backward = list(reversed(_ahead(reversed_times, reversed_distance, 120.0)))
    last = len(times) - 1
    for i in reversed(running):
        if backward[i] >= goal and speed[i] >= goal:
            if times[last] - times[i] >= MIN_PART and total - clock[i] <= MAX_PART_SHARE * total:
                cool_down = Segment(times[i], times[last], distance[last] - distance[i])
            break
    return warm_up, cool_down


__all__ = [
    "RUN",
    "STOP",
    "WALK",
    "find_parts",
    "gaps",
    "label_states",
    "runs_of",
    "smooth_walks",
    "weights",
]
