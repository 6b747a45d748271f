"""Record one played session in the practice log, whatever way it ended.

The recorder checks the log before the session plays (a damaged file stops it there),
rides along as a sink to add up the time spent in each drill, and writes one row when
the session stops. Trouble writing never stops a session: it becomes a warning.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

from pose_coach import __version__
from pose_coach.log.store import (
    OUTCOMES,
    LogFileError,
    LogWriteError,
    Part,
    SessionRecord,
    check_log,
    format_utc,
    log_db_path,
    new_session_id,
    open_log,
    parse_utc,
    played_as,
)

if TYPE_CHECKING:
    from pose_coach.play.scheduler import SessionResult
    from pose_coach.timeline import Timeline


def build_record(
    timeline: Timeline,
    result: SessionResult,
    parts: tuple[Part, ...],
    session_id: str | None = None,
    on_terminal: bool = True,
) -> SessionRecord:
    """The log's row of a session that ended; ``on_terminal``: a terminal was there (stdin
    or stdout), so someone could be practising (``played_as``)."""
    return SessionRecord(
        session_id=session_id or new_session_id(),
        id=timeline.id,
        kind=timeline.kind,
        title=timeline.title,
        phases=tuple(timeline.phases),
        started_at=format_utc(parse_utc(result.started_at)),
        planned_seconds=_seconds(timeline.total),
        actual_seconds=_seconds(result.position),
        steps_done=result.steps_done,
        steps_total=result.steps_total,
        sets_done=result.sets_done,
        sets_total=result.sets_total,
        outcome=result.reason if result.reason in OUTCOMES else "error",
        speed=result.speed,
        app_version=__version__,
        played_as=played_as(result.speed, on_terminal),
        parts=parts,
    )


def _seconds(value: float) -> float:
    return round(value, 3) if math.isfinite(value) else 0.0


class SessionRecorder:
    """Records one session: checks the log before it plays, writes one row when it stops."""

    def __init__(
        self,
        timeline: Timeline,
        speed: float,
        path: Path | None = None,
        *,
        on_terminal: bool = True,
    ) -> None:
        from pose_coach.log.tally import PartsTally

        self.timeline = timeline
        self.speed = speed
        self.on_terminal = on_terminal  # recorded as live/tryout, else scripted
        self.path = Path(path) if path is not None else log_db_path()
        self.session_id = new_session_id()
        self.tally = PartsTally(timeline)
        self.notes = check_log(self.path)  # what the log had to say (an upgrade's notes)

    def save(self, result: SessionResult) -> str | None:
        """Record a session that ended (completed or stopped); a warning if it could not be."""
        parts = self.tally.parts(result.position)
        return self._write(
            build_record(
                self.timeline, result, parts, self.session_id, on_terminal=self.on_terminal
            )
        )

    def save_failed(self, outcome: str) -> str | None:
        """Record a session cut short by an exception, from what the sinks last saw."""
        from pose_coach.play.scheduler import SessionResult

        tally = self.tally
        result = SessionResult(
            completed=False,
            reason=outcome,
            position=tally.position,
            steps_done=tally.steps_done,
            steps_total=self.timeline.step_count,
            sets_done=tally.sets_done,
            sets_total=self.timeline.set_count,
            started_at=tally.started_at,
            wall_seconds=0.0,
            speed=self.speed,
        )
        return self.save(result)

    def _write(self, record: SessionRecord) -> str | None:
        try:
            log = open_log(self.path)
            assert log is not None
            with log:
                log.add([record])
        except (LogWriteError, LogFileError) as error:  # the file went bad while it played
            return f"{error.message}; this session was not recorded"
        return None
