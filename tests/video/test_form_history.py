"""Each form check kept in the practice log, so the next one says what changed."""

from __future__ import annotations

from datetime import datetime, timezone

from report_helpers import clean, faulty

from pose_coach.log.store import log_db_path
from pose_coach.video.history import form_record, keep_in_log
from pose_coach.video.report_text import render_text


def _record(analysis, sha: str, day: int):
    return form_record(
        analysis,
        file_name=f"{sha}.mp4",
        file_sha256=sha * 64,
        app_version="test",
        analysed_at=datetime(2026, 11, day, 8, tzinfo=timezone.utc),
    )


def test_the_next_form_check_is_compared_with_the_one_before():
    first = keep_in_log(_record(faulty(), "a", 20))
    assert first.stored and first.new and first.checks == 1 and first.previous is None
    assert first.message() == "Stored in the practice log: form check 1."
    second = keep_in_log(_record(clean(), "b", 27))
    assert second.previous is not None and second.previous.file_name == "a.mp4"
    assert second.checks == 2
    stored = second.previous
    assert stored.median("foot_ahead_of_hip_pct_leg") == faulty().measures.both["foot_ahead"].value
    assert stored.faults == tuple(f.fault for f in faulty().faults)
    text = render_text(clean(), previous=second.previous)
    assert "Since the previous form check (2026-11-20, a.mp4)" in text
    assert "foot ahead 30 → 7 % leg (-23, better)" in text
    again = keep_in_log(_record(clean(), "b", 28))  # the same clip analysed again
    assert not again.new and again.checks == 2 and again.previous.file_name == "a.mp4"
    assert "row was updated" in (again.message() or "")


def test_without_storing_the_log_is_read_and_never_created():
    result = keep_in_log(_record(faulty(), "a", 20), store=False)
    assert result.read and not result.stored and result.previous is None
    assert not log_db_path().exists()


def test_a_log_that_cannot_be_opened_does_not_stop_the_report(tmp_path):
    folder = tmp_path / "log.sqlite3"
    folder.mkdir()
    result = keep_in_log(_record(faulty(), "a", 20), log_path=folder)
    assert not result.stored and result.problem
    assert (result.message() or "").startswith("Not stored in the practice log: ")
