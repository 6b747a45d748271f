"""People over time: link each frame's poses into tracks, choose the runner, clean the legs.

- Linking: a pose joins the track whose last centre (mid hips and shoulders), or the
  median of its last three, is nearest, within 0.8 of a torso; otherwise it starts a new
  track. Tracks are numbered 1, 2, ... in the order they first appear (``--person N``).
- The runner: the track whose feet travel most along the line of travel relative to its
  hips (the strides themselves, in leg lengths), plus its hips' own travel; a camera
  panning with the runner changes neither, and a standing bystander scores near zero.
- Left/right swaps: the detector swaps the legs' labels when they cross. Each frame's
  legs are matched to where each leg was heading (constant velocity from the two frames
  before); when the swapped match is clearly closer, the labels are swapped back. Then
  the whole track takes the labelling the detector used most (or ``--side``: the leg
  seen more clearly is the one facing the camera).
- Lost frames: where the hips jump off their running median (the detector put the body
  somewhere else for a frame or three), the frame's landmarks are treated as missing.
- Smoothing: gaps of a few frames are filled linearly, then a centred (zero-phase)
  Savitzky-Golay filter over about 40 ms: no lag, so contacts keep their timing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from pose_coach.video.model import ANKLE, HEEL, HIP, KNEE, SHOULDER, TOE, FramePoses, Track

LEGS = {side: [HIP[side], KNEE[side], ANKLE[side], HEEL[side], TOE[side]] for side in HIP}
SEEN = 0.2  # visibility below this: the landmark is treated as missing
MAX_GAP_S = 0.25  # s: a person unseen longer than this starts a new track
SWAP_MARGIN = 0.6  # the swapped match must cost less than this share of the kept one
OUTLIER = 0.15  # share of the leg: the hips this far off their running median, a lost frame


@dataclass
class _Raw:
    index: list[int] = field(default_factory=list)
    t: list[float] = field(default_factory=list)
    poses: list[np.ndarray] = field(default_factory=list)
    centre: np.ndarray | None = None
    size: float = 0.0
    recent: list[np.ndarray] = field(default_factory=list)  # the last few centres

    def distance(self, c: np.ndarray) -> float:
        """From the last centre, or from the median of the last three when nearer: a
        frame where the detector misplaced the body does not break the track."""
        assert self.centre is not None
        d = float(np.hypot(*(c - self.centre)))
        if len(self.recent) >= 3:
            mid = np.median(np.stack(self.recent[-3:]), axis=0)
            d = min(d, float(np.hypot(*(c - mid))))
        return d


def _centre(p: np.ndarray) -> tuple[np.ndarray, float]:
    rows = [HIP["left"], HIP["right"], SHOULDER["left"], SHOULDER["right"]]
    xy = p[rows, :2]
    hips = p[[HIP["left"], HIP["right"]], :2].mean(axis=0)
    shoulders = p[[SHOULDER["left"], SHOULDER["right"]], :2].mean(axis=0)
    return xy.mean(axis=0), float(np.hypot(*(shoulders - hips))) or 1.0


class TrackBuilder:
    """Takes frames one by one (nothing but landmarks is kept), hands out tracks."""

    def __init__(self, time_scale: float = 1.0) -> None:
        self.time_scale = time_scale
        self._tracks: list[_Raw] = []
        self._last_t: list[float] = []
        self.frames = 0
        self.width = 0
        self.height = 0
        self.first_t: float | None = None

    def add(self, frame: FramePoses) -> None:
        self.frames += 1
        self.width, self.height = frame.width, frame.height
        t = frame.t * self.time_scale
        if self.first_t is None:
            self.first_t = t
        live = [k for k, last in enumerate(self._last_t) if t - last <= MAX_GAP_S and t > last]
        pairs = []
        for i, p in enumerate(frame.people):
            c, size = _centre(np.asarray(p, dtype=float))
            for k in live:
                raw = self._tracks[k]
                d = raw.distance(c)
                if d < max(raw.size, size) * 0.8:
                    pairs.append((d, i, k))
        pairs.sort()
        taken_p: set[int] = set()
        taken_t: set[int] = set()
        chosen: dict[int, int] = {}
        for _d, i, k in pairs:
            if i not in taken_p and k not in taken_t:
                chosen[i] = k
                taken_p.add(i)
                taken_t.add(k)
        for i, p in enumerate(frame.people):
            arr = np.asarray(p, dtype=np.float32)
            c, size = _centre(arr.astype(float))
            if i in chosen:
                k = chosen[i]
            else:
                self._tracks.append(_Raw())
                self._last_t.append(t)
                k = len(self._tracks) - 1
            raw = self._tracks[k]
            raw.index.append(frame.index)
            raw.t.append(t)
            raw.poses.append(arr)
            raw.centre, raw.size = c, size
            raw.recent = [*raw.recent[-2:], c]
            self._last_t[k] = t

    def tracks(self, rate: float, side: str | None = None) -> list[Track]:
        """Every person seen on at least a second's worth of frames, cleaned."""
        out = []
        t0 = self.first_t or 0.0
        for raw in self._tracks:
            if len(raw.index) < max(5, rate * 0.5):
                continue
            out.append(_clean(raw, t0, rate, side))
        out.sort(key=lambda tr: (tr.index[0], float(np.nanmedian(tr.xy[:, HIP["left"], 0]))))
        return [_renumber(tr, n) for n, tr in enumerate(out, start=1)]


def _renumber(track: Track, person: int) -> Track:
    from dataclasses import replace

    return replace(track, person=person)


def undo_swaps(xy: np.ndarray, vis: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Legs matched to where each leg was heading; (xy, vis, swapped-per-frame)."""
    xy = xy.copy()
    vis = vis.copy()
    n = len(xy)
    swapped = np.zeros(n, dtype=bool)
    left, right = LEGS["left"][1:], LEGS["right"][1:]  # knees, ankles, heels, toes
    all_l, all_r = LEGS["left"], LEGS["right"]
    for k in range(2, n):
        pred = 2 * xy[k - 1] - xy[k - 2]
        w = np.minimum(vis[k], 1.0)

        def cost(
            a: list[int], b: list[int], k: int = k, pred: np.ndarray = pred, w: np.ndarray = w
        ) -> float:
            d = np.hypot(*(xy[k, a] - pred[b]).T)
            return float(np.nansum(d * w[a]))

        keep = cost(left, left) + cost(right, right)
        swap = cost(left, right) + cost(right, left)
        if swap < keep * SWAP_MARGIN:
            xy[k, all_l + all_r] = xy[k, all_r + all_l]
            vis[k, all_l + all_r] = vis[k, all_r + all_l]
            swapped[k] = True
    return xy, vis, swapped


def _fill(series: np.ndarray, ok: np.ndarray, longest: int) -> np.ndarray:
    """Gaps of up to ``longest`` samples filled linearly; longer ones stay NaN."""
    out = np.where(ok, series, np.nan)
    idx = np.arange(len(series))
    good = np.flatnonzero(ok)
    if len(good) < 2:
        return out
    filled = np.interp(idx, good, series[good])
    # the length of the gap each sample is in
    gap_start = np.maximum.accumulate(np.where(ok, idx, -1))
    rev = np.where(ok, idx, len(series))[::-1]
    gap_end = np.minimum.accumulate(rev)[::-1]
    short = (gap_end - gap_start - 1 <= longest) & (gap_start >= 0) & (gap_end < len(series))
    return np.where(ok, series, np.where(short, filled, np.nan))


def savgol(series: np.ndarray, window: int, order: int = 2) -> np.ndarray:
    """A centred Savitzky-Golay smoothing along axis 0 (no phase shift); NaN kept."""
    if window < 3 or len(series) < window:
        return series
    half = window // 2
    x = np.arange(-half, half + 1)
    order = min(order, window - 2)
    a = np.vander(x, order + 1, increasing=True)
    coeffs = np.linalg.pinv(a)[0]
    padded = np.concatenate([series[half:0:-1], series, series[-2 : -half - 2 : -1]])
    out = np.zeros_like(series)
    for j, c in enumerate(coeffs):
        out += c * padded[j : j + len(series)]
    return np.where(np.isnan(out), series, out)


def _running_median(y: np.ndarray, width: int) -> np.ndarray:
    half = width // 2
    padded = np.concatenate([np.full(half, np.nan), y, np.full(half, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)
    out = np.full(len(y), np.nan)
    ok = (~np.isnan(windows)).any(axis=1)
    out[ok] = np.nanmedian(windows[ok], axis=1)
    return out


def drop_outlier_frames(xy: np.ndarray, vis: np.ndarray, rate: float) -> np.ndarray:
    """Visibility set to 0 on frames where the detector lost the body: the hips jump
    more than OUTLIER of the leg off their running median over about 0.2 s (the hips
    move smoothly; their bounce is under a tenth of the leg). Those frames are filled."""
    vis = vis.copy()
    hip = np.nanmean(xy[:, [HIP["left"], HIP["right"]]], axis=1)
    ankles = xy[:, [ANKLE["left"], ANKLE["right"]]]
    leg = float(np.nanmedian(np.hypot(*(ankles - hip[:, None]).transpose(2, 0, 1))))
    if not np.isfinite(leg) or leg <= 0 or len(xy) < 5:
        return vis
    width = max(5, int(0.2 * rate) | 1)
    off = np.hypot(*(hip - np.stack([_running_median(hip[:, c], width) for c in (0, 1)], 1)).T)
    vis[off > OUTLIER * leg] = 0.0
    return vis


def _clean(raw: _Raw, t0: float, rate: float, side: str | None) -> Track:
    poses = np.stack(raw.poses).astype(float)
    xy = poses[:, :, :2]
    vis = drop_outlier_frames(xy, poses[:, :, 2], rate)
    fixed_xy, fixed_vis, swapped = undo_swaps(xy, vis)
    # the labelling the detector used most (or the clearer leg faces the camera)
    if side is not None:
        near_l = fixed_vis[:, LEGS["left"]].mean()
        near_r = fixed_vis[:, LEGS["right"]].mean()
        flip = (near_l >= near_r) != (side == "left")
    else:
        flip = swapped.mean() > 0.5
    if flip:
        all_l, all_r = LEGS["left"], LEGS["right"]
        fixed_xy[:, all_l + all_r] = fixed_xy[:, all_r + all_l]
        fixed_vis[:, all_l + all_r] = fixed_vis[:, all_r + all_l]
        swapped = ~swapped
    longest = max(2, int(rate * 0.1))
    window = int(round(rate * 0.04)) | 1
    out = np.empty_like(fixed_xy)
    for j in range(fixed_xy.shape[1]):
        ok = fixed_vis[:, j] >= SEEN
        for c in range(2):
            out[:, j, c] = _fill(fixed_xy[:, j, c], ok, longest)
        out[:, j] = savgol(out[:, j], window)
    vis_out = np.where(fixed_vis >= SEEN, fixed_vis, 0.0)
    t = np.asarray(raw.t) - t0
    index = np.asarray(raw.index)
    # frames with neither hip known (lost, and not filled): the person is not seen there
    seen = ~np.isnan(out[:, [HIP["left"], HIP["right"]], 0]).all(axis=1)
    out, vis_out, t, index, swapped = out[seen], vis_out[seen], t[seen], index[seen], swapped[seen]
    leg = leg_length(out, vis_out)
    direction = _direction(out, leg)
    return Track(
        person=0,
        index=index,
        t=t,
        xy=out,
        vis=vis_out,
        direction=direction,
        leg_length=leg,
        swaps=int(np.count_nonzero(np.diff(swapped.astype(int)) == 1)),
        travel=_travel(out, leg, direction),
    )


def leg_length(xy: np.ndarray, vis: np.ndarray) -> float:
    """px: median hip-knee plus median knee-ankle, over both legs' clear frames."""
    lengths = []
    for side in ("left", "right"):
        for a, b in ((HIP[side], KNEE[side]), (KNEE[side], ANKLE[side])):
            ok = (vis[:, a] > 0.5) & (vis[:, b] > 0.5)
            if ok.sum() >= 3:
                d = np.hypot(*(xy[ok, a] - xy[ok, b]).T)
                lengths.append((side, float(np.median(d))))
    by_side: dict[str, float] = {}
    for s, d in lengths:
        by_side[s] = by_side.get(s, 0.0) + d
    legs = [v for s, v in by_side.items() if sum(1 for x, _ in lengths if x == s) == 2]
    return float(np.mean(legs)) if legs else float("nan")


def hips(xy: np.ndarray) -> np.ndarray:
    """(N, 2) the mid-hip."""
    return np.asarray(np.nanmean(xy[:, [HIP["left"], HIP["right"]]], axis=1))


def _direction(xy: np.ndarray, leg: float) -> int:
    """+1 running towards +x: from the hips' travel, else from where the toes point."""
    h = hips(xy)[:, 0]
    good = h[~np.isnan(h)]
    if len(good) > 1 and abs(good[-1] - good[0]) > 2 * leg:
        return 1 if good[-1] > good[0] else -1
    toes = xy[:, [TOE["left"], TOE["right"]], 0] - xy[:, [HEEL["left"], HEEL["right"]], 0]
    return 1 if np.nanmedian(toes) >= 0 else -1


def _travel(xy: np.ndarray, leg: float, direction: int) -> float:
    """Leg lengths of motion along the line of travel: the feet against the hips, plus the
    hips' own travel."""
    if not np.isfinite(leg) or leg <= 0:
        return 0.0
    h = hips(xy)[:, 0]
    total = 0.0
    for side in ("left", "right"):
        rel = xy[:, ANKLE[side], 0] - h
        total += float(np.nansum(np.abs(np.diff(rel))))
    good = h[~np.isnan(h)]
    if len(good) > 1:
        total += abs(float(good[-1] - good[0]))
    return total / leg


def choose_runner(tracks: Iterable[Track], person: int | None) -> Track:
    """The runner, or the track ``person`` names. Raises NoPersonError."""
    from pose_coach.video.errors import NoPersonError

    found = list(tracks)
    if not found:
        raise NoPersonError(
            "no person found in the clip",
            "film the whole body, side-on, in good light (`pose-coach form --guide`)",
        )
    if person is not None:
        for tr in found:
            if tr.person == person:
                return tr
        raise NoPersonError(
            f"no person {person} in the clip (people found: {len(found)})",
            "`pose-coach form --check VIDEO` lists the people found",
        )
    return max(found, key=lambda tr: tr.travel)


def side_on_ratio(track: Track) -> float:
    """How far apart left and right hips and shoulders are across the frame, against the
    torso: near 0 side-on, about 0.6 facing the camera."""
    rows = [(HIP["left"], HIP["right"]), (SHOULDER["left"], SHOULDER["right"])]
    hip_mid = hips(track.xy)
    sh = np.nanmean(track.xy[:, [SHOULDER["left"], SHOULDER["right"]]], axis=1)
    torso = np.hypot(*(sh - hip_mid).T)
    ratios = [np.abs(track.xy[:, a, 0] - track.xy[:, b, 0]) / torso for a, b in rows]
    return float(np.nanmedian(np.mean(ratios, axis=0)))


def near_side(track: Track) -> str:
    """The runner's side facing the camera: the leg seen more clearly."""
    left = float(track.vis[:, LEGS["left"]].mean())
    right = float(track.vis[:, LEGS["right"]].mean())
    return "left" if left >= right else "right"
