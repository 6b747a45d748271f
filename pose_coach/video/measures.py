"""Per-stride measures and their medians, left and right apart (units: model.py).

Landing measures (foot ahead of the hip, shank angle, knee bend) are read from the
first frames of the stance, fitted with a line and taken at the landing's own time,
so they do not depend on which frame happened to follow the contact. Pose measures
(trunk lean, waist bend, free ankle) are taken where the hip passes over the support
ankle, between frames. Stance time and the fall angle need TOE_OFF_FPS.
"""

from __future__ import annotations

import math

import numpy as np

from pose_coach.video.model import (
    ANKLE,
    BOUNCE,
    BOUNCE_CM,
    CADENCE,
    FALL_ANGLE,
    FOOT_AHEAD,
    FREE_ANKLE,
    HIP,
    INFO,
    KNEE,
    KNEE_BEND,
    SHANK,
    SHOULDER,
    STANCE,
    TOE,
    TOE_OFF_FPS,
    TRUNK_LEAN,
    WAIST_BEND,
    Contact,
    FormMeasures,
    Measure,
    StrideMeasures,
    Summary,
    Track,
)

LANDING_FIT_S = 0.07  # s of early stance fitted for the landing measures
LEG_OF_HEIGHT = 0.491  # thigh + shank as a share of height (Winter's segment table)


def _other(foot: str) -> str:
    return "right" if foot == "left" else "left"


class _Reader:
    """Positions of a track in the runner's frame: forward along travel, up."""

    def __init__(self, track: Track) -> None:
        self.tr = track
        self.fwd = track.xy[..., 0] * track.direction  # (N, 33)
        self.up = -track.xy[..., 1]
        self.hip_f = np.nanmean(self.fwd[:, [HIP["left"], HIP["right"]]], axis=1)
        self.hip_u = np.nanmean(self.up[:, [HIP["left"], HIP["right"]]], axis=1)
        self.sh_f = np.nanmean(self.fwd[:, [SHOULDER["left"], SHOULDER["right"]]], axis=1)
        self.sh_u = np.nanmean(self.up[:, [SHOULDER["left"], SHOULDER["right"]]], axis=1)
        self.row = {int(i): r for r, i in enumerate(track.index)}

    def at(self, series: np.ndarray, t: float) -> float:
        return float(np.interp(t, self.tr.t, series))

    def conf(self, rows: list[int], r0: int, r1: int) -> float:
        part = self.tr.vis[r0 : r1 + 1, rows]
        return float(part.mean(axis=0).min()) if part.size else 0.0

    def fit_at(self, series: np.ndarray, r0: int, t: float, rate: float) -> float:
        """A line through the samples from row r0 over LANDING_FIT_S, taken at t."""
        r1 = min(len(series) - 1, r0 + max(1, int(round(LANDING_FIT_S * rate))))
        ts, ys = self.tr.t[r0 : r1 + 1], series[r0 : r1 + 1]
        ok = ~np.isnan(ys)
        if ok.sum() < 2:
            return float(ys[ok][0]) if ok.any() else float("nan")
        slope, icept = np.polyfit(ts[ok], ys[ok], 1)
        return float(slope * t + icept)


def _angle(dx: np.ndarray, du: np.ndarray) -> np.ndarray:
    """Degrees from the vertical of a segment whose upper end is (dx, du) from its lower
    end: positive leaning forward."""
    return np.degrees(np.arctan2(dx, du))


def stride_measures(
    track: Track,
    landings: list[Contact],
    toe_offs: list[Contact],
    rate: float,
    height_cm: float | None = None,
) -> list[StrideMeasures]:
    """One StrideMeasures per landing followed by the other foot's and then its own."""
    rd = _Reader(track)
    leg = track.leg_length
    out: list[StrideMeasures] = []
    timed = rate >= TOE_OFF_FPS
    for i, land in enumerate(landings):
        nxt_same = next((c for c in landings[i + 1 :] if c.foot == land.foot), None)
        nxt_other = next((c for c in landings[i + 1 :] if c.foot != land.foot), None)
        if nxt_same is None or nxt_other is None or nxt_other.t > nxt_same.t:
            continue
        if not 0.3 <= nxt_same.t - land.t <= 2.5:
            continue
        f = land.foot
        r0 = rd.row[land.index]
        r_other = rd.row[nxt_other.index]
        ank = ANKLE[f]
        values: dict[str, Measure] = {}
        # landing
        rel = (rd.fwd[:, ank] - rd.hip_f) / leg * 100
        leg_rows = [HIP["left"], HIP["right"], ank]
        c_land = rd.conf(leg_rows, r0, r0 + 2)
        values[FOOT_AHEAD] = Measure(rd.fit_at(rel, r0, land.t, rate), "% leg", c_land)
        kf, ku = rd.fwd[:, KNEE[f]], rd.up[:, KNEE[f]]
        shank = _angle(kf - rd.fwd[:, ank], ku - rd.up[:, ank])
        shank = -shank  # positive with the ankle ahead of the knee
        c_knee = rd.conf([HIP[f], KNEE[f], ank], r0, r0 + 2)
        values[SHANK] = Measure(rd.fit_at(shank, r0, land.t, rate), "°", c_knee)
        thigh_up = _angle(rd.fwd[:, HIP[f]] - kf, rd.up[:, HIP[f]] - ku)  # knee → hip
        bend = np.abs(-shank - thigh_up)  # 0 with the thigh in line with the shank
        values[KNEE_BEND] = Measure(rd.fit_at(bend, r0, land.t, rate), "°", c_knee)
        # the pose moment: the hip passes over the support ankle
        toe_off = next((c for c in toe_offs if c.foot == f and land.t < c.t < nxt_same.t), None)
        r_stance_end = rd.row[toe_off.index] if toe_off else r_other
        t_pose = land.t
        for r in range(r0, r_stance_end + 1):
            if rel[r] <= 0:
                if r > r0 and rel[r - 1] > 0:
                    a, b = rel[r - 1], rel[r]
                    t_pose = float(track.t[r - 1] + (track.t[r] - track.t[r - 1]) * a / (a - b))
                else:
                    t_pose = float(track.t[r])
                break
        # the pose frame: nearest the pose moment, never before the landing's frame nor
        # after the other foot's landing
        pose_row = track.row_of(int(round(float(np.interp(t_pose, track.t, track.index)))))
        pose_row = min(max(pose_row, r0), max(r0, r_other - 1))
        trunk = _angle(rd.sh_f - rd.hip_f, rd.sh_u - rd.hip_u)
        support = _angle(rd.hip_f - rd.fwd[:, ank], rd.hip_u - rd.up[:, ank])
        c_trunk = rd.conf([SHOULDER["left"], SHOULDER["right"], HIP["left"]], pose_row, pose_row)
        lean = rd.at(trunk, t_pose)
        values[TRUNK_LEAN] = Measure(lean, "°", c_trunk)
        values[WAIST_BEND] = Measure(lean - rd.at(support, t_pose), "°", min(c_trunk, c_land))
        free = ANKLE[_other(f)]
        behind = (rd.hip_f - rd.fwd[:, free]) / leg * 100
        c_free = rd.conf([free], pose_row, pose_row)
        values[FREE_ANKLE] = Measure(rd.at(behind, t_pose), "% leg", c_free)
        values[CADENCE] = Measure(120.0 / (nxt_same.t - land.t), "spm", 1.0)
        # the step's bounce: the hip's rise and fall from this landing to the next, peak to
        # peak of one wave fitted over the step (jitter of a few pixels averages out)
        hu = rd.hip_u[r0 : r_other + 1]
        if len(hu) >= 3 and not np.isnan(hu).any():
            bounce = _wave(track.t[r0 : r_other + 1], hu, nxt_other.t - land.t) / leg * 100
            c_hip = rd.conf([HIP["left"], HIP["right"]], r0, r_other)
            values[BOUNCE] = Measure(bounce, "% leg", c_hip)
            if height_cm:
                values[BOUNCE_CM] = Measure(bounce / 100 * LEG_OF_HEIGHT * height_cm, "cm", c_hip)
        if toe_off is not None and timed:
            values[STANCE] = Measure((toe_off.t - land.t) * 1000, "ms", c_land)
            toe = TOE[f]
            r_to = rd.row[toe_off.index]
            toe_f, toe_u = rd.fwd[r_to, toe], rd.up[r_to, toe]
            fall = math.degrees(
                math.atan2(rd.at(rd.hip_f, toe_off.t) - toe_f, rd.at(rd.hip_u, toe_off.t) - toe_u)
            )
            values[FALL_ANGLE] = Measure(fall, "°", rd.conf([toe, HIP[f]], r_to, r_to))
        if toe_off is not None:
            end_index, end_measured = toe_off.index, timed
        else:
            guess = land.t + 0.35 * (nxt_same.t - land.t)
            end_index = int(track.index[int(np.argmin(np.abs(track.t - guess)))])
            end_measured = False
        # the end of stance comes after the landing and not before the pose frame
        end_index = max(end_index, int(track.index[pose_row]), land.index + 1)
        out.append(
            StrideMeasures(
                number=len(out) + 1,
                foot=f,
                landing=land,
                next_landing=nxt_same,
                pose_index=int(track.index[pose_row]),
                end_index=end_index,
                end_measured=end_measured and timed,
                toe_off=toe_off if timed else None,
                values=values,
            )
        )
    return out


def _wave(t: np.ndarray, y: np.ndarray, period: float) -> float:
    """Peak to peak of the wave of ``period`` fitted (with a level and a drift) to y;
    with fewer than 5 samples, the highest minus the lowest."""
    if len(y) < 5 or period <= 0:
        return _peak(y, True) - _peak(y, False)
    phase = 2 * np.pi * (t - t[0]) / period
    design = np.column_stack([np.ones_like(t), t - t[0], np.cos(phase), np.sin(phase)])
    coef = np.linalg.lstsq(design, y, rcond=None)[0]
    return float(2 * np.hypot(coef[2], coef[3]))


def _peak(y: np.ndarray, highest: bool) -> float:
    """The extreme of y, refined by a parabola through it and its neighbours."""
    k = int(np.argmax(y) if highest else np.argmin(y))
    if 0 < k < len(y) - 1:
        a, b, c = y[k - 1], y[k], y[k + 1]
        denom = a - 2 * b + c
        if denom != 0:
            return float(b - (a - c) ** 2 / (8 * denom))
    return float(y[k])


def summarise(strides: list[StrideMeasures], foot: str | None) -> dict[str, Summary]:
    chosen = [s for s in strides if foot is None or s.foot == foot]
    out: dict[str, Summary] = {}
    for key in INFO:
        ms = [s.values[key] for s in chosen if key in s.values]
        vals = np.array([m.value for m in ms if math.isfinite(m.value)])
        if len(vals) == 0:
            continue
        out[key] = Summary(
            value=float(np.median(vals)),
            unit=INFO[key].unit,
            confidence=float(np.median([m.confidence for m in ms])),
            strides=len(vals),
            low=float(np.percentile(vals, 25)),
            high=float(np.percentile(vals, 75)),
        )
    return out


def form_measures(
    strides: list[StrideMeasures],
    landings: list[Contact],
    rate: float,
    height_cm: float | None,
) -> FormMeasures:
    steps = [
        60.0 / (b.t - a.t)
        for a, b in zip(landings[:-1], landings[1:], strict=True)
        if a.foot != b.foot and 0.15 <= b.t - a.t <= 1.2
    ]
    cadence = None
    if steps:
        arr = np.array(steps)
        cadence = Summary(
            float(np.median(arr)),
            "spm",
            1.0,
            len(arr),
            float(np.percentile(arr, 25)),
            float(np.percentile(arr, 75)),
        )
    not_measured: dict[str, str] = {}
    if rate < TOE_OFF_FPS:
        why = (
            f"needs {TOE_OFF_FPS:.0f} frames/s or more (this clip: {rate:.0f}); below that "
            "toe-off is timed 50-100 ms off"
        )
        not_measured[STANCE] = why
        not_measured[FALL_ANGLE] = why
    if not height_cm:
        not_measured[BOUNCE_CM] = "needs the runner's height (the bounce is in % of the leg)"
    return FormMeasures(
        strides=tuple(strides),
        both=summarise(strides, None),
        left=summarise(strides, "left"),
        right=summarise(strides, "right"),
        cadence=cadence,
        not_measured=not_measured,
        rate=rate,
    )
