"""Where the plan shows elsewhere: the calendar, FIT workouts, the cue sheet, stats, cadence."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from pose_coach.log import plans as records
from pose_coach.log.store import open_log
from pose_coach.plan.cadence import count_walkthrough, spm_from_count
from pose_coach.play.clock import FakeClock


@pytest.fixture
def clock(monkeypatch):
    from pose_coach.plan import schedule

    def set_now(text: str) -> datetime:
        moment = datetime.fromisoformat(text).replace(tzinfo=timezone.utc)
        monkeypatch.setattr(schedule, "current_time", lambda: moment)
        monkeypatch.setattr(schedule, "local_zone", lambda: timezone.utc)
        return moment

    set_now("2025-03-03 07:00")
    return set_now


def _events(path: Path) -> list:
    from icalendar import Calendar

    calendar = Calendar.from_ical(path.read_bytes())
    return [c for c in calendar.walk() if c.name == "VEVENT"]


# -- calendar --------------------------------------------------------------------------


def test_a_plan_exports_as_one_dated_event_per_session(cli, clock, tmp_path):
    target = tmp_path / "plan.ics"
    result = cli("export", "beginner-6-weeks", "-o", str(target), "--start", "2025-03-06")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith("(18 sessions from Sat 2025-03-08)\n")
    events = _events(target)
    assert len(events) == 18
    starts = [e.decoded("dtstart") for e in events]
    assert starts[:4] == [
        datetime(2025, 3, 8, 7, 0),
        datetime(2025, 3, 10, 7, 0),
        datetime(2025, 3, 12, 7, 0),
        datetime(2025, 3, 15, 7, 0),
    ]
    week2 = events[3]
    assert (
        str(week2.get("summary")) == "W2D1 Before every run + run 30 min (5 in form) (pose-coach)"
    )
    text = str(week2.get("description"))
    assert "Run: 30 min easy, of which 5 min in the Pose form, in pieces of at most 400 m." in text
    assert "Safety:" in text and "see a clinician" in text
    assert "Safety:" not in str(events[0].get("description"))  # week 1: drills only
    uids = {str(e.get("uid")) for e in events}
    assert len(uids) == 18  # stable per plan, week and day


def test_the_active_plan_exports_from_where_the_runner_is(cli, clock, tmp_path):
    cli("cadence", "test", "--count", "40")  # 160 steps per minute
    cli("plan", "start", "beginner-6-weeks")
    for day in ("2025-03-03", "2025-03-05", "2025-03-08", "2025-03-10", "2025-03-12", "2025-03-15"):
        clock(f"{day} 07:00")
        cli("today", "--done", "--soreness", "1")
    clock("2025-03-16 07:00")
    target = tmp_path / "rest.ics"
    assert cli("export", "beginner-6-weeks", "-o", str(target), "--at", "18:30").exit_code == 0
    events = _events(target)
    assert len(events) == 12  # weeks 3 to 6
    assert events[0].decoded("dtstart") == datetime(2025, 3, 17, 18, 30)
    assert "Metronome for the pieces in form: 168 steps/min." in str(events[0].get("description"))


def test_weeks_is_refused_for_a_plan(cli, clock, tmp_path):
    result = cli("export", "beginner-6-weeks", "-o", str(tmp_path / "p.ics"), "--weeks", "3")
    assert result.exit_code == 2
    assert "a plan has its own weeks" in result.stderr


def test_a_plan_as_json_lists_its_dated_sessions(cli, clock):
    result = cli("export", "drilled-4-weeks", "--format", "json", "--start", "2025-03-03")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "drilled-4-weeks" and len(data["sessions"]) == 12
    assert data["sessions"][0]["date"] == "2025-03-04"  # Tuesday, the plan's first day
    assert data["sessions"][0]["run"]["form_minutes"] == 5


# -- FIT ----------------------------------------------------------------------------------


def test_each_session_exports_as_a_fit_workout(cli, clock, tmp_path):
    fitdecode = pytest.importorskip("fitdecode")
    cli("cadence", "test", "--spm", "170")
    cli("plan", "start", "drilled-4-weeks")
    folder = tmp_path / "fit"
    result = cli("export", "drilled-4-weeks", "--format", "fit", "-o", str(folder))
    assert result.exit_code == 0, result.stderr
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 12 and files[0] == "drilled-4-weeks-w1d1.fit"

    def steps(name: str) -> list[dict]:
        out = []
        with fitdecode.FitReader(folder / name) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage) and frame.name == "workout_step":
                    out.append({f.name: f.value for f in frame.fields})
        return out

    first = steps("drilled-4-weeks-w1d1.fit")
    names = [s.get("wkt_step_name") for s in first]
    assert names[-3:] == ["Easy run, usual form", "Pose form 5 min, pieces", "Easy run, usual form"]
    assert first[-2]["duration_type"] == "open"
    assert first[-3]["duration_time"] == 12.5 * 60
    # week 2 on: the metronome for the pieces, +5 % of 170 = 178 (89 per foot, ±2)
    second = steps("drilled-4-weeks-w2d1.fit")
    form = next(s for s in second if s.get("wkt_step_name") == "Pose form 7 min, pieces")
    assert (form["custom_target_cadence_low"], form["custom_target_cadence_high"]) == (87, 91)
    # a half-hour skill day fits a watch: one step per drill
    skill = steps("drilled-4-weeks-w1d3.fit")
    assert len(skill) <= 50


def test_fit_for_a_plan_needs_a_folder(cli, clock):
    result = cli("export", "drilled-4-weeks", "--format", "fit")
    assert result.exit_code == 2
    assert "a plan's FIT workouts are one file per session" in result.stderr


# -- the cue sheet -------------------------------------------------------------------


def test_the_plan_sheet_is_an_overview_of_the_weeks(cli):
    result = cli("sheet", "beginner-6-weeks")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Six-week transition for beginners"
    assert lines[5].split()[:3] == ["Week", "Focus", "In"]
    assert "1. Warm-up, start to finish (7 min)" in lines[6]
    assert any("+ run 30 min, 13 in form" in line for line in lines)
    assert any(line.startswith("Step back one week at once on soreness 5/10") for line in lines)
    assert any(line.startswith("Sources   [ta-physio]") for line in lines)


@pytest.mark.parametrize("plan_id", ["beginner-6-weeks", "drilled-4-weeks", "weekly-skill-day"])
def test_the_plan_sheet_pdf_is_one_page(cli, tmp_path, plan_id):
    target = tmp_path / "plan.pdf"
    result = cli("sheet", plan_id, "-o", str(target))
    assert result.exit_code == 0, result.stderr
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/Count 1" in data  # one page


def test_the_plan_sheet_html_and_markdown_escape_plan_text(cli, tmp_path):
    html = cli("sheet", "beginner-6-weeks", "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<td>Drills only</td>" in html
    md = cli("sheet", "beginner-6-weeks", "--format", "md").stdout
    assert md.startswith("# Six-week transition for beginners")
    assert "| 2 | First minutes in form | 5 min | ≤400 m |" in md


def test_a_plan_is_a_sheet_of_its_own(cli):
    result = cli("sheet", "beginner-6-weeks", "warmup")
    assert result.exit_code == 2
    assert "'beginner-6-weeks' is a plan: its overview is a sheet of its own" in result.stderr


# -- stats: soreness beside the minutes -----------------------------------------------


def test_stats_show_soreness_beside_minutes_once_there_are_check_ins(cli, clock):
    from pose_coach.log.stats import compute_stats

    with open_log() as log:
        for day, value in ((date(2025, 2, 24), 2), (date(2025, 3, 3), 4), (date(2025, 3, 4), 1)):
            moment = datetime.combine(day, datetime.min.time(), tzinfo=timezone.utc)
            records.add_checkin(
                log,
                records.Checkin(day, moment.isoformat(), int(moment.timestamp()), value),
            )
        stats = compute_stats(
            log, 3, now=datetime(2025, 3, 5, 12, tzinfo=timezone.utc), tz=timezone.utc
        )
    assert [s.to_dict() for s in stats.soreness] == [
        {"week_start": "2025-02-17", "checkins": 0, "max": None, "last": None, "sharp_pain": False},
        {"week_start": "2025-02-24", "checkins": 1, "max": 2, "last": 2, "sharp_pain": False},
        {"week_start": "2025-03-03", "checkins": 2, "max": 4, "last": 1, "sharp_pain": False},
    ]
    data = stats.to_dict()
    assert list(data)[:4] == ["today", "phases", "weeks", "soreness"]
    result = cli("stats", "--weeks", "2")
    header = result.stdout.splitlines()[0].split()
    assert header[-1] == "soreness"


def test_stats_without_check_ins_are_as_before(cli):
    data = json.loads(cli("stats", "--json").stdout)
    assert "soreness" not in data


# -- cadence --------------------------------------------------------------------------


def test_the_cadence_test_count_is_stored_as_the_baseline(cli, clock):
    result = cli("cadence", "test", "--count", "42")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "Your cadence: 168 steps per minute (42 in 30 s × 4), stored as your baseline."
    )
    data = json.loads(cli("cadence", "--json").stdout)
    assert (data["spm"], data["own"], data["source"]) == (168, True, "cadence test on 2025-03-03")
    assert data["baseline"]["steps"] == 42 and data["baseline"]["method"] == "count"
    assert cli("cadence").stdout == "168 steps per minute (cadence test on 2025-03-03)\n"
    # the stored baseline is the runner's cadence everywhere: a drill's +5 % counts from it
    from pose_coach.cadence import runner_cadence

    assert runner_cadence() == (168, "cadence test on 2025-03-03")
    assert runner_cadence(172).source == "option --runner-cadence"


def test_the_setting_comes_before_a_stored_baseline(cli, clock, monkeypatch):
    monkeypatch.setenv("POSE_COACH_RUNNER_CADENCE", "170")
    result = cli("cadence", "test", "--count", "42")
    assert result.exit_code == 0
    assert "the runner_cadence setting (170, env POSE_COACH_RUNNER_CADENCE) comes first" in (
        result.stderr
    )
    assert json.loads(cli("cadence", "--json").stdout)["spm"] == 170


def test_the_baseline_can_come_from_the_newest_stored_run(cli, clock):
    from pose_coach.log import runs

    with open_log() as log:
        log.conn.execute(
            "INSERT INTO runs (started_at, started_epoch, device, device_key, source_format,"
            " file_name, file_sha256, metres, moving_seconds, pace_s_per_km, cadence_spm,"
            " imported_at, app_version) VALUES ('2025-03-01T07:00:00+00:00', 1740812400,"
            " 'watch', 'w', 'fit', 'easy.fit', 'x', 5000, 1800, 360, 166.6, '', '0.1.0')"
        )
        assert runs.latest_run_cadence(log) is not None
    result = cli("cadence", "test", "--from-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "Your cadence: 167 steps per minute (from easy.fit, 2025-03-01), stored as your baseline."
    )
    assert json.loads(cli("cadence", "--json").stdout)["source"] == (
        "from the run easy.fit, 2025-03-01"
    )
    assert result.stderr == ""


def test_without_a_baseline_the_cadence_is_the_reference_not_your_own(cli):
    result = cli("cadence")
    assert result.stdout.startswith("180 steps per minute: the Pose reference, not yet your own")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--count", "10"), "10 steps of one foot in 30 s gives 40 steps per minute"),
        (("--spm", "300"), "that cadence gives 300 steps per minute"),
        (("--count", "40", "--spm", "160"), "give one of --count, --spm and --from-run"),
        (("--from-run",), "no stored run has a cadence"),
        ((), "the cadence test walks you through in a terminal"),
    ],
)
def test_the_cadence_test_refuses_what_is_not_a_running_cadence(cli, args, message):
    result = cli("cadence", "test", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_the_walk_through_times_thirty_seconds_on_the_clock():
    clock = FakeClock(start=0.0)
    shown: list[tuple[float, str]] = []
    count_walkthrough(clock, lambda line: shown.append((clock.now(), line)))
    assert shown[0] == (0.0, "3…")
    assert shown[3] == (3.0, "\aGO: count every landing of one foot")
    assert shown[-1] == (33.0, "\aSTOP")
    assert [t for t, line in shown if line.endswith("s left")] == [8.0, 13.0, 18.0, 23.0, 28.0]
    assert spm_from_count(45) == 180


def test_the_walk_through_in_a_terminal(cli, clock, monkeypatch):
    from pose_coach.play import clock as clock_module
    from pose_coach.terminal import Terminal

    monkeypatch.setattr(clock_module, "MonotonicClock", lambda: FakeClock(start=0.0))
    result = cli("cadence", "test", terminal=Terminal(stdin_keys=True), input="\n43\n")
    assert result.exit_code == 0, result.stderr
    assert "STOP" in result.stderr and "How many times did that foot land?" in result.stderr
    assert result.stdout.startswith("Your cadence: 172 steps per minute")
