"""Foot contacts from a track: landings, and toe-offs (timed well at 120 frames/s and more).

Steps are found from the feet's fore-aft motion against the hip, not from their height
alone: on real landmarks a walker's foot rises a few pixels, as much as the detector's
jitter, and the detector swaps the legs' labels when they cross. Whatever the labels,
the foot ahead of the hip (the front foot) swings forward until it lands, then falls
back under the body until the other foot passes it. So the front foot's distance ahead
of the hip, in leg lengths, is a sawtooth with one peak per step and one dip where the
feet cross. Its peaks, at least a refractory time apart (60 % of the step period the
clip's own rhythm shows, and never under 0.22 s) and standing out by 6 % of the leg,
are the steps; the feet alternate, left or right from the labels the detector gave most
often along the run of steps.

A walker's landing (steps slower than 140 a minute) is the forward peak itself: the heel
strikes at the foot's farthest reach. A runner's is then timed from that foot's height:
the first frame after its forward peak (at most 0.15 s later, before the feet cross)
within 4 % of the leg of the ground on two frames running, the time where its descent
meets the ground, between frames. Without such a frame (a noisy clip) the peak's own
frame is the landing. Toe-offs are timed from the toe going up; they are kept only
between a landing and that foot's next one.

The legs of the track are then labelled by the steps: from a landing to where the feet
cross, the landing foot is the front one; so the measures read the leg that landed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pose_coach.video.model import ANKLE, HEEL, HIP, KNEE, TOE, Contact, Track

DOWN = 0.04  # share of the leg: within this of the ground, the foot is down
TOUCH = 0.015  # within this, it touches: where the landing (or toe-off) is timed
SEARCH_S = 0.1  # s after coming down within which the touch is looked for
UP = 0.10  # above this, it is up again
WINDOW_S = 1.5
PROMINENCE = 0.06  # leg lengths: a step's peak stands out this much from the dips
REFRACTORY = 0.6  # share of the step period: two steps closer than this are one
MIN_STEP_S = 0.22  # s: no one steps faster than about 270 a minute
LAND_AFTER_PEAK_S = 0.25  # s after the forward peak within which the foot comes down
BACK_FALL = 0.08  # leg lengths: the front foot this far back from its peak stands
WALK_STEP_S = 60 / 140  # s: steps this slow (under 140 a minute) are a walker's
FEET = ("left", "right")
LEG_ROWS = {f: [HIP[f], KNEE[f], ANKLE[f], HEEL[f], TOE[f]] for f in FEET}


@dataclass(frozen=True)
class Gait:
    """The steps of a track: its legs labelled by the steps, landings and toe-offs."""

    track: Track
    landings: list[Contact]
    toe_offs: list[Contact]
    step_s: float | None  # the step period the clip's rhythm shows


def _ground(y: np.ndarray, rate: float) -> np.ndarray:
    """The ground level under a foot at each frame (y down: a high percentile)."""
    n = len(y)
    w = max(3, int(WINDOW_S * rate))
    step = max(1, w // 8)
    centres = np.arange(0, n, step)
    level = np.empty(len(centres))
    for i, c in enumerate(centres):
        part = y[max(0, c - w // 2) : c + w // 2 + 1]
        part = part[~np.isnan(part)]
        level[i] = np.percentile(part, 85) if len(part) else np.nan
    ok = ~np.isnan(level)
    if not ok.any():
        return np.full(n, np.nan)
    return np.interp(np.arange(n), centres[ok], level[ok])


def _crossing(t: np.ndarray, y: np.ndarray, k: int, g: float, before: bool) -> float:
    """When the line through the two frames next to k (before it, or after it) meets g."""
    a, b = (k - 2, k - 1) if before else (k + 2, k + 1)
    if a < 0 or a >= len(y) or np.isnan(y[a]) or np.isnan(y[b]):
        return float(t[k])
    slope = (y[b] - y[a]) / (t[b] - t[a])
    if slope == 0:
        return float(t[k])
    tc = t[b] + (g - y[b]) / slope
    lo, hi = (t[b], t[k]) if before else (t[k], t[b])
    return float(min(max(tc, lo), hi))


def _median_filter(y: np.ndarray, width: int) -> np.ndarray:
    """A centred running median (NaN ignored): single-frame spikes go, timing stays."""
    if width < 3:
        return y.copy()
    half = width // 2
    padded = np.concatenate([np.full(half, np.nan), y, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.full(len(y), np.nan)
    ok = (~np.isnan(windows)).any(axis=1)
    out[ok] = np.nanmedian(windows[ok], axis=1)
    return out


def _forward(track: Track) -> np.ndarray:
    """(N, 2) each ankle's distance ahead of the mid-hip along travel, in leg lengths."""
    hip = np.nanmean(track.xy[:, [HIP["left"], HIP["right"]], 0], axis=1)
    ankles = track.xy[:, [ANKLE["left"], ANKLE["right"]], 0]
    return np.asarray((ankles - hip[:, None]) * track.direction / track.leg_length)


def _step_period(front: np.ndarray, t: np.ndarray) -> float | None:
    """s: the lag at which the front foot's sawtooth repeats (its first strong
    autocorrelation peak), or None when the clip shows no rhythm."""
    ok = ~np.isnan(front)
    if ok.sum() < 8 or len(t) < 2:
        return None
    dt = float(np.median(np.diff(t)))
    y = np.interp(np.arange(len(front)), np.flatnonzero(ok), front[ok])
    y = y - y.mean()
    n = len(y)
    lo = max(2, int(np.ceil(MIN_STEP_S / dt)))
    hi = n // 2
    if hi <= lo + 1:
        return None
    ac = np.array([np.dot(y[:-lag], y[lag:]) / (n - lag) for lag in range(lo, hi + 1)])
    peaks = [i for i in range(1, len(ac) - 1) if ac[i] >= ac[i - 1] and ac[i] >= ac[i + 1]]
    peaks = [i for i in peaks if ac[i] > 0]
    if not peaks:
        return None
    best = max(ac[i] for i in peaks)
    return float((next(i for i in peaks if ac[i] >= 0.5 * best) + lo) * dt)


def _step_peaks(front: np.ndarray, t: np.ndarray, refractory: float) -> list[int]:
    """Rows of the front foot's forward peaks: local maxima taken highest first, each at
    least ``refractory`` s from the ones taken, each standing out by PROMINENCE from the
    lowest point within a refractory time on both sides (so not at the clip's edges)."""
    n = len(front)
    cands = [
        k
        for k in range(1, n - 1)
        if not np.isnan(front[k])
        and front[k] >= np.nanmax(front[max(0, k - 1) : k + 2])
        and front[k] > front[k - 1]
    ]
    taken: list[int] = []
    for k in sorted(cands, key=lambda k: -front[k]):
        if any(abs(t[k] - t[j]) < refractory for j in taken):
            continue
        side_lows = []
        for lo, hi in ((t[k] - 1.5 * refractory, t[k]), (t[k], t[k] + 1.5 * refractory)):
            part = front[(t >= lo) & (t <= hi)]
            side_lows.append(np.nanmin(part) if np.isfinite(part).any() else np.nan)
        if not all(np.isfinite(side_lows)):
            continue
        if front[k] - max(side_lows) < PROMINENCE:
            continue
        taken.append(k)
    taken.sort()
    # neighbours with no dip between them are one step: keep the higher
    changed = True
    while changed and len(taken) > 1:
        changed = False
        for a, b in zip(taken[:-1], taken[1:], strict=True):
            dip = np.nanmin(front[a : b + 1])
            if min(front[a], front[b]) - dip < PROMINENCE:
                taken.remove(a if front[a] < front[b] else b)
                changed = True
                break
    return taken


def _feet(labels: list[str], t: list[float], step: float | None) -> list[str]:
    """Alternating feet for the steps: in each run of steps without a gap, the
    alternation that agrees with most of the detector's labels."""
    out: list[str] = []
    start = 0
    for i in range(1, len(labels) + 1):
        gap = i == len(labels) or (step is not None and t[i] - t[i - 1] > 1.6 * step)
        if not gap:
            continue
        run = labels[start:i]
        agree = sum(1 for j, lab in enumerate(run) if lab == FEET[j % 2])
        first = 0 if agree * 2 > len(run) or (agree * 2 == len(run) and run[0] == FEET[0]) else 1
        out += [FEET[(first + j) % 2] for j in range(len(run))]
        start = i
    return out


def _crossings(front: np.ndarray, peaks: list[int]) -> list[int]:
    """Rows where the feet cross (the front foot's lowest point) between the peaks, with
    the first and last rows at the ends."""
    low = np.where(np.isnan(front), np.inf, front)
    out = [0]
    for a, b in zip(peaks[:-1], peaks[1:], strict=True):
        out.append(a + int(np.argmin(low[a : b + 1])))
    out.append(len(front) - 1)
    return out


def _relabel(track: Track, peaks: list[int], feet: list[str], front_is: np.ndarray) -> Track:
    """The legs' rows swapped wherever the front leg is not the one the steps say."""
    fwd = _forward(track)
    front = np.nanmax(np.where(np.isnan(fwd), -np.inf, fwd), axis=1)
    n = len(track.t)
    want = np.array([""] * n, dtype=object)
    bounds = [0]
    for a, b in zip(peaks[:-1], peaks[1:], strict=True):
        bounds.append(
            a + int(np.argmin(np.where(np.isnan(front[a : b + 1]), np.inf, front[a : b + 1])))
        )
    bounds.append(n)
    for i, foot in enumerate(feet):
        want[bounds[i] : bounds[i + 1]] = foot
    xy, vis = track.xy.copy(), track.vis.copy()
    rows_l, rows_r = LEG_ROWS["left"], LEG_ROWS["right"]
    for r in range(n):
        if want[r] and front_is[r] and want[r] != front_is[r]:
            xy[r, rows_l + rows_r] = xy[r, rows_r + rows_l]
            vis[r, rows_l + rows_r] = vis[r, rows_r + rows_l]
    return replace(track, xy=xy, vis=vis)


def _jitter(y: np.ndarray) -> float:
    """px: the frame-to-frame noise of a series (a robust spread of its differences,
    per sample)."""
    d = np.diff(y)
    d = d[~np.isnan(d)]
    if len(d) < 4:
        return float("inf")
    return float(1.4826 * np.median(np.abs(d - np.median(d))) / np.sqrt(2))


def _vertex(front: np.ndarray, t: np.ndarray, k: int) -> tuple[int, float]:
    """The forward peak at row k, timed by a parabola through the rows within 0.1 s
    (jitter moves a peak's highest frame; it hardly moves the parabola): (row, time), the
    row the first at or after that time."""
    near = (np.abs(t - t[k]) <= 0.1) & ~np.isnan(front)
    if near.sum() < 4:
        return k, float(t[k])
    a, b, _c = np.polyfit(t[near] - t[k], front[near], 2)
    if a >= 0:
        return k, float(t[k])
    tv = float(t[k] + min(max(-b / (2 * a), -0.1), 0.1))
    row = int(np.searchsorted(t, tv - 1e-9))
    return min(row, len(t) - 1), tv


def _landing(
    track: Track, foot: str, k: int, t_peak: float, until: int, ground: np.ndarray
) -> Contact:
    """The landing of ``foot`` whose forward peak is at t_peak (row k): the first frame
    from k (up to LAND_AFTER_PEAK_S later and before row ``until``) with the foot down on
    two frames running, where it touches when that comes soon after, timed between
    frames; else the peak's own time."""
    t = track.t
    leg = track.leg_length
    low = np.fmax(track.xy[:, HEEL[foot], 1], track.xy[:, TOE[foot], 1])
    height = ground - low
    rows = [
        j
        for j in range(max(0, k - 1), min(until, len(t) - 1) + 1)
        if t[j] - t[k] <= LAND_AFTER_PEAK_S and not np.isnan(height[j])
    ]

    # down on two frames running: one frame's jitter is not a landing. The second may lie
    # past the rows searched (they end where the foot has fallen back); only the track's
    # own last frame is taken on its own
    def is_down(j: int) -> bool:
        return bool(height[j] <= DOWN * leg)

    def held(j: int) -> bool:
        return j == len(t) - 1 or (not np.isnan(height[j + 1]) and is_down(j + 1))

    down = next((j for j in rows if is_down(j) and held(j)), None)
    if down is None:
        return Contact(foot, int(track.index[k]), max(t_peak, float(t[max(k - 1, 0)])))
    touch = next((j for j in rows if j >= down and height[j] <= TOUCH * leg), down)
    if t[touch] - t[down] > SEARCH_S:
        touch = down
    return Contact(foot, int(track.index[touch]), _crossing(t, low, touch, ground[touch], True))


def _toe_offs(track: Track, landings: list[Contact], rate: float) -> list[Contact]:
    """Each landing's toe-off: the toe's last frame on the ground before the foot rises
    above UP, after the landing and before that foot's next landing."""
    t, leg = track.t, track.leg_length
    row = {int(i): r for r, i in enumerate(track.index)}
    out = []
    for i, land in enumerate(landings):
        f = land.foot
        nxt = next((c for c in landings[i + 1 :] if c.foot == f), None)
        end = row[nxt.index] if nxt else len(t) - 1
        low = np.fmax(track.xy[:, HEEL[f], 1], track.xy[:, TOE[f], 1])
        toe = track.xy[:, TOE[f], 1]
        g, g_toe = _ground(low, rate), _ground(toe, rate)
        for k in range(row[land.index], end):
            if np.isnan(low[k]) or g[k] - low[k] < UP * leg:
                continue
            j = k - 1
            while j > 0 and not np.isnan(toe[j]) and g_toe[j] - toe[j] > TOUCH * leg:
                j -= 1
            tt = _crossing(t, toe, j, g_toe[j], before=False)
            if land.t < tt < (nxt.t if nxt else np.inf):
                out.append(Contact(f, int(track.index[j]), tt))
            break
    return out


def gait(track: Track, rate: float) -> Gait:
    """The steps of this track: its legs labelled by them, landings and toe-offs."""
    if not np.isfinite(track.leg_length) or len(track.t) < 3:
        return Gait(track, [], [], None)
    fwd = _forward(track)
    filled = np.where(np.isnan(fwd), -np.inf, fwd)
    which = np.argmax(filled, axis=1)
    front = filled[np.arange(len(fwd)), which]
    front[np.isnan(fwd).any(axis=1)] = np.nan  # one ankle unseen: which is ahead is unknown
    front_is = np.array(
        ["" if np.isnan(front[r]) else FEET[which[r]] for r in range(len(front))], dtype=object
    )
    smooth = _median_filter(front, int(round(0.07 * rate)) | 1)
    # the step period: the rhythm's own, or half of it when that is a stride (feet that
    # land unlike each other repeat only every stride), as the peaks at MIN_STEP_S show
    peaks = _step_peaks(smooth, track.t, MIN_STEP_S)
    step = _step_period(smooth, track.t)
    if len(peaks) >= 3:
        spaced = float(np.median(np.diff(track.t[peaks])))
        if step is None or abs(spaced - step / 2) <= 0.25 * step / 2:
            step = spaced if step is None else step / 2
    if step is not None:
        peaks = _step_peaks(smooth, track.t, max(MIN_STEP_S, REFRACTORY * step))
    if not peaks:
        return Gait(track, [], [], step)
    feet = _feet([front_is[k] or FEET[0] for k in peaks], [float(track.t[k]) for k in peaks], step)
    labelled = _relabel(track, peaks, feet, front_is)
    lows = [np.fmax(labelled.xy[:, HEEL[f], 1], labelled.xy[:, TOE[f], 1]) for f in FEET]
    lowest = np.fmax(*lows)
    ground = _ground(lowest, rate)  # the lowest foot's level: the ground
    # heights as jittery as half the DOWN margin say nothing of the landing's frame
    heights_trusted = _jitter(lowest) <= DOWN / 2 * track.leg_length
    # a walker's heel strikes at the foot's farthest reach (the rule of Zeni et al.
    # 2008); the heel point, the toes still up, reads a few percent of the leg above the
    # flat foot's level, so timing by height would find the foot flat, frames late
    walking_rhythm = step is not None and step >= WALK_STEP_S
    landings: list[Contact] = []
    crossings = _crossings(smooth, peaks)
    for i, (k, foot) in enumerate(zip(peaks, feet, strict=True)):
        span = (crossings[i], crossings[i + 1])
        # the foot is down by the time it has fallen back BACK_FALL of the leg
        until = next(
            (j for j in range(k, span[1] + 1) if smooth[j] < smooth[k] - BACK_FALL), span[1]
        )
        k, t_peak = _vertex(smooth, labelled.t, k)
        if heights_trusted and not walking_rhythm:
            land = _landing(labelled, foot, k, t_peak, until, ground)
        else:
            land = Contact(foot, int(track.index[k]), t_peak)
        if landings and land.t <= landings[-1].t:
            continue
        landings.append(land)
    return Gait(labelled, landings, _toe_offs(labelled, landings, rate), step)


def contacts(track: Track, rate: float) -> tuple[list[Contact], list[Contact]]:
    """(landings, toe-offs) of both feet, each in time order, as found on this track."""
    found = gait(track, rate)
    return found.landings, found.toe_offs
