"""Foot contacts from a track: landings, and toe-offs (timed well at 120 frames/s and more).

Each foot's lowest point (the lower of heel and toe, y down) is compared with the
ground under that foot: a high percentile of the same point over a sliding 1.5 s, which
follows a camera that drifts. The foot is down within 4 % of the leg of the ground and
up again above 10 % (hysteresis against jitter). A landing's time is where the foot's
descent, carried on from the two frames before, meets the ground, so it falls between
frames; its frame is the first one with the foot down. A toe-off is timed the same way
from the toe alone, going up.
"""

from __future__ import annotations

import numpy as np

from pose_coach.video.model import HEEL, TOE, Contact, Track

DOWN = 0.04  # share of the leg: within this of the ground, the foot is down
TOUCH = 0.015  # within this, it touches: where the landing (or toe-off) is timed
SEARCH_S = 0.1  # s after coming down within which the touch is looked for
UP = 0.10  # above this, it is up again
WINDOW_S = 1.5
MIN_STRIDE_S = 0.25  # two landings of one foot closer than this: the second is noise


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


def contacts(track: Track, rate: float) -> tuple[list[Contact], list[Contact]]:
    """(landings, toe-offs) of both feet, each in time order, as found on this track."""
    landings: list[Contact] = []
    toe_offs: list[Contact] = []
    leg = track.leg_length
    t = track.t
    for foot in ("left", "right"):
        heel = track.xy[:, HEEL[foot], 1]
        toe = track.xy[:, TOE[foot], 1]
        low = np.fmax(heel, toe)
        g = _ground(low, rate)
        g_toe = _ground(toe, rate)
        down = False
        last_land = -np.inf
        for k in range(len(t)):
            if np.isnan(low[k]) or np.isnan(g[k]):
                continue
            height = g[k] - low[k]
            if not down and height <= DOWN * leg:
                down = True
                j = k
                while (
                    j + 1 < len(t)
                    and t[j] - t[k] < SEARCH_S
                    and not np.isnan(low[j])
                    and g[j] - low[j] > TOUCH * leg
                ):
                    j += 1
                tc = _crossing(t, low, j, g[j], before=True)
                k = j
                if tc - last_land >= MIN_STRIDE_S:
                    landings.append(Contact(foot, int(track.index[k]), tc))
                    last_land = tc
            elif down and height >= UP * leg:
                down = False
                # the toe's last frame on the ground, going back from here
                j = k - 1
                while j > 0 and not np.isnan(toe[j]) and g_toe[j] - toe[j] > TOUCH * leg:
                    j -= 1
                tt = _crossing(t, toe, j, g_toe[j], before=False)
                if landings and landings[-1].foot == foot and tt > landings[-1].t:
                    toe_offs.append(Contact(foot, int(track.index[j]), tt))
    landings.sort(key=lambda c: c.t)
    toe_offs.sort(key=lambda c: c.t)
    return landings, toe_offs
