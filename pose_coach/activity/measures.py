"""Measures per kilometre or per lap, and for the whole main part of the run.

Every figure is a time-weighted median over the samples spent running (walks and stops
out): a median, because one glitching sample must not move it; time-weighted, because a
watch's "smart recording" writes samples at uneven intervals. Pace is moving time (stops
out, walking in) per kilometre, as a watch's split shows it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from operator import is_not, itemgetter
from typing import Any, TypeGuard, cast

from pose_coach.activity.clean import CleanRun
from pose_coach.activity.model import Lap
from pose_coach.activity.rules import COOL_DOWN, GAP_SECONDS, MAIN, RUN, STOP, WALK, WARM_UP


def weighted_median(values: Sequence[float | None], weight: Sequence[float]) -> float | None:
    """The median of the known values, each counted for its weight (seconds).

    Watch values repeat (whole steps per minute, whole milliseconds), so the weight of
    each distinct value is summed first and only those few are sorted; with equal weights
    (a watch recording every second) that is a count, done in C.
    """
    if len(set(weight)) == 1 and weight[0] > 0:
        counts = Counter(filter(_known, values))  # counted in C
        middle = (sum(counts.values()) - 1) // 2  # the low median's place
        seen = 0
        for figure in sorted(counts):
            seen += counts[figure]
            if seen > middle:
                return figure
        return None
    totals: dict[float, float] = {}
    get = totals.get
    for value, w in zip(values, weight, strict=True):
        if value is not None and w > 0:
            totals[value] = get(value, 0.0) + w
    if not totals:
        return None
    half = sum(totals.values()) / 2
    running = 0.0
    ordered = sorted(totals)
    for value in ordered:
        running += totals[value]
        if running >= half:
            return value
    return ordered[-1]


# ``value is not None`` as a C callable, for filter()
_known = cast("Callable[[float | None], TypeGuard[float]]", partial(is_not, None))


def _pick(column: Sequence[Any], indices: list[int]) -> list[Any]:
    """``column[i] for i in indices``, in C (itemgetter) rather than a Python loop."""
    if not indices:
        return []
    if len(indices) == 1:
        return [column[indices[0]]]
    return list(itemgetter(*indices)(column))


def medians(run: CleanRun, indices: list[int]) -> dict[str, float | None]:
    """Every measure's weighted median over the samples at ``indices``."""
    weight = _pick(run.weight, indices)
    return {
        key: weighted_median(_pick(column, indices), weight) if key in run.present else None
        for key, column in run.track.values.items()
    }


@dataclass(frozen=True)
class Split:
    """One row of the table: a kilometre (or lap) of the run."""

    index: int  # 1-based
    kind: str  # "km" or "lap"
    start: float  # Unix seconds
    end: float
    metres: float
    moving_seconds: float  # stops out
    running_seconds: float
    walk_seconds: float
    values: dict[str, float | None]  # measure → median over its running samples
    parts: tuple[str, ...]  # "warm-up", "cool-down", "walk" where they take a share of it

    @property
    def pace(self) -> float | None:
        """Seconds per kilometre over moving time."""
        return self.moving_seconds / (self.metres / 1000) if self.metres >= 10 else None

    @property
    def main(self) -> bool:
        """Neither warm-up nor cool-down: fair to compare."""
        return WARM_UP not in self.parts and COOL_DOWN not in self.parts


@dataclass(frozen=True)
class Summary:
    """The whole run, and its main part (warm-up, cool-down, walks and stops set aside)."""

    metres: float
    moving_seconds: float
    elapsed_seconds: float
    running_seconds: float
    walk_seconds: float
    stop_seconds: float
    main_metres: float
    main_seconds: float  # moving time of the main part
    values: dict[str, float | None]  # medians over the main part's running samples
    whole: dict[str, float | None]  # medians over all running samples, warm-up included

    @property
    def pace(self) -> float | None:
        return self.main_seconds / (self.main_metres / 1000) if self.main_metres >= 10 else None

    @property
    def whole_pace(self) -> float | None:
        """The whole run's moving time per km."""
        return self.moving_seconds / (self.metres / 1000) if self.metres >= 10 else None


def _split(run: CleanRun, index: int, kind: str, members: list[int], last: int) -> Split:
    """A split from its sample indices; ``last`` is the index just past it (or its end)."""
    times, distance, weight, state, part = (
        run.track.time,
        run.distance,
        run.weight,
        run.state,
        run.part,
    )
    running = [i for i in members if state[i] == RUN]
    moving = sum(weight[i] for i in members if state[i] != STOP)
    walk = sum(weight[i] for i in members if state[i] == WALK)
    values = medians(run, running)
    parts = []
    total = sum(weight[i] for i in members) or 1.0
    for label in (WARM_UP, COOL_DOWN):
        if sum(weight[i] for i in members if part[i] == label) >= 0.25 * total:
            parts.append(label)
    if walk >= 15 and walk >= 0.1 * total:
        parts.append("walk")
    first = members[0]
    metres = distance[last] - distance[first]
    return Split(
        index=index,
        kind=kind,
        start=times[first],
        end=times[last],
        metres=metres,
        moving_seconds=moving,
        running_seconds=sum(weight[i] for i in running),
        walk_seconds=walk,
        values=values,
        parts=tuple(parts),
    )


def km_splits(run: CleanRun, unit: float = 1000.0) -> list[Split]:
    """A split per kilometre of distance (the last one shorter)."""
    groups: dict[int, list[int]] = {}
    for i, d in enumerate(run.distance):
        groups.setdefault(int(d // unit), []).append(i)
    keys = sorted(groups)
    if len(keys) > 1:  # the watch stopped a few metres into a new km: part of the last
        tail = groups[keys[-1]]
        if run.distance[tail[-1]] - run.distance[tail[0]] < 0.1 * unit:
            groups[keys[-2]] += groups.pop(keys[-1])
            keys.pop()
    splits = []
    for n, key in enumerate(keys):
        members = groups[key]
        following = groups[keys[n + 1]][0] if n + 1 < len(keys) else members[-1]
        splits.append(_split(run, n + 1, "km", members, following))
    return splits


def lap_splits(run: CleanRun, laps: Sequence[Lap]) -> list[Split]:
    """A split per lap of the file (laps with no running samples left out)."""
    ordered = sorted(laps, key=lambda lap: lap.start)
    starts = [lap.start for lap in ordered]
    groups: dict[int, list[int]] = {}
    n = 0
    for i, t in enumerate(run.track.time):  # times ascend, so the lap only moves forward
        while n + 1 < len(starts) and t >= starts[n + 1]:
            n += 1
        groups.setdefault(n, []).append(i)
    splits = []
    keys = sorted(groups)
    for position, key in enumerate(keys):
        members = groups[key]
        following = groups[keys[position + 1]][0] if position + 1 < len(keys) else members[-1]
        split = _split(run, key + 1, "lap", members, following)
        if split.running_seconds > 0 or split.metres > 0:
            splits.append(split)
    return splits


def summarise(run: CleanRun) -> Summary:
    times, distance, weight, state, part = (
        run.track.time,
        run.distance,
        run.weight,
        run.state,
        run.part,
    )
    n = len(times)
    running = [i for i in range(n) if state[i] == RUN]
    main_running = [i for i in running if part[i] == MAIN]
    main_metres = sum(
        distance[i + 1] - distance[i]
        for i in range(n - 1)
        if part[i] == MAIN and state[i] != STOP and times[i + 1] - times[i] <= GAP_SECONDS
    )
    stop = sum(s.seconds for s in run.stops)
    return Summary(
        metres=distance[-1] - distance[0],
        moving_seconds=sum(w for w, s in zip(weight, state, strict=True) if s != STOP),
        elapsed_seconds=times[-1] - times[0],
        running_seconds=run.running_seconds,
        walk_seconds=sum(w for w, s in zip(weight, state, strict=True) if s == WALK),
        stop_seconds=stop,
        main_metres=main_metres,
        main_seconds=sum(weight[i] for i in range(n) if part[i] == MAIN and state[i] != STOP),
        values=medians(run, main_running),
        whole=medians(run, running),
    )
