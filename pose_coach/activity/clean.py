"""From decoded samples to a run fit for measuring: units checked, impossible values out,
each sample labelled running, walking or stopped, and warm-up, main part or cool-down
(the rules and thresholds: ``rules.py``)."""

from __future__ import annotations

import math
import statistics
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from pose_coach.activity import segments
from pose_coach.activity.errors import ActivityFileError, NotARunError
from pose_coach.activity.model import (
    CADENCE,
    MEASURES,
    STEP,
    VERTICAL_OSC,
    VERTICAL_RATIO,
    Decoded,
    Track,
)
from pose_coach.activity.rules import (
    COOL_DOWN,
    GAP_SECONDS,
    MAIN,
    MAX_JUMP,
    MAX_SPEED,
    MIN_RUN_METRES,
    MIN_RUN_SECONDS,
    PLAUSIBLE,
    RUN,
    STOP_SPEED,
    WARM_UP,
    Segment,
)
from pose_coach.words import plural

_RUN_SPORTS = {"running", "run", "trail_running", "treadmill_running", "track_running"}
_UNKNOWN_SPORTS = {"", "generic", "other", "all", "training", "unknown", "none"}


def is_run(sport: str | None) -> bool | None:
    """True for a run, False for another sport, None when the file does not say."""
    if sport is None:
        return None
    name = sport.strip().lower().replace(" ", "_").replace("-", "_")
    if name in _UNKNOWN_SPORTS:
        return None
    return name in _RUN_SPORTS or name.endswith(("_run", "_running")) or name.startswith("run")


@dataclass
class CleanRun:
    """Samples of the run legs with filled distance and speed, and a label per sample."""

    track: Track
    distance: list[float]  # metres, filled and never decreasing
    speed: list[float]  # m/s over a 20-second window: what the runner was doing
    weight: list[float]  # seconds each sample stands for (medians are time-weighted)
    state: list[str]  # RUN, WALK or STOP
    part: list[str]  # WARM_UP, MAIN or COOL_DOWN
    walk_breaks: list[Segment] = field(default_factory=list)
    stops: list[Segment] = field(default_factory=list)
    warm_up: Segment | None = None
    cool_down: Segment | None = None
    notes: list[str] = field(default_factory=list)
    derived: set[str] = field(default_factory=set)
    multisport: bool = False  # only the run legs of the file are here

    @cached_property
    def present(self) -> frozenset[str]:
        """The measures with at least one value (after cleaning and deriving)."""
        return self.track.present()

    @property
    def running_seconds(self) -> float:
        return sum(w for w, s in zip(self.weight, self.state, strict=True) if s == RUN)


def run_samples(decoded: Decoded, shown: str, *, as_run: bool = False) -> tuple[Track, list[str]]:
    """The samples of the file's run legs, checked for sport; with notes for the user."""
    notes: list[str] = []
    sports = decoded.sports
    verdicts = [is_run(s) for s in sports]
    track = decoded.track
    if sports and not any(verdicts) and not as_run:
        others = [s for s, v in zip(sports, verdicts, strict=True) if v is False]
        if others:
            named = ", ".join(dict.fromkeys(s.replace("_", " ") for s in others))
            raise NotARunError(
                f"{shown}: not a run: {named}",
                hint="pose-coach run reads runs; if this was a run recorded with another "
                "sport profile, add --as-run",
            )
    if not sports or all(v is None for v in verdicts):
        notes.append("the file does not say which sport it is: read as a run")
    elif not as_run and len(decoded.legs) > 1 and not all(verdicts):
        legs = [leg for leg in decoded.legs if is_run(leg.sport)]
        kept: list[int] = []
        joins: list[int] = []  # positions in ``kept`` where a new run leg starts
        for leg in legs:
            low = leg.start if leg.start is not None else -math.inf
            high = leg.end if leg.end is not None else math.inf
            joins.append(len(kept))
            kept += [i for i, t in enumerate(track.time) if low <= t <= high]
        track = _subset(track, kept)
        _join_legs(track, joins)
        names = ", ".join(s.replace("_", " ") for s in sports)
        notes.append(
            f"a multisport file ({names}): only the run "
            f"{'leg' if len(legs) == 1 else 'legs'} analysed"
        )
    elif as_run and sports and not any(verdicts):
        notes.append(f"the file says {sports[0].replace('_', ' ')}: read as a run (--as-run)")
    return track, notes


def _join_legs(track: Track, joins: list[int]) -> None:
    """Make the file's distance, which runs on through the swim and the ride, count only
    the run legs: each leg carries on from where the one before it ended."""
    column = track.distance
    carried = 0.0
    for n, first in enumerate(joins):
        last = joins[n + 1] if n + 1 < len(joins) else len(column)
        known = [d for d in column[first:last] if d is not None]
        if not known:
            continue
        offset = known[0] - carried
        for i in range(first, last):
            value = column[i]
            if value is not None:
                column[i] = value - offset
        carried = known[-1] - offset


def _subset(track: Track, keep: list[int]) -> Track:
    out = Track()
    columns = [track.values[k] for k in MEASURES]
    for i in keep:
        out.add(
            track.time[i],
            track.distance[i],
            track.speed[i],
            track.lat[i],
            track.lon[i],
            tuple(column[i] for column in columns),
        )
    return out


def _in_order(track: Track) -> tuple[Track, int]:
    """Samples with strictly increasing times. Samples at the same second are one sample
    (some apps write position and distance as two records); a sample that goes back in
    time, or jumps hours ahead (a crashing app's last write), is dropped. Returns the
    track and how many samples were dropped."""
    times = track.time
    if all(a < b <= a + MAX_JUMP for a, b in zip(times, times[1:], strict=False)) and all(
        math.isfinite(t) for t in times
    ):
        return track, 0  # the usual case: nothing to merge or drop
    out = Track()
    columns = [track.values[k] for k in MEASURES]
    merged = [out.values[k] for k in MEASURES]
    dropped = 0
    last = -math.inf
    for i, t in enumerate(track.time):
        if len(out) and t == last:  # the same moment: fill what the first one lacked
            j = len(out) - 1
            for own, other in ((out.distance, track.distance), (out.speed, track.speed)):
                if own[j] is None:
                    own[j] = other[i]
            if out.lat[j] is None:
                out.lat[j], out.lon[j] = track.lat[i], track.lon[i]
            for column, source in zip(merged, columns, strict=True):
                if column[j] is None:
                    column[j] = source[i]
            continue
        if not math.isfinite(t) or t < last or (len(out) and t - last > MAX_JUMP):
            dropped += 1
            continue
        out.add(
            t,
            track.distance[i],
            track.speed[i],
            track.lat[i],
            track.lon[i],
            tuple(column[i] for column in columns),
        )
        last = t
    return out, dropped


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(a)))


def _fill_distance(track: Track, shown: str) -> list[float]:
    times = track.time
    known = sum(1 for d in track.distance if d is not None)
    out: list[float] = []
    if known >= max(2, len(times) // 2):
        last = 0.0
        for d in track.distance:
            last = max(last, d) if d is not None and math.isfinite(d) else last
            out.append(last)
        return out
    if sum(1 for lat in track.lat if lat is not None) >= 2:
        total, previous = 0.0, None
        for i, (lat, lon) in enumerate(zip(track.lat, track.lon, strict=True)):
            if lat is not None and lon is not None:
                if previous is not None:
                    step = _haversine(previous[0], previous[1], lat, lon)
                    dt = times[i] - previous[2]
                    if dt > 0 and step / dt <= MAX_SPEED:  # a GPS jump adds nothing
                        total += step
                previous = (lat, lon, times[i])
            out.append(total)
        return out
    if sum(1 for s in track.speed if s is not None) >= 2:
        total = 0.0
        out.append(0.0)
        for i in range(1, len(times)):
            s = track.speed[i]
            dt = times[i] - times[i - 1]
            if s is not None and 0 < dt <= GAP_SECONDS and s <= MAX_SPEED:
                total += s * dt
            out.append(total)
        return out
    raise ActivityFileError(
        f"{shown}: the file holds no distance, speed or positions, so there is no pace or "
        "kilometre to measure against"
    )


def _window_speed(times: list[float], distance: list[float], half: float = 10.0) -> list[float]:
    """Speed over [t - half, t + half] at each sample."""
    last = len(times) - 1
    out = []
    for i, t in enumerate(times):
        lo = bisect_left(times, t - half, 0, i + 1)
        hi = min(bisect_right(times, t + half, i) - 1, last)
        span = times[hi] - times[lo]
        out.append((distance[hi] - distance[lo]) / span if span > 0 else 0.0)
    return out


def _check_values(track: Track, notes: list[str]) -> None:
    cadence = [c for c in track.values[CADENCE] if c]
    if cadence and statistics.median(cadence) > 2 * 150:
        # our per-stride doubling of a file that held steps per minute already (no one
        # runs at 300 steps a minute; 150 is a slow runner's steps, or a fast stride rate)
        track.values[CADENCE] = [c / 2 if c is not None else None for c in track.values[CADENCE]]
        notes.append("the file stores cadence as steps per minute; read as such")
    for key, (low, high) in PLAUSIBLE.items():
        column = track.values[key]
        # a NaN fails both comparisons, an infinity the range: both become None
        column[:] = [v if v is None or low <= v <= high else None for v in column]
    speed = track.speed
    speed[:] = [s if s is None or 0 <= s <= MAX_SPEED else None for s in speed]


def _derive(track: Track, speed: list[float], derived: set[str]) -> None:
    """Step length from speed and cadence, vertical ratio from oscillation and step, where
    the file does not hold them (how Garmin defines both)."""
    steps, ratios = track.values[STEP], track.values[VERTICAL_RATIO]
    cadence, oscillation = track.values[CADENCE], track.values[VERTICAL_OSC]
    if not any(v is not None for v in steps):
        for i, (c, s) in enumerate(zip(cadence, speed, strict=True)):
            if c and s > STOP_SPEED:
                steps[i] = s * 60000.0 / c
        if any(v is not None for v in steps):
            derived.add(STEP)
    if not any(v is not None for v in ratios) and any(v is not None for v in oscillation):
        for i, (o, st) in enumerate(zip(oscillation, steps, strict=True)):
            if o is not None and st:
                ratios[i] = 100.0 * o / st
        if any(v is not None for v in ratios):
            derived.add(VERTICAL_RATIO)


def _merge(spans: list[Segment]) -> list[Segment]:
    out: list[Segment] = []
    for span in sorted(spans, key=lambda s: s.start):
        if out and span.start <= out[-1].end:
            last = out[-1]
            if span.end > last.end:
                out[-1] = Segment(last.start, span.end, last.metres + span.metres)
            continue
        out.append(span)
    return out


def clean_run(decoded: Decoded, shown: str, *, as_run: bool = False) -> CleanRun:
    """The run, cleaned and labelled; raises when there is too little of it to analyse."""
    track, notes = run_samples(decoded, shown, as_run=as_run)
    multisport = len(track) != len(decoded.track)
    track, dropped = _in_order(track)
    if dropped:
        notes.append(f"{plural(dropped, 'sample')} with an impossible time set aside")
    if len(track) < 2:
        raise _too_little(decoded, shown, "no samples" if not len(track) else "one sample")
    _check_values(track, notes)
    distance = _fill_distance(track, shown)
    distance = [d - distance[0] for d in distance]  # from this run's start, not the file's
    speed = _window_speed(track.time, distance)
    derived: set[str] = set()
    _derive(track, speed, derived)
    weight = segments.weights(track.time)
    states = segments.label_states(track.time, speed, track.values[CADENCE], decoded.pauses)
    states = segments.smooth_walks(track.time, states)
    run = CleanRun(
        track=track,
        distance=distance,
        speed=speed,
        weight=weight,
        state=states,
        part=[MAIN] * len(track),
        notes=notes,
        derived=derived,
        multisport=multisport,
    )
    metres = sum(
        distance[i + 1] - distance[i]
        for i in range(len(track) - 1)
        if states[i] == RUN and track.time[i + 1] - track.time[i] <= GAP_SECONDS
    )
    if run.running_seconds < MIN_RUN_SECONDS or metres < MIN_RUN_METRES:
        recorded = track.time[-1] - track.time[0]
        raise _too_little(
            decoded,
            shown,
            f"{recorded:.0f} s recorded, {run.running_seconds:.0f} s and {metres:.0f} m "
            "of it running",
        )
    run.walk_breaks = segments.runs_of(track.time, distance, states, segments.WALK)
    run.stops = _merge(
        segments.gaps(track.time, distance)
        + segments.runs_of(track.time, distance, states, segments.STOP)
        + [Segment(a, b) for a, b in decoded.pauses if b > a]
    )
    run.warm_up, run.cool_down = segments.find_parts(track.time, distance, speed, weight, states)
    for i, t in enumerate(track.time):
        if run.warm_up and t < run.warm_up.end:
            run.part[i] = WARM_UP
        elif run.cool_down and t >= run.cool_down.start:
            run.part[i] = COOL_DOWN
    return run


def _too_little(decoded: Decoded, shown: str, found: str) -> ActivityFileError:
    damage = f"{decoded.damage.describe()}; " if decoded.damage else ""
    return ActivityFileError(
        f"{shown}: {damage}too little to analyse: {found} (at least "
        f"{MIN_RUN_SECONDS:.0f} s and {MIN_RUN_METRES:.0f} m of running are needed)"
    )
