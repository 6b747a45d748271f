"""The fault index: the form faults a Pose coach corrects, and the drills that correct each.

A drill declares the faults it corrects with ``corrects: [id, ...]`` (its main target
first) and may tag each of its ``faults`` items with ``id:``. Everything that prescribes a
drill from what it saw (the watch-file feedback, the video form check, ``pose-coach
faults``) asks this module, so one drill file tagged once is prescribed everywhere.

The ids and labels follow the cross-drill fault table of the fact sheet (bending at the
waist, pushing off, late pull, overstriding, heel strike, toe running, flicking the foot
back, actively pushing the foot down, looking down, low cadence, bouncing, tense foot),
plus the measures a watch or a video gives (ground contact time, left/right balance,
knee bend at landing, no lean).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from types import MappingProxyType

from pose_coach.library.model import Drill, Entry

FAULTS: Mapping[str, str] = MappingProxyType(
    {
        "overstriding": "Foot lands ahead of the hip",
        "heel-strike": "Heel meets the ground first",
        "bending-at-waist": "Bending at the waist, hips pushed back",
        "no-lean": "Running upright, no fall from the ankles",
        "pushing-off": "Pushing off the ground instead of pulling",
        "late-pull": "Support foot lingers on the ground before the pull",
        "low-cadence": "Too few steps per minute",
        "long-contact": "Long ground contact (stance) time",
        "bouncing": "Bouncing up and down (high vertical oscillation)",
        "imbalance": "Left and right legs work differently",
        "kicking-back": "Free foot swings back behind instead of up under the hip",
        "high-knees": "Knee driven up or foot pulled higher than needed",
        "active-landing": "Pushing the foot down into the landing",
        "stiff-landing": "Landing on a straight, locked knee",
        "toe-running": "Staying up on the toes, heel never touching",
        "looking-down": "Looking down at the ground",
        "tense-foot": "Tense ankle and foot in the air",
    }
)

_LEVEL_ORDER = {"beginner": 0, "intermediate": 1, "advanced": 2}


def suggest_fault(fault_id: str) -> str | None:
    """The canonical id closest to a misspelt one, or None."""
    close = difflib.get_close_matches(fault_id, list(FAULTS), n=1, cutoff=0.6)
    return close[0] if close else None


def unknown_fault_message(fault_id: str) -> str:
    """``unknown fault 'overstride'; did you mean 'overstriding'?`` (or the way to list them)."""
    from pose_coach.errors import printable

    close = suggest_fault(fault_id)
    tip = f"; did you mean {close!r}?" if close else "; `pose-coach faults` lists them"
    return f"unknown fault {printable(fault_id)!r}{tip}"


def corrected_faults(drill: Drill) -> tuple[str, ...]:
    """The fault ids a drill corrects, its main target first: its ``corrects`` list, then
    the ids tagged on its ``faults`` items that the list does not name."""
    tagged = (f.id for f in drill.faults if f.id)
    return tuple(dict.fromkeys((*drill.corrects, *tagged)))


def _rank(drill: Drill, fault_id: str) -> tuple[int, int, int, int, str]:
    """Best first: a drill that names the fault earlier in its list (its main target
    before a side benefit), declared in ``corrects`` before only tagged, one described
    by several sources before one with ``evidence`` flagged, then the easier level, then
    the id, so the order never depends on file order."""
    order = corrected_faults(drill)
    declared = 0 if fault_id in drill.corrects else 1
    flagged = 0 if drill.evidence is None else 1
    level = _LEVEL_ORDER.get(drill.level or "", len(_LEVEL_ORDER))
    return (order.index(fault_id), declared, flagged, level, drill.id)


def _drills(entries: Mapping[str, Entry]) -> list[Drill]:
    return [e for e in entries.values() if isinstance(e, Drill)]


def fault_index(entries: Mapping[str, Entry]) -> dict[str, tuple[str, ...]]:
    """Every canonical fault id (in ``FAULTS`` order) → ids of the drills that correct it,
    best first. A fault no drill corrects maps to an empty tuple."""
    drills = _drills(entries)
    index: dict[str, tuple[str, ...]] = {}
    for fault_id in FAULTS:
        correcting = [d for d in drills if fault_id in corrected_faults(d)]
        correcting.sort(key=lambda d: _rank(d, fault_id))
        index[fault_id] = tuple(d.id for d in correcting)
    return index


def drills_for_fault(entries: Mapping[str, Entry], fault_id: str) -> tuple[Drill, ...]:
    """The drills that correct ``fault_id``, best first.

    Raises UnknownFaultError (exit 2, with "did you mean") for an id not in ``FAULTS``.
    """
    if fault_id not in FAULTS:
        from pose_coach.errors import UnknownFaultError

        raise UnknownFaultError(unknown_fault_message(fault_id), "see `pose-coach faults`")
    drills = [d for d in _drills(entries) if fault_id in corrected_faults(d)]
    drills.sort(key=lambda d: _rank(d, fault_id))
    return tuple(drills)


def fault_fix(drill: Drill, fault_id: str) -> str | None:
    """The drill's own fix text for a canonical fault, when one of its faults is tagged."""
    return next((f.fix for f in drill.faults if f.id == fault_id), None)
