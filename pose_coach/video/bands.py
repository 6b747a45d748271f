"""Where a form measure sits: good, watch or fault, with the source behind each band.

The sources say which way is better (land under the hip, a vertical shank, soft knees,
lean from the ankles, the free foot under the hip, quick light steps); few give a
number. Where none does, the limits below are set here, from the sources' direction
and the measurement's own tolerance (docs/form.md), and the band says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from pose_coach.video.model import (
    BOUNCE,
    BOUNCE_CM,
    CADENCE,
    FALL_ANGLE,
    FOOT_AHEAD,
    FREE_ANKLE,
    KNEE_BEND,
    SHANK,
    STANCE,
    TRUNK_LEAN,
    WAIST_BEND,
    Band,
)

SOURCES = {
    "pose-landing": (
        "Pose Method fact sheet, common faults: landing ahead of the body / overstriding, "
        "'Land under your hips' (TA Physio, Pose Running Drills; CrossFit Templum, Degree of "
        "Falling; Patriot H2F, Movement, Form, & Exercise Basics); limits set here"
    ),
    "braking": (
        "Lieberman et al. 2015, Effects of stride frequency and foot position at landing on "
        "braking force, hip torque, impact peak force and the metabolic cost of running in "
        "humans, J Exp Biol 218:3406-3414: braking grows with the foot's distance ahead of "
        "the hip and the shank's angle at landing; limits set here"
    ),
    "souza": (
        "Souza 2016, An evidence-based videotaped running biomechanics analysis, Phys Med "
        "Rehabil Clin N Am 27(1):217-236: a vertical tibia at loading response; a tibia "
        "leaning back (ankle ahead of the knee) marks overstriding; no cut-offs given"
    ),
    "soft-knees": (
        "Pose rules: keep the knees bent at all times (TA Physio, Pose Running Drills); "
        "'knees should never completely extend' (CF Endurance notes); about 21° of knee "
        "flexion at foot strike in level running (The Sport Journal, 3-D treadmill "
        "kinematics); limits set here"
    ),
    "pose-lean": (
        "Pose Method fact sheet: lean from the ankles, hips straight; bending at the waist "
        "is a fault (Paradiso CrossFit wall drills; RunRx, Using Gravity to Fall; Patriot "
        "H2F); limits set here"
    ),
    "pose-pull": (
        "Pose Method fact sheet: in the pose the free foot hangs under the hip (figure 4); "
        "a foot trailing behind is a late pull or a kick back (posemethod.com, How High to "
        "Pull Your Foot Up; Kinetic Revolution, heel lift); limits set here"
    ),
    "cadence": (
        "Pose teaching: about 180 steps/min or more (Pose Coach Blog, Cadence; Patriot H2F); "
        "Daniels counted 180-200 in Olympic runners and near 160 in beginners; contested: "
        "cadence rises with pace (Sweat Science); raise it 5-10 % from your own "
        "(Heiderscheit et al. 2011)"
    ),
    "garmin-gauges": (
        "Garmin Forerunner 945 owner's manual, Color Gauges and Running Dynamics Data "
        "(vertical oscillation: orange from 9.8 cm, red from 11.6 cm; ground contact time: "
        "orange from 278 ms, red from 309 ms; chest-strap column)"
    ),
    "garmin-leg": (
        "Garmin's vertical oscillation ranges (orange from 9.8 cm, red from 11.6 cm) over "
        "the leg of a 175 cm runner (0.491 × height, Winter's segment table): 11.4 % and "
        "13.5 % of the leg"
    ),
    "fall-angle": (
        "Romanov, Gravity, Speed and Acceleration: a fall angle of at most about 22.5° "
        "(single source); shown for context, no fault is drawn from it"
    ),
    "context": "shown for context: the sources give no band for it",
}


@dataclass(frozen=True)
class Limits:
    """good up to ``watch``; watch up to ``fault``; fault beyond. ``low``: smaller is worse."""

    watch: float
    fault: float
    source: str
    low: bool = False
    good: str = ""
    bad: str = ""


LIMITS: dict[str, Limits] = {
    FOOT_AHEAD: Limits(10, 20, "pose-landing", good="under the hip", bad="ahead of the hip"),
    SHANK: Limits(5, 10, "souza", good="shank near vertical", bad="ankle ahead of the knee"),
    KNEE_BEND: Limits(15, 10, "soft-knees", low=True, good="soft knee", bad="straight knee"),
    WAIST_BEND: Limits(5, 10, "pose-lean", good="lean in one line", bad="bent at the waist"),
    FREE_ANKLE: Limits(15, 30, "pose-pull", good="under the hip", bad="trailing behind"),
    CADENCE: Limits(170, 160, "cadence", low=True, good="quick steps", bad="slow, long steps"),
    BOUNCE: Limits(11.4, 13.5, "garmin-leg", good="low bounce", bad="bouncing"),
    BOUNCE_CM: Limits(9.8, 11.6, "garmin-gauges", good="low bounce", bad="bouncing"),
    STANCE: Limits(278, 309, "garmin-gauges", good="short contact", bad="long contact"),
}
CONTEXT = {TRUNK_LEAN: "context", FALL_ANGLE: "fall-angle"}


def band_for(measure: str, value: float) -> Band:
    """The band of ``value`` (the measure's unit); context-only measures are "info"."""
    if measure in CONTEXT:
        return Band(measure, "info", None, None, "for context", CONTEXT[measure])
    lim = LIMITS[measure]
    if lim.low:
        if value >= lim.watch:
            return Band(measure, "good", lim.watch, None, lim.good, lim.source)
        if value >= lim.fault:
            return Band(measure, "watch", lim.fault, lim.watch, "borderline", lim.source)
        return Band(measure, "fault", None, lim.fault, lim.bad, lim.source)
    if value <= lim.watch:
        return Band(measure, "good", None, lim.watch, lim.good, lim.source)
    if value <= lim.fault:
        return Band(measure, "watch", lim.watch, lim.fault, "borderline", lim.source)
    return Band(measure, "fault", lim.fault, None, lim.bad, lim.source)
