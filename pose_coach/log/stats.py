"""What the practice log adds up to: minutes per phase per week, streaks, favourite drills.

Days and weeks are the runner's local dates (weeks start on Monday). ``now`` and the time
zone are parameters so tests can stand at any moment in any zone; None means the system's
local time. Sums, counts and the grouping by local date are done by SQLite, with the
time zone's UTC offsets passed in as parameters.

One rule for every figure (week rows, totals, top drills, the streak's real minute):
**drill time**, the session seconds spent in drills (their cues, and the rests between a
drill's own sets) divided by the speed they were played at. The lead-in countdown, the
rests between a routine's drills and pauses are not counted. So the week rows add up to
the totals of the weeks shown, and a session tried out at ``--speed 100`` counts for little.

Which sessions count: ``live`` ones (speed 1 on a terminal) by default; ``every_kind``
adds tryouts and scripted runs to the figures, but a scripted run (cron, a script) never
makes a practised day.
"""

from __future__ import annotations

import sqlite3
import time as _time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from pose_coach import words
from pose_coach.library.model import Phase
from pose_coach.log.run_stats import RunTrend, run_trend
from pose_coach.log.store import LIVE, PLAYED_AS, SCRIPTED, PracticeLog

PHASES = tuple(p.value for p in Phase)
STREAK_MIN_SECONDS = 60  # a stopped session counts towards a streak after a real minute
TOP_DRILLS = 5


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_STEP = 86400  # UTC offsets change at most once a day (twice a year, in practice)


class LocalDays:
    """Start times (Unix seconds) → local dates in one time zone (None: the system's).

    For SQL, the zone becomes a list of spans with a fixed UTC offset (DST changes are
    the span edges), so a local day is integer arithmetic SQLite does on every row.
    """

    def __init__(self, tz: tzinfo | None = None) -> None:
        self.tz = tz

    def offset(self, epoch: int) -> int:
        """The zone's UTC offset in seconds at a moment."""
        if self.tz is None:
            return _time.localtime(epoch).tm_gmtoff
        offset = datetime.fromtimestamp(epoch, self.tz).utcoffset()
        return int(offset.total_seconds()) if offset is not None else 0

    def day_of(self, epoch: int | float) -> date:
        if self.tz is None:
            return datetime.fromtimestamp(epoch).date()
        return datetime.fromtimestamp(epoch, self.tz).date()

    def midnight(self, day: date) -> int:
        """Unix seconds at the start of a local day."""
        moment = datetime.combine(day, time())
        if self.tz is not None:
            moment = moment.replace(tzinfo=self.tz)
        return int(moment.timestamp())

    def spans(self, first: int, last: int) -> list[tuple[int, int]]:
        """(start, offset) pairs: the UTC offset from each start on, covering first..last."""
        spans = [(first, self.offset(first))]
        at = first
        while at < last:
            ahead = min(at + _STEP, last)
            if self.offset(ahead) == spans[-1][1]:
                at = ahead
                continue
            same, changed = at, ahead  # find the second the offset changes
            while changed - same > 1:
                middle = (same + changed) // 2
                if self.offset(middle) == spans[-1][1]:
                    same = middle
                else:
                    changed = middle
            spans.append((changed, self.offset(changed)))
            at = changed
        return spans

    def sql_day(self, column: str, first: int, last: int) -> tuple[str, list[int]]:
        """An SQL expression for the local date ordinal of ``column`` (a Unix time
        between ``first`` and ``last``), and its parameters, in order."""
        if not column.replace(".", "").replace("_", "").isalnum():
            raise ValueError(f"not a column name: {column!r}")
        spans = self.spans(first, last)
        params: list[int] = []
        if len(spans) == 1:
            offset = "?"
            params.append(spans[0][1])
        else:
            whens = []
            for (_, before), (start, _) in zip(spans, spans[1:], strict=False):
                whens.append(f"WHEN {column} < ? THEN ?")
                params += [start, before]
            offset = f"CASE {' '.join(whens)} ELSE ? END"
            params.append(spans[-1][1])
        params.append(_EPOCH_ORDINAL)
        return f"(({column} + {offset}) / 86400 + ?)", params


@dataclass(frozen=True)
class Week:
    start: date  # the Monday
    minutes: dict[str, float]  # phase → minutes
    sessions: int
    completed: int

    @property
    def stopped(self) -> int:
        return self.sessions - self.completed

    @property
    def total(self) -> float:
        return round(sum(self.minutes.values()), 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.start.isoformat(),
            "minutes": self.minutes,
            "total_minutes": self.total,
            "sessions": self.sessions,
            "completed": self.completed,
            "stopped": self.stopped,
        }


@dataclass(frozen=True)
class Streak:
    current: int  # consecutive days ending today, or yesterday when today is still open
    longest: int
    last_day: date | None
    today: bool  # today already counts

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "longest": self.longest,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "practised_today": self.today,
        }


@dataclass(frozen=True)
class DrillTotal:
    id: str
    title: str | None
    sessions: int
    minutes: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "sessions": self.sessions,
            "minutes": self.minutes,
        }


@dataclass(frozen=True)
class WeekSoreness:
    """The runner's check-ins in one week: calf/Achilles soreness 0-10."""

    start: date  # the Monday
    checkins: int
    highest: int | None  # None: no check-in that week (or only a sharp pain)
    last: int | None
    sharp_pain: bool

    @property
    def text(self) -> str:
        """``4`` (the highest), ``sharp``, or ``-`` for a week without check-ins."""
        if self.sharp_pain:
            return "sharp"
        return "-" if self.highest is None else str(self.highest)

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.start.isoformat(),
            "checkins": self.checkins,
            "max": self.highest,
            "last": self.last,
            "sharp_pain": self.sharp_pain,
        }


@dataclass(frozen=True)
class Totals:
    """Sessions and drill minutes over some weeks, or all time."""

    sessions: int
    completed: int
    minutes: float

    @property
    def stopped(self) -> int:
        return self.sessions - self.completed

    def to_dict(self) -> dict[str, Any]:
        return {
            "sessions": self.sessions,
            "completed": self.completed,
            "stopped": self.stopped,
            "minutes": self.minutes,
        }


@dataclass(frozen=True)
class Stats:
    today: date
    phases: tuple[str, ...]
    weeks: list[Week]  # oldest first, the current week last
    sessions: int  # all time
    completed: int
    minutes: float
    streak: Streak
    top: list[DrillTotal] = field(default_factory=list)  # within the weeks shown
    runs: RunTrend | None = None  # runs from watch files (``pose-coach run``), if any
    # calf/Achilles soreness per week, beside the minutes; None when the log holds no
    # check-in at all (then the JSON and the table have no soreness, as before plans)
    soreness: list[WeekSoreness] | None = None
    counted: tuple[str, ...] = (LIVE,)  # the kinds of session (played_as) counted
    not_counted: dict[str, int] = field(default_factory=dict)  # kind → sessions left out

    @property
    def stopped(self) -> int:
        return self.sessions - self.completed

    @property
    def shown(self) -> Totals:
        """The weeks shown, added up from their rows: the same minutes, to the tenth."""
        return Totals(
            sum(week.sessions for week in self.weeks),
            sum(week.completed for week in self.weeks),
            round(sum(week.total for week in self.weeks), 1),
        )

    @property
    def message(self) -> str:
        return encouragement(self)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "today": self.today.isoformat(),
            "phases": list(self.phases),
            "weeks": [week.to_dict() for week in self.weeks],
        }
        if self.soreness is not None:
            out["soreness"] = [week.to_dict() for week in self.soreness]
        return (
            out
            | {
                "weeks_total": self.shown.to_dict(),
                "totals": Totals(self.sessions, self.completed, self.minutes).to_dict(),
                "counted": list(self.counted),
                "not_counted": dict(self.not_counted),
                "streak": self.streak.to_dict(),
                "top_drills": [drill.to_dict() for drill in self.top],
                "message": self.message,
            }
            | ({"runs": self.runs.to_dict()} if self.runs is not None else {})
        )


def streaks(days: list[int], today: int) -> Streak:
    """Current and longest runs of consecutive practised days (date ordinals, any order)."""
    ordered = sorted({d for d in days if d <= today})
    longest = run = 0
    previous = None
    for day in ordered:
        run = run + 1 if previous is not None and day == previous + 1 else 1
        longest = max(longest, run)
        previous = day
    alive = previous is not None and previous >= today - 1
    return Streak(
        current=run if alive else 0,
        longest=longest,
        last_day=date.fromordinal(previous) if previous is not None else None,
        today=previous == today,
    )


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def compute_stats(
    log: PracticeLog | None,
    weeks: int = 8,
    *,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    pace: float | None = None,
    every_kind: bool = False,
) -> Stats:
    """Everything ``pose-coach stats`` shows; ``log`` None is an empty log. ``pace``
    (s/km) is the pace the runs are compared at (default: their median pace).
    ``every_kind``: count tryouts and scripted sessions too (``--all``), not only live ones."""
    local = LocalDays(tz)
    now = now or datetime.now(timezone.utc)
    today = local.day_of(now.timestamp())
    first = week_start(today) - timedelta(weeks=weeks - 1)
    mondays = [first + timedelta(weeks=n) for n in range(weeks)]
    if log is None:
        return Stats(
            today,
            PHASES,
            [Week(m, dict.fromkeys(PHASES, 0.0), 0, 0) for m in mondays],
            0,
            0,
            0.0,
            streaks([], today.toordinal()),
            counted=PLAYED_AS if every_kind else (LIVE,),
        )
    counted = PLAYED_AS if every_kind else (LIVE,)
    with log.reading() as conn:
        stats = _query(conn, local, today, local.midnight(first), mondays, counted)
    trend = run_trend(log, mondays, local.day_of, local.midnight, pace=pace)
    return replace(stats, runs=trend) if trend is not None else stats


# A session's drill time, in real seconds (the one rule for every figure: module docstring).
_DRILL_SECONDS = (
    "(SELECT COALESCE(SUM(p.seconds), 0) FROM session_parts AS p WHERE p.session = s.id)"
    " / MAX(s.speed, 0.1)"
)


def _query(
    conn: sqlite3.Connection,
    local: LocalDays,
    today: date,
    since: int,
    mondays: list[date],
    counted: tuple[str, ...],
) -> Stats:
    oldest, newest = conn.execute(
        "SELECT MIN(started_epoch), MAX(started_epoch) FROM sessions"
    ).fetchone()
    if oldest is None:
        oldest = newest = since
    day, day_params = local.sql_day("s.started_epoch", min(oldest, since), max(newest, since))
    # only fixed fragments go into the statements; the kinds are parameters. The unary +
    # keeps SQLite from reading the sessions through an index for this test: nearly every
    # row passes it, and a scan of the table is several times faster.
    kinds = f"+s.played_as IN ({', '.join('?' * len(counted))})"
    practised = tuple(kind for kind in counted if kind != SCRIPTED)  # never cron's days

    minutes: dict[tuple[date, str], float] = {}
    phases = list(PHASES)
    for ordinal, phase, seconds in conn.execute(
        f"SELECT {day} AS day, p.phase, SUM(p.seconds / MAX(s.speed, 0.1))"
        " FROM sessions AS s JOIN session_parts AS p ON p.session = s.id"
        f" WHERE s.started_epoch >= ? AND {kinds} GROUP BY day, p.phase",
        [*day_params, since, *counted],
    ):
        monday = week_start(date.fromordinal(ordinal))
        minutes[monday, phase] = minutes.get((monday, phase), 0.0) + seconds / 60
        if phase not in phases:
            phases.append(phase)

    counts: dict[date, list[int]] = {}
    for ordinal, sessions, completed in conn.execute(
        f"SELECT {day} AS day, COUNT(*), SUM(s.outcome = 'completed')"
        f" FROM sessions AS s WHERE s.started_epoch >= ? AND {kinds} GROUP BY day",
        [*day_params, since, *counted],
    ):
        slot = counts.setdefault(week_start(date.fromordinal(ordinal)), [0, 0])
        slot[0] += sessions
        slot[1] += completed

    week_rows = [
        Week(
            monday,
            {phase: round(minutes.get((monday, phase), 0.0), 1) for phase in phases},
            *counts.get(monday, [0, 0]),
        )
        for monday in mondays
    ]

    sessions, completed = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(s.outcome = 'completed'), 0) FROM sessions AS s"
        f" WHERE {kinds}",
        counted,
    ).fetchone()
    (total_seconds,) = conn.execute(
        "SELECT COALESCE(SUM(p.seconds / MAX(s.speed, 0.1)), 0)"
        f" FROM sessions AS s JOIN session_parts AS p ON p.session = s.id WHERE {kinds}",
        counted,
    ).fetchone()
    not_counted = {
        kind: number
        for kind, number in conn.execute(
            "SELECT s.played_as, COUNT(*) FROM sessions AS s"
            f" WHERE NOT {kinds} GROUP BY s.played_as ORDER BY s.played_as",
            counted,
        )
    }
    days: list[int] = []
    if practised:
        days = [
            row[0]
            for row in conn.execute(
                f"SELECT DISTINCT {day} FROM sessions AS s"
                f" WHERE +s.played_as IN ({', '.join('?' * len(practised))})"
                f" AND (s.outcome = 'completed' OR {_DRILL_SECONDS} >= ?)",
                [*day_params, *practised, STREAK_MIN_SECONDS],
            )
        ]
    top = [
        DrillTotal(drill, title, count, round(seconds / 60, 1))
        for drill, title, count, seconds in conn.execute(
            "SELECT p.drill_id, MAX(p.drill_title), COUNT(DISTINCT p.session),"
            " SUM(p.seconds / MAX(s.speed, 0.1)) AS total"
            " FROM sessions AS s JOIN session_parts AS p ON p.session = s.id"
            f" WHERE s.started_epoch >= ? AND p.drill_id IS NOT NULL AND {kinds}"
            " GROUP BY p.drill_id ORDER BY total DESC, p.drill_id LIMIT ?",
            (since, *counted, TOP_DRILLS),
        )
    ]
    return Stats(
        today=today,
        phases=tuple(phases),
        weeks=week_rows,
        sessions=sessions,
        completed=completed,
        minutes=round(total_seconds / 60, 1),
        streak=streaks(days, today.toordinal()),
        top=top,
        soreness=_soreness(conn, mondays),
        counted=counted,
        not_counted=not_counted,
    )


def _soreness(conn: sqlite3.Connection, mondays: list[date]) -> list[WeekSoreness] | None:
    """Check-ins per week (on the runner's local date of each), None when there are none."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if (
        "checkins" not in tables
        or conn.execute("SELECT 1 FROM checkins LIMIT 1").fetchone() is None
    ):
        return None
    first, end = mondays[0], mondays[-1] + timedelta(days=7)
    found: dict[date, list[tuple[int | None, int]]] = {}
    for on_date, soreness, sharp in conn.execute(
        "SELECT on_date, soreness, sharp_pain FROM checkins WHERE on_date >= ? AND on_date < ?"
        " ORDER BY recorded_epoch, id",
        (first.isoformat(), end.isoformat()),
    ):
        found.setdefault(week_start(date.fromisoformat(on_date)), []).append((soreness, sharp))
    out = []
    for monday in mondays:
        rows = found.get(monday, [])
        values = [v for v, _ in rows if v is not None]
        out.append(
            WeekSoreness(
                monday,
                len(rows),
                max(values) if values else None,
                values[-1] if values else None,
                any(sharp for _, sharp in rows),
            )
        )
    return out


def streak_text(streak: Streak) -> str:
    """The streak line: what it is now, up to which day, and the longest, in one reading
    (a current streak is never called none, nor a broken one current)."""
    if streak.current:
        through = "today included" if streak.today else "up to yesterday"
        return f"{words.plural(streak.current, 'day')}, {through} (longest {streak.longest})"
    if streak.last_day is None:
        return "none yet"
    longest = words.plural(streak.longest, "day")
    return f"none now (longest {longest}; last practised {streak.last_day.isoformat()})"


def not_counted_text(stats: Stats) -> str | None:
    """``2 tryouts and 1 scripted session (stats --all counts them)``: what was left out."""
    if not stats.not_counted:
        return None
    names = {"tryout": ("tryout", None), "scripted": ("scripted session", None)}
    parts = [
        words.plural(number, *names.get(kind, (f"{kind} session", None)))
        for kind, number in stats.not_counted.items()
    ]
    listed = " and ".join(parts) if len(parts) < 3 else ", ".join(parts)
    return f"{listed} (stats --all counts them)"


def encouragement(stats: Stats) -> str:
    """One true, encouraging line about the log, in the streak line's own terms."""
    streak = stats.streak
    if stats.sessions == 0:
        if stats.not_counted:
            return (
                "No live sessions yet: a drill at speed 1 on a terminal counts "
                "(a first one takes 3 minutes: pose-coach drill pose)."
            )
        return "No sessions recorded yet: a first one takes 3 minutes (pose-coach drill pose)."
    if streak.current >= 2 and streak.today:
        best = ", your longest yet" if streak.current >= streak.longest else ""
        return f"{streak.current}-day streak{best} — keep it going."
    if streak.current >= 1 and not streak.today:
        return f"{streak.current}-day streak — a session today makes it {streak.current + 1}."
    this_week = stats.weeks[-1] if stats.weeks else None
    if streak.today:  # a streak of one day: today
        done = f" ({this_week.total:g} min this week)" if this_week and this_week.total else ""
        return f"Practised today{done} — a session tomorrow makes it a 2-day streak."
    if streak.last_day is not None:
        gap = (stats.today - streak.last_day).days
        return (
            f"Last practised {words.plural(gap, 'day')} ago; "
            f"{words.plural(stats.completed, 'session')} completed so far — "
            "a short drill today starts a new streak."
        )
    if stats.completed:  # only scripted sessions were played to the end
        return "Scripted sessions never make a streak — a drill played on a terminal does."
    return "Every session so far was stopped early — a short drill played to the end counts."
