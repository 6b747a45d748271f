"""From findings to drills: the library's fault index decides, never a list kept here.

Each finding's fault id is looked up with ``library.faults.drills_for_fault``; the
finding then narrows the choice the way the issue asks: pull drills (with a metronome)
for a low cadence, single-leg drills (worked on the side with the longer contact) for an
imbalance, and for the rest every drill the index lists. A ready-to-run command comes
with each: ``pose-coach drill pony --cadence 171``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from pose_coach.activity.faults import Finding
from pose_coach.library.model import Drill, Entry, Phase

MAX_DRILLS = 3  # per finding: a short list a runner will actually do


@dataclass(frozen=True)
class DrillChoice:
    id: str
    title: str
    phase: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "phase": self.phase}


@dataclass(frozen=True)
class Prescription:
    fault: str
    label: str  # the fault index's label
    drills: tuple[DrillChoice, ...]
    command: str | None  # ready to run; None when the library has no drill for it
    note: str | None = None
    commands: tuple[str, ...] = field(default=())  # one per drill

    def to_dict(self) -> dict[str, Any]:
        return {
            "fault": self.fault,
            "label": self.label,
            "drills": [d.to_dict() for d in self.drills],
            "command": self.command,
            "commands": list(self.commands),
            "note": self.note,
        }


def _single_leg(drill: Drill) -> bool:
    return any(step.side is not None for step in drill.steps)


def prescribe(findings: list[Finding], entries: Mapping[str, Entry]) -> list[Prescription]:
    """One prescription per finding, from the fault index of ``entries``."""
    from pose_coach.library.faults import FAULTS, drills_for_fault

    out = []
    for finding in findings:
        drills = list(drills_for_fault(entries, finding.fault))
        note = None
        if finding.fault == "low-cadence":
            drills = [d for d in drills if d.phase is Phase.PULL] or drills
            if finding.metronome_spm:
                note = (
                    f"metronome at {finding.metronome_spm} steps/min (5 % above this run); "
                    "match the clicks with your feet, then run a few minutes at it"
                )
        elif finding.fault == "imbalance":
            drills = [d for d in drills if _single_leg(d)] or drills
            if finding.side:
                note = f"start each drill on the {finding.side} leg and give it one extra set"
        chosen = drills[:MAX_DRILLS]
        extra = f" --cadence {finding.metronome_spm}" if finding.metronome_spm else ""
        commands = tuple(f"pose-coach drill {d.id}{extra}" for d in chosen)
        if not chosen:
            note = "no drill in the library lists this fault yet"
        out.append(
            Prescription(
                fault=finding.fault,
                label=FAULTS.get(finding.fault, finding.fault),
                drills=tuple(DrillChoice(d.id, d.title, d.phase.value) for d in chosen),
                command=commands[0] if commands else None,
                note=note,
                commands=commands,
            )
        )
    return out
