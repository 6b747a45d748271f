"""Drills and routines as data (for ``--json``) and as readable lines (for ``show``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pose_coach import words
from pose_coach.library.faults import FAULTS, corrected_faults, drills_for_fault, fault_fix
from pose_coach.library.model import Drill, Entry, ItemKind, Routine, RoutineItem
from pose_coach.timeline import Dose, Timeline, compile_timeline


def _default_session(entry: Entry, library: Mapping[str, Entry]) -> Timeline:
    """The session at the default dose, without the lead-in."""
    return compile_timeline(entry, library, Dose(lead_in=0))


def entry_seconds(entry: Entry, library: Mapping[str, Entry]) -> float:
    """Total session time at the default dose, without the lead-in."""
    if isinstance(entry, Drill):  # what its timeline would total, without compiling it
        return entry.seconds
    return _default_session(entry, library).total


def summary_dict(entry: Entry, library: Mapping[str, Entry]) -> dict[str, Any]:
    """One row of ``pose-coach list --json``."""
    if isinstance(entry, Drill):  # 10,000 drills list in well under a second
        phases: tuple[str, ...] = (entry.phase.value,)
        seconds = entry.seconds
    else:
        session = _default_session(entry, library)
        phases = session.phases  # a routine's phases in order of first use
        seconds = session.total
    return {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "phase": phases[0] if len(phases) == 1 else "mixed",
        "phases": list(phases),
        "seconds": json_number(seconds),
        "level": entry.level if isinstance(entry, Drill) else None,
        "source": entry.source,
        "shadows": entry.shadows,
    }


def json_number(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 3)


def detail_dict(
    entry: Entry, library: Mapping[str, Entry], runner: tuple[int, str] | None = None
) -> dict[str, Any]:
    """Everything ``show --json`` prints. ``runner``: (steps per minute, source) of the
    runner's cadence that relative steps count from (default: 180, ``default``)."""
    from pose_coach.library.cadence import DEFAULT_CADENCE, changed_cadence

    spm, source = runner or (DEFAULT_CADENCE, "default")
    out = summary_dict(entry, library)
    out["summary"] = entry.summary
    if isinstance(entry, Drill):
        relative = any(s.cadence_change is not None for s in entry.steps)
        out.update(
            {
                "sets": entry.sets,
                "rest": json_number(entry.rest),
                "equipment": list(entry.equipment),
                "steps": [
                    {
                        k: v
                        for k, v in {
                            "cue": s.cue,
                            "seconds": json_number(s.seconds),
                            "say": s.say,
                            "checkpoint": s.checkpoint or None,
                            "side": s.side.value if s.side else None,
                            "cadence": (
                                changed_cadence(spm, s.cadence_change)
                                if s.cadence_change is not None
                                else s.cadence
                            ),
                            "cadence_change": s.cadence_change,
                            "until": "key" if s.until_key else None,
                        }.items()
                        if v is not None
                    }
                    for s in entry.steps
                ],
                "checkpoints": list(entry.checkpoints),
                "faults": [{"fault": f.fault, "fix": f.fix} for f in entry.faults],
                "corrects": [
                    {"id": fault_id, "label": FAULTS[fault_id], "fix": fault_fix(entry, fault_id)}
                    for fault_id in corrected_faults(entry)
                ],
                "safety": list(entry.safety),
                "sources": list(entry.sources),
                "figure": entry.figure_name,
                "evidence": entry.evidence.value if entry.evidence else None,
            }
        )
        if relative:
            out["runner_cadence"] = {"spm": spm, "source": source}
    else:
        out["items"] = [_item_dict(it) for it in entry.items]
    return out


def _item_dict(item: RoutineItem) -> dict[str, Any]:
    if item.kind is ItemKind.REST:
        return {"rest": json_number(item.seconds), **({"cue": item.cue} if item.cue else {})}
    out: dict[str, Any] = {item.kind.value: item.ref}
    for key in ("sets", "rest"):
        if getattr(item, key) is not None:
            out[key] = json_number(getattr(item, key))
    if item.seconds_scale != 1.0:
        out["seconds_scale"] = item.seconds_scale
    return out


def item_line(item: RoutineItem, library: Mapping[str, Entry]) -> tuple[str, float]:
    """A routine item as words and its seconds at the routine's dose."""
    if item.kind is ItemKind.REST:
        what = f": {item.cue}" if item.cue else ""
        return f"rest {words.clock(item.seconds)}{what}", item.seconds
    target = library[item.target]
    if isinstance(target, Routine):
        return f"routine {target.title} ({target.id})", entry_seconds(target, library)
    sets, rest = item.dose(target)
    seconds = target.dose_seconds(sets, rest, item.seconds_scale)
    dose = words.dose_short(sets, target.set_seconds * item.seconds_scale, rest)
    return f"{target.title} ({target.id}, {target.phase.value}) — {dose}", seconds


def dose_text(drill: Drill) -> str:
    return words.dose(drill.sets, drill.set_seconds, drill.rest, drill.seconds)


def faults_list(library: Mapping[str, Entry]) -> list[dict[str, Any]]:
    """``pose-coach faults --json``: every fault id, its label and its drills, best first."""
    from pose_coach.library.faults import fault_index

    index = fault_index(library)
    return [
        {"id": fault_id, "label": label, "drills": list(index[fault_id])}
        for fault_id, label in FAULTS.items()
    ]


def fault_detail(library: Mapping[str, Entry], fault_id: str) -> dict[str, Any]:
    """``pose-coach faults ID --json`` (and ``show --fault ID --json``): the drills that
    correct one fault, best first, each with the fix it gives for it."""
    drills = drills_for_fault(library, fault_id)
    return {
        "id": fault_id,
        "label": FAULTS[fault_id],
        "drills": [
            {
                "id": d.id,
                "title": d.title,
                "phase": d.phase.value,
                "level": d.level,
                "fix": fault_fix(d, fault_id),
            }
            for d in drills
        ],
    }
