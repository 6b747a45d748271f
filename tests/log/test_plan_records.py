"""A plan's records in the practice log: the migration, one active plan, check-ins, baselines."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from log_helpers import make_record

from pose_coach.log import plans
from pose_coach.log.schema import (
    APPLICATION_ID,
    MIGRATIONS,
    PLAN_TABLES,
    PLANS_VERSION,
    SCHEMA_VERSION,
)
from pose_coach.log.store import log_db_path, open_log

NOW = datetime(2025, 3, 3, 7, 0, tzinfo=timezone.utc)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _write_log_before_plans(path: Path) -> None:
    """A log as the version before the plan tables left it, with one session."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version in range(1, PLANS_VERSION):
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version}")
    conn.execute(
        "INSERT INTO sessions (session_id, entry_id, kind, title, phases, started_at,"
        " started_epoch, planned_seconds, actual_seconds, steps_done, steps_total, sets_done,"
        " sets_total, outcome, speed, app_version) VALUES"
        " (?, 'fall', 'drill', 'Fall', 'fall', '2024-03-04T07:00:00+00:00', 1709535600,"
        " 60, 60, 4, 4, 2, 2, 'completed', 1, '0.1.0')",
        ("c" * 32,),
    )
    conn.close()


def test_a_new_log_has_the_plan_tables():
    with open_log() as log:
        log.add([make_record()])
    assert set(PLAN_TABLES) <= _tables(log_db_path())


def test_a_log_from_before_plans_is_migrated_and_keeps_its_sessions():
    path = log_db_path()
    _write_log_before_plans(path)
    assert not set(PLAN_TABLES) & _tables(path)
    with open_log() as log:
        [record] = log.sessions()
        assert record.session_id == "c" * 32
        assert plans.active_enrollment(log) is None
        assert plans.checkins(log) == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert set(PLAN_TABLES) <= _tables(path)


def test_a_log_claiming_the_plan_version_without_its_tables_is_refused():
    path = log_db_path()
    _write_log_before_plans(path)
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {PLANS_VERSION}")
    from pose_coach.log.store import LogFileError

    with pytest.raises(LogFileError, match="tables are missing"):
        open_log()


def test_one_active_plan_at_a_time_even_behind_the_check():
    with open_log() as log:
        first = plans.start_enrollment(log, "a", "A", date(2025, 3, 3), (0, 2, 4), NOW)
        with pytest.raises(plans.ActivePlanError):
            plans.start_enrollment(log, "b", "B", date(2025, 3, 3), (0,), NOW)
        assert plans.active_enrollment(log) == first
        plans.end_enrollment(log, first.id, "stopped", NOW)
        assert plans.active_enrollment(log) is None
        second = plans.start_enrollment(log, "b", "B", date(2025, 3, 4), (1,), NOW)
        assert plans.active_enrollment(log) == second
        assert [e.plan_id for e in plans.enrollments(log)] == ["a", "b"]
        assert plans.enrollments(log)[0].end_reason == "stopped"


def test_days_checkins_and_baselines_round_trip():
    with open_log() as log:
        enrollment = plans.start_enrollment(log, "a", "A", date(2025, 3, 3), (0, 2), NOW)
        plans.add_plan_day(log, enrollment.id, 1, 1, "done", date(2025, 3, 3), NOW, "f" * 32)
        plans.add_plan_day(log, enrollment.id, 1, 2, "skipped", date(2025, 3, 5), NOW)
        saved = plans.add_checkin(
            log,
            plans.Checkin(
                on_date=date(2025, 3, 3),
                recorded_at="2025-03-03T08:00:00+00:00",
                recorded_epoch=int(NOW.timestamp()) + 3600,
                soreness=3,
                note="calves a bit tight",
                cadence_spm=172,
                cadence_easy=True,
                plan_id="a",
                week=1,
                day=1,
                enrollment=enrollment.id,
            ),
        )
        assert saved.id > 0
        assert plans.add_checkin(
            log,
            plans.Checkin(date(2025, 3, 4), "2025-03-04T08:00:00+00:00", 1741075200, None, True),
        ).sharp_pain
        plans.add_baseline(log, plans.CadenceBaseline(164, "count", "x", 1, 41, 30))
        plans.add_baseline(log, plans.CadenceBaseline(170, "entered", "y", 2))
        days = plans.plan_days(log, enrollment.id)
        assert [(r.week, r.day, r.status, r.session_id) for r in days] == [
            (1, 1, "done", "f" * 32),
            (1, 2, "skipped", None),
        ]
        mine = plans.checkins(log, enrollment_id=enrollment.id)
        assert [(c.soreness, c.note, c.cadence_easy) for c in mine] == [
            (3, "calves a bit tight", True)
        ]
        assert [c.soreness for c in plans.checkins(log)] == [3, None]
        assert plans.has_checkins(log)
        assert [b.spm for b in plans.baselines(log)] == [164, 170]
        latest = plans.latest_baseline(log)
        assert latest is not None and latest.spm == 170


def test_a_check_in_needs_a_soreness_or_a_sharp_pain():
    with open_log() as log, pytest.raises(ValueError):
        plans.add_checkin(log, plans.Checkin(date(2025, 3, 3), "", 0))
