"""Form checks in the practice log (schema 6): stored once per clip, with medians for both
feet, left and right; the previous check of another clip is what the next one compares
with; older logs gain the tables."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from pose_coach.log.forms import (
    FormMedian,
    FormRecord,
    form_checks,
    form_count,
    previous_form,
    save_form,
)
from pose_coach.log.schema import APPLICATION_ID, FORMS_VERSION, MIGRATIONS, SCHEMA_VERSION
from pose_coach.log.store import LogFileError, log_db_path, open_log


def _record(sha: str, epoch: int, foot_ahead: float, **extra) -> FormRecord:
    medians = {
        "both": {"foot_ahead_of_hip_pct_leg": FormMedian(foot_ahead, "% leg", 12, 0.8)},
        "left": {"foot_ahead_of_hip_pct_leg": FormMedian(foot_ahead - 1, "% leg", 6, 0.9)},
        "right": {"foot_ahead_of_hip_pct_leg": FormMedian(foot_ahead + 1, "% leg", 6, 0.7)},
    }
    fields = dict(
        analysed_at=f"2026-12-0{epoch % 9 + 1}T08:00:00Z",
        analysed_epoch=epoch,
        file_name=f"{sha}.mp4",
        file_sha256=sha * 64,
        fps=60.0,
        capture_fps=None,
        frames=600,
        duration_s=10.0,
        width=1920,
        height=1080,
        person=1,
        side="left",
        strides=12,
        faults=("overstriding", "low-cadence"),
        app_version="0.1.0",
        medians=medians,
    )
    fields.update(extra)
    return FormRecord(**fields)


def test_a_form_check_is_stored_with_its_medians_and_read_back():
    with open_log() as log:
        check_id, new = save_form(log, _record("a", 1000, 22.0, capture_fps=240.0))
        assert new and check_id > 0
    with open_log(create=False) as log:
        (stored,) = form_checks(log)
    assert stored.id == check_id and stored.file_name == "a.mp4"
    assert stored.faults == ("overstriding", "low-cadence") and stored.capture_fps == 240.0
    assert stored.median("foot_ahead_of_hip_pct_leg") == 22.0
    assert stored.median("foot_ahead_of_hip_pct_leg", "right") == 23.0
    assert stored.medians["left"]["foot_ahead_of_hip_pct_leg"] == FormMedian(21.0, "% leg", 6, 0.9)
    assert stored.median("cadence_spm") is None


def test_the_same_clip_again_updates_its_row():
    with open_log() as log:
        first, _ = save_form(log, _record("a", 1000, 22.0))
        again, new = save_form(log, _record("a", 2000, 18.0, faults=()))
        assert again == first and not new
        assert form_count(log) == 1
        (stored,) = form_checks(log)
        assert stored.analysed_epoch == 2000 and stored.faults == ()
        assert stored.median("foot_ahead_of_hip_pct_leg") == 18.0
        rows = log.conn.execute("SELECT COUNT(*) FROM form_medians").fetchone()[0]
        assert rows == 3  # the old medians were replaced, not added to


def test_the_previous_check_is_the_newest_of_another_clip():
    with open_log() as log:
        assert previous_form(log) is None
        save_form(log, _record("a", 1000, 22.0))
        save_form(log, _record("b", 3000, 15.0))
        save_form(log, _record("c", 2000, 18.0))
        assert previous_form(log).file_name == "b.mp4"
        assert previous_form(log, file_sha256="b" * 64).file_name == "c.mp4"
        assert [r.file_name for r in form_checks(log)] == ["a.mp4", "c.mp4", "b.mp4"]


def _write_v5_log(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for version in range(1, FORMS_VERSION):
        MIGRATIONS[version](conn)
        conn.execute(f"PRAGMA user_version = {version}")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_a_version_5_log_gains_the_form_tables():
    assert SCHEMA_VERSION >= FORMS_VERSION == 6
    path = log_db_path()
    _write_v5_log(path)
    with open_log() as log:
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert form_checks(log) == []
        save_form(log, _record("a", 1000, 22.0))
        assert form_count(log) == 1


def test_a_version_6_log_without_its_form_tables_is_refused():
    path = log_db_path()
    _write_v5_log(path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {FORMS_VERSION}")
    conn.close()
    with pytest.raises(LogFileError, match="tables are missing"):
        open_log()
