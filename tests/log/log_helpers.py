"""Small builders for practice-log tests (imported by the test modules, not a fixture file)."""

from __future__ import annotations

import itertools

from pose_coach.log.store import Part, SessionRecord

_ids = itertools.count(1)


def make_record(
    started_at: str = "2024-03-04T07:00:00+00:00",
    *,
    entry_id: str = "fall",
    kind: str = "drill",
    phase: str = "fall",
    seconds: float = 300.0,
    outcome: str = "completed",
    speed: float = 1.0,
    parts: tuple[Part, ...] | None = None,
    title: str | None = None,
    session_id: str | None = None,
    played_as: str | None = None,
) -> SessionRecord:
    """A plausible session; its one part covers all its played seconds unless given."""
    title = title or f"{entry_id.title()} drill"
    if parts is None:
        parts = (Part(entry_id, title, phase, seconds),)
    return SessionRecord(
        session_id=session_id or f"{next(_ids):032x}",
        id=entry_id,
        kind=kind,
        title=title,
        phases=tuple(dict.fromkeys(p.phase for p in parts)) or (phase,),
        started_at=started_at,
        planned_seconds=seconds,
        actual_seconds=seconds,
        steps_done=4 if outcome == "completed" else 2,
        steps_total=4,
        sets_done=2 if outcome == "completed" else 1,
        sets_total=2,
        outcome=outcome,
        speed=speed,
        app_version="0.1.0",
        played_as=played_as or ("live" if speed == 1 else "tryout"),
        parts=parts,
    )
