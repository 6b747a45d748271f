"""What the numbers may say about Pose form: each finding a proxy, with its evidence.

A watch cannot see a runner's posture; it measures timing and bounce. Each rule below
turns a measure into a fault id of the drill library's fault index, says what the
measure stands for and what it does not, and cites where the threshold comes from. None
of them is a diagnosis of injury, and the report says so.

- Cadence below the runner's own baseline at the same pace (by ``CADENCE_DROP`` or
  more), or, with no baseline yet, in Garmin's orange or red range → ``low-cadence``,
  with a metronome 5 % above this run's cadence ([step-rate], [achilles]).
- Ground contact time in Garmin's orange or red range, or ``STANCE_RISE`` above the
  baseline at the same pace → ``long-contact``.
- Vertical ratio in the orange or red range (vertical oscillation when there is no
  ratio) → ``bouncing``.
- Ground contact balance further from 50/50 than 51/49 → ``imbalance``, single-leg work
  for the side with the longer contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pose_coach.activity.bands import Band, band_for, shown
from pose_coach.activity.baseline import Baseline
from pose_coach.activity.model import BALANCE, CADENCE, INFO, STANCE, VERTICAL_OSC, VERTICAL_RATIO
from pose_coach.words import plural

CADENCE_DROP = 3.0  # steps/min below the baseline: more than a watch's rounding
STANCE_RISE = 0.05  # share above the baseline
METRONOME_STEP = 0.05  # +5 %: the smallest step the studies below tested
BALANCE_LIMIT = 51.0  # % on one side

EVIDENCE = {
    "step-rate": (
        "Heiderscheit et al. 2011, Effects of step rate manipulation on joint mechanics "
        "during running (MSSE): +5-10 % above a runner's own step rate reduced knee energy "
        "absorption, step length, vertical bounce and braking"
    ),
    "achilles": (
        "Lyght et al. 2016, Effects of foot strike and step frequency on Achilles tendon "
        "stress during running: +5 % step rate lowered peak Achilles stress"
    ),
    "pace": (
        "Sweat Science, The problem with 180 strides per minute: cadence rises with pace "
        "(one runner: 164-188 across paces), so compare at the same pace"
    ),
    "pose-cadence": (
        "Pose coaching on low cadence and bouncing ('quicker, shorter, quieter steps'): "
        "Blue Water Multisport, Do you also run slower than you walk? "
        "https://www.bluewatermultisport.com/do-you-also-run-slower-than-you-walk/ ; Pose Coach "
        "Blog, Cadence, http://www.posecoachblog.com/2010/02/cadence.html ; Patriot H2F, "
        "Movement, Form, & Exercise Basics, https://patrioth2f.com/physical/movement-form-"
        "exercise-basics"
    ),
    "pose-pull": (
        "Pose coaching on a late pull ('pull as soon as you land'): posemethod.com, How High to "
        "Pull Your Foot Up When Running? https://posemethod.com/how-high-to-pull-your-foot-up-"
        "when-running/ ; Blue Water Multisport, https://www.bluewatermultisport.com/do-you-also-"
        "run-slower-than-you-walk/"
    ),
}


@dataclass(frozen=True)
class Finding:
    fault: str  # a fault id of the library's fault index
    measure: str
    message: str  # what the numbers show
    proxy: str  # what the measure stands for, and what it is not
    evidence: tuple[str, ...]  # keys of EVIDENCE or bands.SOURCES
    side: str | None = None  # for imbalance: the side to work first
    metronome_spm: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "measure": INFO[self.measure].json,
            "message": self.message,
            "proxy": self.proxy,
            "evidence": list(self.evidence),
            "side": self.side,
            "metronome_spm": self.metronome_spm,
        }


def _text(measure: str, value: float) -> str:
    info = INFO[measure]
    return f"{shown(measure, value):.{info.digits}f} {info.unit}"


def pace_text(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def _band_words(band: Band) -> str:
    return f"Garmin's {band.colour} range ({band.meaning})"


def find_faults(
    values: dict[str, float | None], pace: float | None, baseline: Baseline | None
) -> list[Finding]:
    """The findings for a run's main-part medians, at its main pace."""
    found: list[Finding] = []
    at = f" at {pace_text(pace)}/km" if pace else ""
    cadence = values.get(CADENCE)
    if cadence is not None:
        usual = baseline.values.get(CADENCE) if baseline else None
        band = band_for(CADENCE, cadence)
        message = None
        if baseline is not None and usual is not None and cadence <= usual - CADENCE_DROP:
            runs = plural(baseline.runs, "earlier run")
            message = (
                f"Cadence {_text(CADENCE, cadence)}{at} is {usual - cadence:.0f} below your "
                f"usual {usual:.0f} at this pace ({baseline.kilometres} km from {runs} on "
                "this device)"
            )
        elif usual is None and band is not None and band.colour in ("orange", "red"):
            message = (
                f"Cadence {_text(CADENCE, cadence)}{at} is in {_band_words(band)}, which pools "
                "all paces (cadence falls as pace slows); there are no earlier runs at this "
                "pace on this device to compare with yet"
            )
        if message:
            found.append(
                Finding(
                    fault="low-cadence",
                    measure=CADENCE,
                    message=message,
                    proxy=(
                        "Fewer, longer steps for the pace tend to land ahead of the body "
                        "(overstriding); Pose teaching wants quick, light steps with the foot "
                        "pulled up under the hip. Raise it in small steps: the calves and "
                        "Achilles take more of the load at first."
                    ),
                    evidence=("step-rate", "achilles", "pace", "pose-cadence", "garmin-gauges"),
                    metronome_spm=round(cadence * (1 + METRONOME_STEP)),
                )
            )
    stance = values.get(STANCE)
    if stance is not None:
        band = band_for(STANCE, stance)
        usual = baseline.values.get(STANCE) if baseline else None
        message = None
        if band is not None and band.colour in ("orange", "red"):
            message = f"Ground contact {_text(STANCE, stance)}{at} is in {_band_words(band)}"
        elif usual is not None and stance >= usual * (1 + STANCE_RISE):
            message = (
                f"Ground contact {_text(STANCE, stance)}{at} is {stance - usual:.0f} ms longer "
                f"than your usual {usual:.0f} ms at this pace"
            )
        if message:
            found.append(
                Finding(
                    fault="long-contact",
                    measure=STANCE,
                    message=message,
                    proxy=(
                        "Long contact is a proxy for a late pull: the foot stays down while "
                        "the body passes over it, instead of being pulled up as soon as it "
                        "lands. Contact also lengthens on slow, tired or hilly kilometres."
                    ),
                    evidence=("pose-pull", "garmin-gauges"),
                )
            )
    ratio, oscillation = values.get(VERTICAL_RATIO), values.get(VERTICAL_OSC)
    bounce_measure, bounce = (
        (VERTICAL_RATIO, ratio) if ratio is not None else (VERTICAL_OSC, oscillation)
    )
    if bounce is not None:
        band = band_for(bounce_measure, bounce)
        if band is not None and band.colour in ("orange", "red"):
            name = "Vertical ratio" if bounce_measure == VERTICAL_RATIO else "Vertical oscillation"
            found.append(
                Finding(
                    fault="bouncing",
                    measure=bounce_measure,
                    message=f"{name} {_text(bounce_measure, bounce)}{at} is in {_band_words(band)}",
                    proxy=(
                        "Much rise for each step's travel: effort going up rather than "
                        "forward, often with a push-off. Pose teaching wants low, quiet "
                        "steps, falling forward rather than jumping up. Taller runners "
                        "bounce more in centimetres; the ratio allows for step length."
                    ),
                    evidence=("pose-cadence", "step-rate", "garmin-gauges"),
                )
            )
    balance = values.get(BALANCE)
    if balance is not None:
        left = shown(BALANCE, balance)
        if left > BALANCE_LIMIT or left < 100 - BALANCE_LIMIT:
            side = "left" if left > 50 else "right"
            found.append(
                Finding(
                    fault="imbalance",
                    measure=BALANCE,
                    message=(
                        f"Ground contact balance {left:.1f} % left / {100 - left:.1f} % right"
                        f"{at}: the {side} foot stays down longer, beyond 51/49"
                    ),
                    proxy=(
                        "Uneven contact times are a proxy for the two legs not sharing the "
                        f"work alike; single-leg drills start on the {side} side, the one "
                        "with the longer contact. Hills tilt the balance too. It is not a "
                        "sign of injury by itself: if one side hurts, see a clinician."
                    ),
                    evidence=("garmin-balance",),
                    side=side,
                )
            )
    return found
