"""Measures in the fault band → fault ids of the library's fault index → drills.

The drills come from ``library.faults.drills_for_fault``, the same index ``pose-coach
run`` uses, so a drill tagged once is prescribed here too: landing ahead of the hip
(``overstriding``) → the pull and change-of-support drills; bending at the waist →
wall fall and timber fall; and so on. Each prescription has ready-to-run commands.
"""

from __future__ import annotations

from collections.abc import Mapping

from pose_coach.library.model import Entry, Phase
from pose_coach.video.bands import band_for
from pose_coach.video.model import (
    BOUNCE,
    BOUNCE_CM,
    CADENCE,
    FOOT_AHEAD,
    FREE_ANKLE,
    INFO,
    KNEE_BEND,
    SHANK,
    STANCE,
    WAIST_BEND,
    DrillChoice,
    Fault,
    FormMeasures,
    Prescription,
)

FAULT_OF = {
    FOOT_AHEAD: "overstriding",
    SHANK: "overstriding",
    KNEE_BEND: "stiff-landing",
    WAIST_BEND: "bending-at-waist",
    FREE_ANKLE: "kicking-back",
    CADENCE: "low-cadence",
    BOUNCE_CM: "bouncing",
    BOUNCE: "bouncing",
    STANCE: "long-contact",
}
MAX_DRILLS = 3
METRONOME_STEP = 0.05


def _worst(measures: FormMeasures, key: str, side: str | None) -> int:
    low = key in (KNEE_BEND, CADENCE)
    strides = [s for s in measures.strides if key in s.values and (side is None or s.foot == side)]
    pick = min if low else max
    return pick(strides, key=lambda s: s.values[key].value).number if strides else 0


def find_faults(measures: FormMeasures) -> list[Fault]:
    """One fault per fault id, from the first measure (in FAULT_OF order) that shows it:
    the median of both feet, else of one foot alone."""
    found: dict[str, Fault] = {}
    for key, fault_id in FAULT_OF.items():
        if fault_id in found:
            continue
        for side, medians in (
            (None, measures.both),
            ("left", measures.left),
            ("right", measures.right),
        ):
            summary = medians.get(key)
            if summary is None:
                continue
            band = band_for(key, summary.value)
            if band.level != "fault":
                continue
            info = INFO[key]
            where = f" ({side} foot)" if side else ""
            found[fault_id] = Fault(
                fault=fault_id,
                measure=key,
                side=side,
                value=summary.value,
                band=band,
                message=(
                    f"{info.title}{where}: {summary.value:.{info.digits}f} {info.unit} "
                    f"(median of {summary.strides} strides), {band.meaning}"
                ),
                evidence=(band.source,),
                worst_stride=_worst(measures, key, side),
            )
            break
    return list(found.values())


def prescribe(
    faults: list[Fault], entries: Mapping[str, Entry], cadence: float | None
) -> list[Prescription]:
    """Drills for each fault from the library's fault index, best first."""
    from pose_coach.library.faults import FAULTS, drills_for_fault

    out = []
    for fault in faults:
        drills = list(drills_for_fault(entries, fault.fault))
        note = None
        extra = ""
        if fault.fault == "low-cadence":
            drills = [d for d in drills if d.phase is Phase.PULL] or drills
            if cadence:
                spm = round(cadence * (1 + METRONOME_STEP))
                extra = f" --cadence {spm}"
                note = f"metronome at {spm} steps/min, 5 % above this clip"
        chosen = drills[:MAX_DRILLS]
        if not chosen:
            note = "no drill in the library lists this fault yet"
        out.append(
            Prescription(
                fault=fault.fault,
                label=FAULTS.get(fault.fault, fault.fault),
                drills=tuple(DrillChoice(d.id, d.title, d.phase.value) for d in chosen),
                commands=tuple(f"pose-coach drill {d.id}{extra}" for d in chosen),
                note=note,
            )
        )
    return out
