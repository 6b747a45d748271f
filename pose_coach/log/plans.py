"""What a transition plan keeps in the practice log: the plan followed, each session done
or skipped, the runner's check-ins (calf/Achilles soreness, a note) and cadence baselines.

Plain rows in, plain rows out: the rules that read them live in ``plan/``. Every write is
one SQLite transaction, so a plan's record is never half written, and the one active
plan is guarded by a unique index, so two processes cannot start two.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pose_coach.errors import UsageError
from pose_coach.log.store import LogWriteError, PracticeLog, format_utc

DAY_STATUSES = ("done", "skipped")
BASELINE_METHODS = ("count", "entered", "run")


class ActivePlanError(UsageError):
    """A plan is already being followed: one at a time."""


@dataclass(frozen=True)
class Enrollment:
    """One plan followed from ``start_date`` on ``days`` (0 = Monday)."""

    id: int
    plan_id: str
    plan_title: str
    start_date: date
    days: tuple[int, ...]
    started_at: str  # UTC, ISO 8601
    ended_at: str | None = None
    end_reason: str | None = None  # 'stopped', 'finished'

    @property
    def active(self) -> bool:
        return self.ended_at is None


@dataclass(frozen=True)
class PlanDayRecord:
    """A session of the plan done (played, or marked done) or skipped."""

    week: int
    day: int
    status: str  # 'done' or 'skipped'
    on_date: date  # the runner's local date
    recorded_at: str
    recorded_epoch: int
    session_id: str | None = None  # the practice log's session, when it was played
    id: int = 0


@dataclass(frozen=True)
class Checkin:
    """How the runner's calves and Achilles feel: soreness 0-10, or a sharp pain."""

    on_date: date
    recorded_at: str
    recorded_epoch: int
    soreness: int | None = None  # None: only a sharp pain was reported
    sharp_pain: bool = False
    note: str | None = None
    cadence_spm: int | None = None  # the metronome of the day's pieces in form, if any
    cadence_easy: bool | None = None  # did it feel easy (None: not said)
    plan_id: str | None = None
    week: int | None = None
    day: int | None = None
    enrollment: int | None = None
    session_id: str | None = None
    id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.on_date.isoformat(),
            "recorded_at": self.recorded_at,
            "soreness": self.soreness,
            "sharp_pain": self.sharp_pain,
            "note": self.note,
            "cadence_spm": self.cadence_spm,
            "cadence_easy": self.cadence_easy,
            "plan": self.plan_id,
            "week": self.week,
            "day": self.day,
        }


@dataclass(frozen=True)
class CadenceBaseline:
    """The runner's own cadence, in steps per minute, and how it was found."""

    spm: int
    method: str  # 'count' (steps of one foot counted), 'entered', 'run' (a watch file)
    measured_at: str
    measured_epoch: int
    steps: int | None = None  # with 'count': the steps counted...
    seconds: int | None = None  # ...in this many seconds, of one foot
    note: str | None = None
    id: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "spm": self.spm,
            "method": self.method,
            "measured_at": self.measured_at,
            "steps": self.steps,
            "seconds": self.seconds,
            "note": self.note,
        }


def _days_text(days: tuple[int, ...]) -> str:
    return ",".join(str(d) for d in days)


def _enrollment(row: tuple) -> Enrollment:
    return Enrollment(
        id=row[0],
        plan_id=row[1],
        plan_title=row[2],
        start_date=date.fromisoformat(row[3]),
        days=tuple(int(d) for d in row[4].split(",") if d),
        started_at=row[5],
        ended_at=row[6],
        end_reason=row[7],
    )


_ENROLLMENT_COLUMNS = "id, plan_id, plan_title, start_date, days, started_at, ended_at, end_reason"


def active_enrollment(log: PracticeLog) -> Enrollment | None:
    with log.reading() as conn:
        row = conn.execute(
            f"SELECT {_ENROLLMENT_COLUMNS} FROM plan_enrollments WHERE ended_at IS NULL"
        ).fetchone()
    return _enrollment(row) if row else None


def enrollments(log: PracticeLog) -> list[Enrollment]:
    """Every plan ever followed, oldest first."""
    with log.reading() as conn:
        rows = conn.execute(
            f"SELECT {_ENROLLMENT_COLUMNS} FROM plan_enrollments ORDER BY id"
        ).fetchall()
    return [_enrollment(row) for row in rows]


def start_enrollment(
    log: PracticeLog,
    plan_id: str,
    plan_title: str,
    start_date: date,
    days: tuple[int, ...],
    now: datetime,
) -> Enrollment:
    """Begin following a plan; ActivePlanError when another one is active."""
    try:
        with log.writing() as conn:
            cursor = conn.execute(
                "INSERT INTO plan_enrollments (plan_id, plan_title, start_date, days,"
                " started_at) VALUES (?, ?, ?, ?, ?)",
                (plan_id, plan_title, start_date.isoformat(), _days_text(days), format_utc(now)),
            )
            row_id = cursor.lastrowid
    except LogWriteError as error:  # the unique index: another process started one first
        if "UNIQUE" not in error.message:
            raise
        raise ActivePlanError(
            "another plan is active", "see it with `pose-coach plan status`"
        ) from None
    assert row_id is not None
    return Enrollment(
        row_id, plan_id, plan_title, start_date, tuple(days), format_utc(now), None, None
    )


def end_enrollment(log: PracticeLog, enrollment_id: int, reason: str, now: datetime) -> None:
    with log.writing() as conn:
        conn.execute(
            "UPDATE plan_enrollments SET ended_at = ?, end_reason = ? WHERE id = ?"
            " AND ended_at IS NULL",
            (format_utc(now), reason, enrollment_id),
        )


def add_plan_day(
    log: PracticeLog,
    enrollment_id: int,
    week: int,
    day: int,
    status: str,
    on_date: date,
    now: datetime,
    session_id: str | None = None,
) -> PlanDayRecord:
    if status not in DAY_STATUSES:
        raise ValueError(f"status must be one of {DAY_STATUSES}")
    epoch = int(now.timestamp())
    with log.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO plan_days (enrollment, week, day, status, on_date, recorded_at,"
            " recorded_epoch, session_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                enrollment_id,
                week,
                day,
                status,
                on_date.isoformat(),
                format_utc(now),
                epoch,
                session_id,
            ),
        )
    return PlanDayRecord(
        week, day, status, on_date, format_utc(now), epoch, session_id, cursor.lastrowid or 0
    )


def plan_days(log: PracticeLog, enrollment_id: int) -> list[PlanDayRecord]:
    with log.reading() as conn:
        rows = conn.execute(
            "SELECT week, day, status, on_date, recorded_at, recorded_epoch, session_id, id"
            " FROM plan_days WHERE enrollment = ? ORDER BY recorded_epoch, id",
            (enrollment_id,),
        ).fetchall()
    return [
        PlanDayRecord(r[0], r[1], r[2], date.fromisoformat(r[3]), r[4], r[5], r[6], r[7])
        for r in rows
    ]


_CHECKIN_COLUMNS = (
    "on_date, recorded_at, recorded_epoch, soreness, sharp_pain, note, cadence_spm,"
    " cadence_easy, plan_id, week, day, enrollment, session_id, id"
)


def _checkin(r: tuple) -> Checkin:
    return Checkin(
        on_date=date.fromisoformat(r[0]),
        recorded_at=r[1],
        recorded_epoch=r[2],
        soreness=r[3],
        sharp_pain=bool(r[4]),
        note=r[5],
        cadence_spm=r[6],
        cadence_easy=None if r[7] is None else bool(r[7]),
        plan_id=r[8],
        week=r[9],
        day=r[10],
        enrollment=r[11],
        session_id=r[12],
        id=r[13],
    )


def add_checkin(log: PracticeLog, checkin: Checkin) -> Checkin:
    """Record a check-in (its ``id`` is ignored; the stored one is returned)."""
    if checkin.soreness is None and not checkin.sharp_pain:
        raise ValueError("a check-in holds a soreness, a sharp pain, or both")
    with log.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO checkins (on_date, recorded_at, recorded_epoch, soreness, sharp_pain,"
            " note, cadence_spm, cadence_easy, plan_id, week, day, enrollment, session_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                checkin.on_date.isoformat(),
                checkin.recorded_at,
                checkin.recorded_epoch,
                checkin.soreness,
                int(checkin.sharp_pain),
                checkin.note,
                checkin.cadence_spm,
                None if checkin.cadence_easy is None else int(checkin.cadence_easy),
                checkin.plan_id,
                checkin.week,
                checkin.day,
                checkin.enrollment,
                checkin.session_id,
            ),
        )
    return replace(checkin, id=cursor.lastrowid or 0)


def checkins(
    log: PracticeLog, *, enrollment_id: int | None = None, since_epoch: int | None = None
) -> list[Checkin]:
    """Check-ins, oldest first: of one plan followed, or all (since a moment)."""
    where, params = [], []
    if enrollment_id is not None:
        where.append("enrollment = ?")
        params.append(enrollment_id)
    if since_epoch is not None:
        where.append("recorded_epoch >= ?")
        params.append(since_epoch)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    with log.reading() as conn:
        rows = conn.execute(
            f"SELECT {_CHECKIN_COLUMNS} FROM checkins{clause} ORDER BY recorded_epoch, id",
            params,
        ).fetchall()
    return [_checkin(r) for r in rows]


def has_checkins(log: PracticeLog) -> bool:
    with log.reading() as conn:
        return conn.execute("SELECT 1 FROM checkins LIMIT 1").fetchone() is not None


def add_baseline(log: PracticeLog, baseline: CadenceBaseline) -> CadenceBaseline:
    if baseline.method not in BASELINE_METHODS:
        raise ValueError(f"method must be one of {BASELINE_METHODS}")
    with log.writing() as conn:
        cursor = conn.execute(
            "INSERT INTO cadence_baselines (spm, method, steps, seconds, measured_at,"
            " measured_epoch, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                baseline.spm,
                baseline.method,
                baseline.steps,
                baseline.seconds,
                baseline.measured_at,
                baseline.measured_epoch,
                baseline.note,
            ),
        )
    return replace(baseline, id=cursor.lastrowid or 0)


def baselines(log: PracticeLog) -> list[CadenceBaseline]:
    """Every cadence baseline, oldest first."""
    with log.reading() as conn:
        rows = conn.execute(
            "SELECT spm, method, measured_at, measured_epoch, steps, seconds, note, id"
            " FROM cadence_baselines ORDER BY measured_epoch, id"
        ).fetchall()
    return [CadenceBaseline(*row) for row in rows]


def latest_baseline(log: PracticeLog) -> CadenceBaseline | None:
    with log.reading() as conn:
        row = conn.execute(
            "SELECT spm, method, measured_at, measured_epoch, steps, seconds, note, id"
            " FROM cadence_baselines ORDER BY measured_epoch DESC, id DESC LIMIT 1"
        ).fetchone()
    return CadenceBaseline(*row) if row else None
